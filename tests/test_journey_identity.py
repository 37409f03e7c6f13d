"""Start, identity and settings as a client lives them: lead source, one client across
messengers, language, consent, phone and "forget me"."""

from __future__ import annotations

import re

from core.services import Services
from handlers.router import Router
from storage.models import AuditEntry, Client, MessengerAccount, Order, OutboxMessage, Role
from tests.support.channels import Channel
from tests.support.chat import RecordingChat
from tests.support.journeys import register, rows_for, staff_chat


async def test_deep_link_payload_becomes_the_lead_source(chat: RecordingChat) -> None:
    await chat.start("instagram_may")
    await chat.press("English")
    await chat.start("other_campaign")  # a later link does not overwrite the first one
    await chat.press("Share my phone")
    await chat.share_phone("+380671234567")
    client = await Client.get(phone="+380671234567")
    assert client.lead_source == "instagram_may"


async def test_known_client_without_a_source_gets_one_from_start(
    chat: RecordingChat,
) -> None:
    client = await register(chat)
    assert client.lead_source is None
    await chat.start("facebook")
    await client.refresh_from_db()
    assert client.lead_source == "facebook"
    await chat.start("tiktok")
    await client.refresh_from_db()
    assert client.lead_source == "facebook"


async def test_telegram_and_viber_accounts_share_one_client(
    services: Services, router: Router
) -> None:
    telegram = RecordingChat(services, router, user_id="111", channel=Channel.TELEGRAM)
    viber = RecordingChat(services, router, user_id="vb-AbC==", channel=Channel.VIBER)
    first = await register(telegram, "+380671234567")
    await viber.start()
    await viber.press("English")
    await viber.press("Share my phone")
    await viber.say("067 123 45 67")  # typed differently, same number
    # a typed number is no proof: the code goes to the profile's Telegram chat
    assert "type the code we have just sent to the Telegram chat" in viber.text
    telegram_account = await MessengerAccount.get(external_id="111")
    (row,) = await rows_for(telegram_account, kind="identity-code")
    code = re.search(r"Code: (\d{6})", row.body["text"])
    assert code is not None
    await viber.say(code.group(1))
    assert "now linked to your profile" in viber.text
    assert "special offers" not in viber.text  # consent was already given once
    assert await Client.all().count() == 1
    accounts = await MessengerAccount.filter(client_id=first.id).order_by("channel")
    assert [(a.channel, a.external_id) for a in accounts] == [
        ("telegram", "111"),
        ("viber", "vb-AbC=="),
    ]
    # both see the same trips
    await Order.create(
        number="T-0001", client=first, destination="Crete", price=100, currency="UAH"
    )
    for chat in (telegram, viber):
        await chat.press_payload("1|trips")
        assert "T-0001 · Crete" in chat.text


async def test_settings_language_consent_phone_and_forget_me(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    _, admin_account, _ = await staff_chat(services, router, "Anna", role=Role.ADMIN)
    _, manager_account, _ = await staff_chat(services, router, "Ivan")
    client = await register(chat)
    await Order.create(
        number="T-0001", client=client, destination="Crete", price=100, currency="UAH"
    )
    await chat.press("Settings")
    assert "Phone: +380671234567" in chat.text and "Offers and news: on" in chat.text

    await chat.press("Change language")
    await chat.press("Українська")
    assert "Мову змінено" in chat.text and "Налаштування" in chat.text
    await client.refresh_from_db()
    assert client.locale == "uk"
    await chat.press("Змінити мову")
    await chat.press("English")
    assert "Language changed" in chat.text

    await chat.press("Stop offers")
    assert "Offers and news: off" in chat.text
    assert (await Client.get(id=client.id)).marketing_consent is False
    await chat.press("Receive offers")
    assert (await Client.get(id=client.id)).marketing_consent is True

    await chat.press("Change my phone")
    await chat.say("not a phone")
    assert "does not look like a phone number" in chat.text
    await chat.say("+380509998877")
    assert "Your phone number is now +380509998877" in chat.text
    assert "Phone: +380509998877" in chat.text  # back in Settings
    await client.refresh_from_db()
    assert client.phone == "+380509998877"
    assert await Client.all().count() == 1  # same record, trips kept
    await chat.press("Back")
    await chat.press("My trips")
    assert "T-0001" in chat.text
    assert await AuditEntry.filter(action="phone-changed").count() == 1

    await chat.press("Back")
    await chat.press("Settings")
    await chat.press("Forget me")
    assert "delete your personal data" in chat.text
    await chat.press("Yes, delete my data")
    assert "request to delete your data is recorded" in chat.text
    await client.refresh_from_db()
    assert client.forget_requested_at is not None
    (row,) = await rows_for(admin_account, kind="forget-request")
    assert "asked to delete their personal data" in row.body["text"]
    assert "+380*****8877" in row.body["text"]
    assert await rows_for(manager_account, kind="forget-request") == []
    await chat.press("Forget me")
    await chat.press("Yes, delete my data")
    assert await OutboxMessage.filter(kind="forget-request").count() == 1


async def test_changing_to_a_number_of_another_client_does_not_move_it(
    chat: RecordingChat,
) -> None:
    mine = await register(chat)
    other = await Client.create(phone="+380509998877", first_name="Taras")
    await chat.press("Settings")
    await chat.press("Change my phone")
    await chat.share_phone("+380509998877")
    assert "We found your profile" not in chat.text
    assert "asked the agency to confirm that +380509998877 is yours" in chat.text
    account = await MessengerAccount.get(external_id="u1")
    assert account.client_id == mine.id  # type: ignore[attr-defined]
    await other.refresh_from_db()
    await mine.refresh_from_db()
    assert (other.phone, mine.phone) == ("+380509998877", "+380671234567")
