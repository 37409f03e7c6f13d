"""Erasure in chat, as the client and the admin live it: "Forget me" reaches the admins as a
notice with Erase / Decline; Erase wipes the data and tells the client, who is a stranger to the
bot afterwards; open money needs a forced erasure with a reason; managers cannot erase."""

from __future__ import annotations

from datetime import timedelta

from core.clock import ManualClock
from core.services import Services
from handlers.router import Router
from storage.models import (
    AuditEntry,
    Client,
    LedgerEntry,
    MessengerAccount,
    Order,
    OutboxMessage,
    Role,
)
from tests.support.chat import RecordingChat
from tests.support.journeys import Courier, button_payload, rows_for, staff_chat

PHONE = "+380979876543"


async def linked_client(
    services: Services, router: Router, user_id: str, *, phone: str = PHONE, locale: str = "en"
) -> tuple[Client, RecordingChat]:
    client = await Client.create(
        phone=phone, first_name="Zoryana", last_name="Kvitkovska", locale=locale,
        marketing_consent=True,
    )  # fmt: skip
    await MessengerAccount.create(
        channel="console", external_id=user_id, client=client, name="Zoryana K"
    )
    chat = RecordingChat(services, router, user_id=user_id, name="Zoryana K")
    return client, chat


async def ask_to_be_forgotten(chat: RecordingChat) -> None:
    await chat.say("/start")
    await chat.press("Settings")
    await chat.press("Forget me")
    await chat.press("Yes, delete my data")
    assert "request to delete your data is recorded" in chat.text


async def test_forget_me_then_the_admin_erases_from_the_notice(
    services: Services, router: Router
) -> None:
    _, admin_account, admin = await staff_chat(services, router, "Anna", role=Role.ADMIN)
    _, manager_account, manager = await staff_chat(services, router, "Ivan")
    client, chat = await linked_client(services, router, "zk-1")
    await Order.create(
        number="T-0001", client=client, destination="Crete", price=100_00, currency="UAH",
        paid=100_00, status="paid", review_comment="Lovely, Zoryana",
    )  # fmt: skip
    await ask_to_be_forgotten(chat)

    (notice,) = await rows_for(admin_account, kind="forget-request")
    assert "Zoryana Kvitkovska" in notice.body["text"]
    erase = button_payload(notice, "Erase")
    assert button_payload(notice, "Decline")
    assert await rows_for(manager_account, kind="forget-request") == []

    await manager.press_payload(erase + "|yes")  # a manager cannot, whatever the payload says
    assert manager.text == "This is not available for your role."
    assert (await Client.get(id=client.id)).phone == PHONE

    await admin.press_payload(erase)
    assert "Erase the personal data of Zoryana Kvitkovska" in admin.text
    assert "cannot be undone" in admin.text
    await admin.press("Yes, erase")
    assert f"Client #{client.id} is erased" in admin.text
    assert f"Erased client #{client.id}" in admin.text  # the card, anonymised
    assert "Zoryana" not in admin.text and "Erase personal data" not in " ".join(admin.labels())

    gone = await Client.get(id=client.id)
    assert (gone.phone, gone.last_name, gone.erased_at is not None) == (None, "", True)
    assert (await Order.get(number="T-0001")).review_comment is None
    assert "Zoryana" not in (await OutboxMessage.get(id=notice.id)).body["text"]
    entry = await AuditEntry.get(action="client.erased")
    assert entry.actor.startswith("staff:") and entry.details["requested_by_client"] is True

    courier = Courier()
    await courier.deliver(services)  # the farewell still reaches the unlinked chat
    assert "Your personal data has been deleted" in courier.printed

    await admin.press_payload(erase + "|yes")  # a second press is harmless
    assert f"Client #{client.id} was already erased" in admin.text
    assert await AuditEntry.filter(action="client.erased").count() == 1

    # the person who writes again is a brand-new stranger
    await chat.say("/start")
    assert "Zoryana" not in chat.text and "English" in chat.labels()
    account = await MessengerAccount.get(channel="console", external_id="zk-1")
    assert account.client_id is None


async def test_decline_tells_the_client_and_a_new_request_reaches_the_admin_again(
    services: Services, router: Router, clock: ManualClock
) -> None:
    _, admin_account, admin = await staff_chat(services, router, "Anna", role=Role.ADMIN)
    client, chat = await linked_client(services, router, "zk-2", locale="uk")
    await chat.say("/start")
    await chat.press("Налаштування")
    await chat.press("Видалити мої дані")
    await chat.press("Так, видаліть мої дані")
    (notice,) = await rows_for(admin_account, kind="forget-request")

    await admin.press_payload(button_payload(notice, "Decline"))

    assert f"request of client #{client.id} is declined" in admin.text
    declined = await OutboxMessage.get(kind="erasure-declined")
    assert "Поки що ми не можемо видалити" in declined.body["text"]
    assert (await Client.get(id=client.id)).forget_requested_at is None
    assert await AuditEntry.exists(action="client.erase-declined", staff_id__isnull=False)
    clock.advance(timedelta(minutes=1))
    await chat.press("Видалити мої дані")
    await chat.press("Так, видаліть мої дані")
    assert len(await rows_for(admin_account, kind="forget-request")) == 2
    await admin.press_payload(button_payload(notice, "Decline"))
    assert "no open request" not in admin.text  # the second request is open again


async def test_erase_from_the_card_with_open_money_needs_force_and_a_reason(
    services: Services, router: Router
) -> None:
    _, _, admin = await staff_chat(services, router, "Anna", role=Role.ADMIN)
    client, _ = await linked_client(services, router, "zk-3")
    await Order.create(
        number="T-0002", client=client, destination="Rome", price=900_00, currency="EUR",
        paid=300_00, status="confirmed",
    )  # fmt: skip
    await LedgerEntry.create(
        client=client, amount=50_00, currency="UAH", kind="adjustment", reference="adj-1"
    )

    await admin.say(f"/find {PHONE}")
    await admin.press("Erase personal data")
    assert "Money is still open" in admin.text
    assert "balance UAH\xa050.00" in admin.text
    assert "order T-0002: €600.00 not paid yet" in admin.text
    assert "Yes, erase" not in admin.labels()
    await admin.press("Force erase")
    assert "Type the reason" in admin.text
    await admin.say("x" * 501)
    assert "too long" in admin.text
    assert (await Client.get(id=client.id)).erased_at is None
    await admin.say("Written request by post, bookings cancelled with the operator")

    assert f"Client #{client.id} is erased" in admin.text and "forced" in admin.text
    assert "Erase personal data" not in " ".join(admin.labels())
    entry = await AuditEntry.get(action="client.erased")
    assert entry.details["forced"] is True
    assert entry.details["reason"].startswith("Written request by post")
    assert (await Client.get(id=client.id)).phone is None
    assert await LedgerEntry.filter(client_id=client.id).count() == 1  # the books stay
