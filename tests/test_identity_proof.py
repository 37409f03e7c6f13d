"""A phone opens an existing client's data only when it is proven.

Flows through the recording adapter: a stranger who types (or sends as a contact card) a
tourist's number becomes a separate client and sees and receives nothing of theirs; the code
sent to the tourist's other messenger, or a staff member's confirmation, links the account;
wrong, expired, replaced and over-tried codes are refused; Settings never moves another
client's number; staff merge two cards from the client card without losing money.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
from datetime import timedelta
from pathlib import Path

from core import identity, ledger
from core.clock import ManualClock
from core.identity import CodeCheck
from core.payments.notices import receipt_topup, tell_client
from core.services import Services
from handlers.router import Router
from storage.models import (
    AuditEntry,
    ClaimStatus,
    Client,
    EntryKind,
    LedgerEntry,
    MessengerAccount,
    Order,
    OutboxMessage,
    PhoneClaim,
    Role,
    TourRequest,
)
from tests.support import procs
from tests.support.channels import Channel
from tests.support.chat import RecordingChat
from tests.support.journeys import button_payload, rows_for, staff_chat

PHONE = "+380671234567"
ROOT = Path(__file__).resolve().parent.parent


async def tourist_with_money(services: Services, router: Router) -> tuple[Client, RecordingChat]:
    """Olena, identified in Telegram by her own contact, with a trip and 2,000.00 UAH."""
    olena = RecordingChat(services, router, user_id="111", channel=Channel.TELEGRAM)
    await olena.start()
    await olena.press("English")
    await olena.press("Share my phone")
    await olena.share_phone(PHONE.lstrip("+"), own=True)
    await olena.press("Yes, please")
    client = await Client.get(phone=PHONE)
    await Order.create(number="T-0001", client=client, destination="Crete", price=1, currency="UAH")
    await ledger.credit(client.id, 200_000, "UAH", EntryKind.PAYMENT, "test:olena-topup")
    return client, olena


async def claim_phone(chat: RecordingChat, typed: str = "067 123 45 67") -> None:
    await chat.start()
    await chat.press("English")
    await chat.press("Share my phone")
    await chat.say(typed)


async def code_sent_to(account_external_id: str) -> str:
    account = await MessengerAccount.get(external_id=account_external_id)
    rows = await rows_for(account, kind="identity-code")
    assert rows, "no code was sent"
    found = re.search(r"Code: (\d{6})", rows[-1].body["text"])
    assert found is not None, rows[-1].body["text"]
    return found.group(1)


async def test_a_stranger_typing_a_tourists_phone_sees_and_receives_nothing_of_theirs(
    services: Services, router: Router
) -> None:
    tourist, _ = await tourist_with_money(services, router)
    stranger = RecordingChat(services, router, user_id="mallory", name="Mallory")
    await claim_phone(stranger)
    assert "already belongs to a client profile" in stranger.text
    assert "sent to the Telegram chat" in stranger.text
    assert "We found your profile" not in stranger.text
    # the tourist is told, in their own chat, that someone is trying
    code_row = (await rows_for(await MessengerAccount.get(external_id="111")))[-1]
    assert "Someone is trying to link your number in console" in code_row.body["text"]

    await stranger.press("Continue as a new client")
    await stranger.press("No, thanks")
    await stranger.press("My trips")
    assert "T-0001" not in stranger.text and "no trips with us yet" in stranger.text
    await stranger.press("Back")
    await stranger.press("Balance")
    assert "2,000" not in stranger.text and "2 000" not in stranger.text
    await stranger.press("Back")
    await stranger.press("Settings")
    assert PHONE not in stranger.text

    # the tourist keeps their number and their record; the stranger is someone else
    account = await MessengerAccount.get(external_id="mallory")
    assert account.client_id != tourist.id  # type: ignore[attr-defined]
    mine = await Client.get(id=account.client_id)  # type: ignore[attr-defined]
    assert mine.phone is None
    await tourist.refresh_from_db()
    assert tourist.phone == PHONE

    # the tourist's next receipt goes to the tourist, even though the stranger spoke last
    assert await tell_client(
        services, tourist, receipt_topup(100, "UAH", 200_100), kind="receipt", dedupe_key="r1"
    )
    (receipt,) = await OutboxMessage.filter(kind="receipt")
    assert receipt.external_id == "111"
    assert not await OutboxMessage.filter(account_id=account.id, kind="receipt").exists()


async def test_an_unverified_contact_card_is_no_proof_and_an_own_telegram_contact_is(
    services: Services, router: Router
) -> None:
    tourist, _ = await tourist_with_money(services, router)
    viber = RecordingChat(services, router, user_id="vb-x==", channel=Channel.VIBER)
    await viber.start()
    await viber.press("English")
    await viber.press("Share my phone")
    await viber.share_phone(PHONE)  # a Viber contact card can carry anyone's number
    assert "already belongs to a client profile" in viber.text
    assert (await MessengerAccount.get(external_id="vb-x==")).client_id != tourist.id  # type: ignore[attr-defined]

    second_telegram = RecordingChat(services, router, user_id="222", channel=Channel.TELEGRAM)
    await second_telegram.start()
    await second_telegram.press("English")
    await second_telegram.press("Share my phone")
    await second_telegram.share_phone(PHONE, own=True)  # Telegram vouches it is theirs
    assert "We found your profile" in second_telegram.text
    account = await MessengerAccount.get(external_id="222")
    assert account.client_id == tourist.id  # type: ignore[attr-defined]
    await second_telegram.press("My trips")
    assert "T-0001" in second_telegram.text


async def test_the_code_from_the_tourists_other_messenger_links_the_account(
    services: Services, router: Router
) -> None:
    tourist, _ = await tourist_with_money(services, router)
    viber = RecordingChat(services, router, user_id="vb-olena==", channel=Channel.VIBER)
    await claim_phone(viber)
    assert await Client.all().count() == 2  # a separate client while the claim waits
    waiting = await MessengerAccount.get(external_id="vb-olena==")
    waiting_client = waiting.client_id  # type: ignore[attr-defined]
    await TourRequest.create(number="R-0009", client_id=waiting_client, destination="Rhodes")
    await viber.say("12 34")
    assert "type the 6-digit code" in viber.text
    await viber.say(await code_sent_to("111"))
    assert "now linked to your profile" in viber.text
    account = await MessengerAccount.get(external_id="vb-olena==")
    assert account.client_id == tourist.id  # type: ignore[attr-defined]
    # the waiting client is merged into the profile: nothing of it is lost or left behind
    assert await Client.all().count() == 1
    request = await TourRequest.get(number="R-0009")
    assert request.client_id == tourist.id  # type: ignore[attr-defined]
    assert await ledger.balance(tourist.id, "UAH") == 200_000
    await viber.press("My trips")
    assert "T-0001" in viber.text
    claim = await PhoneClaim.get(account_id=account.id)
    assert claim.status is ClaimStatus.PROVEN and claim.code_hash is None
    assert await AuditEntry.exists(action="identity-proven", subject=f"client:{tourist.id}")
    assert await AuditEntry.exists(action="clients-merged", subject=f"client:{tourist.id}")


async def test_wrong_expired_replaced_and_over_tried_codes_are_refused(
    services: Services, router: Router, clock: ManualClock
) -> None:
    tourist, _ = await tourist_with_money(services, router)
    viber = RecordingChat(services, router, user_id="vb-m==", channel=Channel.VIBER)
    await claim_phone(viber)
    first = await code_sent_to("111")
    wrong = "000000" if first != "000000" else "111111"
    await viber.say(wrong)
    assert "That code is not right. 4 tries left." in viber.text

    clock.advance(timedelta(minutes=11))
    await viber.say(first)
    assert "This code has expired" in viber.text
    await viber.press("Send a new code")
    assert "A new code has been sent to Telegram" in viber.text
    second = await code_sent_to("111")
    if second != first:  # the replaced code no longer works
        await viber.say(first)
        assert "That code is not right" in viber.text

    for _ in range(5):
        await viber.say(wrong)
    assert "Too many wrong tries" in viber.text
    await viber.say(second)  # even the right code, once the tries are used up
    assert "Too many wrong tries" in viber.text
    account = await MessengerAccount.get(external_id="vb-m==")
    assert account.client_id != tourist.id  # type: ignore[attr-defined]
    stored = await PhoneClaim.get(account_id=account.id)
    assert second not in (stored.code_hash or "") and len(stored.code_hash or "") == 64


async def test_a_used_code_cannot_be_used_again_by_anyone(
    services: Services, router: Router
) -> None:
    tourist, _ = await tourist_with_money(services, router)
    olena_viber = RecordingChat(services, router, user_id="vb-o==", channel=Channel.VIBER)
    await claim_phone(olena_viber)
    code = await code_sent_to("111")
    await olena_viber.say(code)
    assert "now linked to your profile" in olena_viber.text

    mallory = RecordingChat(services, router, user_id="mallory", name="Mallory")
    await claim_phone(mallory)
    await mallory.say(code)  # the old code, seen over someone's shoulder
    assert "now linked" not in mallory.text
    account = await MessengerAccount.get(external_id="mallory")
    assert account.client_id != tourist.id  # type: ignore[attr-defined]


async def test_codes_are_rate_limited_per_phone(services: Services, router: Router) -> None:
    await tourist_with_money(services, router)
    for n in range(3):
        chat = RecordingChat(services, router, user_id=f"bot-{n}")
        await claim_phone(chat)
        assert "sent to the Telegram chat" in chat.text
    fourth = RecordingChat(services, router, user_id="bot-4")
    await claim_phone(fourth)
    assert "Too many codes have been requested" in fourth.text
    assert "asked the agency to confirm" in fourth.text
    tourist_account = await MessengerAccount.get(external_id="111")
    assert len(await rows_for(tourist_account, kind="identity-code")) == 3


async def test_staff_confirm_links_and_reject_tells_the_person(
    services: Services, router: Router
) -> None:
    _, manager_account, manager = await staff_chat(services, router, "Ivan")
    _, accountant_account, _ = await staff_chat(services, router, "Iryna", role=Role.ACCOUNTANT)
    imported = await Client.create(phone=PHONE, first_name="Olena", locale="en")  # no messenger
    await Order.create(
        number="T-0002", client=imported, destination="Bali", price=1, currency="UAH"
    )

    olena = RecordingChat(services, router, user_id="olena-new")
    await claim_phone(olena)
    assert "asked the agency to confirm that +380671234567 is yours" in olena.text
    (ask,) = await rows_for(manager_account, kind="identity-claim")
    assert "Olena (console) gives the number +380671234567" in ask.body["text"]
    assert f"client card #{imported.id}" in ask.body["text"]
    assert await rows_for(accountant_account, kind="identity-claim") == []
    await olena.press("No, thanks")
    await olena.press("My trips")
    assert "T-0002" not in olena.text

    await manager.press_payload(button_payload(ask, "Confirm"))
    assert "Confirmed" in manager.text and "Olena" in manager.text
    account = await MessengerAccount.get(external_id="olena-new")
    assert account.client_id == imported.id  # type: ignore[attr-defined]
    (told,) = await rows_for(account, kind="identity-decision")
    assert "The agency has confirmed that +380671234567 is yours" in told.body["text"]
    await olena.press("Back")
    await olena.press("My trips")
    assert "T-0002" in olena.text
    await manager.press_payload(button_payload(ask, "Reject"))  # too late: decided
    assert "already been decided" in manager.text

    mallory = RecordingChat(services, router, user_id="mallory", name="Mallory")
    await claim_phone(mallory)  # now Olena has a linked account: the code goes there
    assert "sent to the console chat" in mallory.text
    await mallory.press("Ask the agency to confirm")
    asks = await rows_for(manager_account, kind="identity-claim")
    assert len(asks) == 2 and "Mallory" in asks[-1].body["text"]
    await manager.press_payload(button_payload(asks[-1], "Reject"))
    assert "Rejected" in manager.text
    mallory_account = await MessengerAccount.get(external_id="mallory")
    assert mallory_account.client_id != imported.id  # type: ignore[attr-defined]
    (told,) = await rows_for(mallory_account, kind="identity-decision")
    assert "could not confirm" in told.body["text"]
    assert await AuditEntry.exists(action="identity-rejected")


async def test_settings_cannot_take_another_clients_number(
    services: Services, router: Router
) -> None:
    tourist, _ = await tourist_with_money(services, router)
    mallory = RecordingChat(services, router, user_id="mallory", name="Mallory")
    await claim_phone(mallory, "+380509998877")  # a free number: Mallory's own
    assert "You are registered with us now" in mallory.text
    await mallory.press("No, thanks")
    await mallory.press("Settings")
    await mallory.press("Change my phone")
    await mallory.say(PHONE)
    assert "Your phone number is now" not in mallory.text
    assert "already belongs to a client profile" in mallory.text
    await tourist.refresh_from_db()
    assert tourist.phone == PHONE
    mine = await Client.get(phone="+380509998877")
    account = await MessengerAccount.get(external_id="mallory")
    assert account.client_id == mine.id  # type: ignore[attr-defined]
    # and moving one's own number to a free one still works
    await mallory.press("Continue as a new client")
    await mallory.press("Change my phone")
    await mallory.say("+380501112233")
    assert "Your phone number is now +380501112233" in mallory.text
    await tourist.refresh_from_db()
    assert tourist.phone == PHONE


async def test_staff_merge_two_cards_from_the_client_card_keeps_every_kopeck(
    services: Services, router: Router
) -> None:
    staff, _, manager = await staff_chat(services, router, "Ivan")
    kept = await Client.create(phone=PHONE, first_name="Olena")
    dup = await Client.create(phone="+380509998877", last_name="Petrenko", bonus_points=7)
    await MessengerAccount.create(channel="viber", external_id="vb-dup", client=dup)
    await Order.create(number="T-0003", client=dup, destination="Rome", price=1, currency="UAH")
    await ledger.credit(kept.id, 150_000, "UAH", EntryKind.PAYMENT, "test:a")
    await ledger.credit(dup.id, 50_000, "UAH", EntryKind.PAYMENT, "test:b")
    await ledger.credit(dup.id, 1_000, "EUR", EntryKind.BONUS, "test:c")

    await manager.press_payload(f"1|scc|{dup.id}")
    await manager.press("Merge into another card")
    await manager.say("nonsense")
    assert "should be merged into" in manager.text
    await manager.say(f"#{kept.id}")
    assert f"Merge #{dup.id}" in manager.text and f"into #{kept.id} (Olena)" in manager.text
    assert not await LedgerEntry.filter(client_id=kept.id, currency="EUR").exists()
    await manager.press("Merge")
    assert f"Card #{dup.id} has been merged into this one" in manager.text

    assert not await Client.exists(id=dup.id)
    await kept.refresh_from_db()
    assert (kept.phone, kept.last_name, kept.bonus_points) == (PHONE, "Petrenko", 7)
    assert await ledger.balances(kept.id) == {"UAH": 200_000, "EUR": 1_000}
    assert (await Order.get(number="T-0003")).client_id == kept.id  # type: ignore[attr-defined]
    assert (await MessengerAccount.get(external_id="vb-dup")).client_id == kept.id  # type: ignore[attr-defined]
    entry = await AuditEntry.get(action="clients-merged")
    assert entry.staff_id == staff.id  # type: ignore[attr-defined]
    assert entry.details["from"] == dup.id


async def test_a_client_cannot_merge_cards(services: Services, router: Router) -> None:
    a = await Client.create(phone=PHONE)
    b = await Client.create(phone="+380509998877")
    chat = RecordingChat(services, router, user_id="nosy")
    await chat.start()
    await chat.press_payload(f"1|smg|{a.id}|{b.id}")
    assert await Client.filter(id__in=[a.id, b.id]).count() == 2


def run_cli(db_url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return procs.run_cli(["clients", *args], procs.clean_env(DATABASE_URL=db_url), tmp_path)


async def test_cli_merge_moves_everything_and_refuses_nonsense(
    services: Services, db_url: str, tmp_path: Path
) -> None:
    kept = await Client.create(phone=PHONE)
    dup = await Client.create(phone="+380509998877")
    await ledger.credit(kept.id, 100, "UAH", EntryKind.PAYMENT, "test:a")
    await ledger.credit(dup.id, 250, "UAH", EntryKind.PAYMENT, "test:b")
    await Order.create(number="T-0004", client=dup, destination="Oslo", price=1, currency="UAH")

    same = run_cli(db_url, tmp_path, "merge", "--from", str(kept.id), "--into", str(kept.id))
    assert same.returncode == 1 and "same client card" in same.stderr
    missing = run_cli(db_url, tmp_path, "merge", "--from", "999", "--into", str(kept.id))
    assert missing.returncode == 1 and "no such client card" in missing.stderr
    bad = run_cli(db_url, tmp_path, "merge", "--from", "x", "--into", "1")
    assert bad.returncode == 2

    done = run_cli(db_url, tmp_path, "merge", "--from", str(dup.id), "--into", str(kept.id))
    assert done.returncode == 0, done.stderr
    assert f"merged client #{dup.id} into #{kept.id}" in done.stdout
    assert await ledger.balances(kept.id) == {"UAH": 350}
    assert (await Order.get(number="T-0004")).client_id == kept.id  # type: ignore[attr-defined]
    assert not await Client.exists(id=dup.id)
    assert await AuditEntry.exists(action="clients-merged", actor="cli")


async def test_one_account_cannot_flood_tourists_with_codes_or_staff_with_requests(
    services: Services, router: Router
) -> None:
    _, manager_account, _ = await staff_chat(services, router, "Ivan")
    phones = [f"+38067123450{n}" for n in range(5)]
    for n, phone in enumerate(phones):
        owner = await Client.create(phone=phone)
        await MessengerAccount.create(channel="telegram", external_id=f"tg-{n}", client=owner)
    mallory = RecordingChat(services, router, user_id="mallory", name="Mallory")
    await claim_phone(mallory, phones[0])
    await mallory.press("Ask the agency to confirm")
    await mallory.press("No, thanks")
    await mallory.press("Settings")
    for phone in phones[1:3]:
        await mallory.press("Change my phone")
        await mallory.say(phone)
        assert "sent to the Telegram chat" in mallory.text
        await mallory.press("Ask the agency to confirm")
        assert "Settings" in mallory.text
    await mallory.press("Change my phone")
    await mallory.say(phones[3])  # a fourth code within the hour: refused
    assert "Too many codes have been requested" in mallory.text
    assert "was not asked again" in mallory.text
    sent = await OutboxMessage.filter(kind="identity-code").values_list("external_id", flat=True)
    assert sorted(sent) == ["tg-0", "tg-1", "tg-2"]
    assert len(await rows_for(manager_account, kind="identity-claim")) == 3


async def test_parallel_guesses_cannot_pass_the_attempt_limit(
    services: Services, router: Router
) -> None:
    tourist, _ = await tourist_with_money(services, router)
    mallory = RecordingChat(services, router, user_id="mallory", name="Mallory")
    await claim_phone(mallory)
    account = await MessengerAccount.get(external_id="mallory")
    claim = await PhoneClaim.get(account_id=account.id)
    right = await code_sent_to("111")
    guesses = [*[f"{n:06d}" for n in range(20) if f"{n:06d}" != right][:19], right]
    results = await asyncio.gather(
        *(identity.check_code(services, claim.id, account, g) for g in guesses)
    )
    assert sum(r.check is CodeCheck.OK for r in results) <= 1
    await claim.refresh_from_db()
    assert claim.attempts <= identity.MAX_ATTEMPTS
    # only a try that got one of the 5 attempts could have matched; the rest were refused
    assert sum(r.check is not CodeCheck.LOCKED for r in results) <= identity.MAX_ATTEMPTS
    await account.refresh_from_db()
    linked = account.client_id == tourist.id  # type: ignore[attr-defined]
    assert linked == any(r.check is CodeCheck.OK for r in results)
