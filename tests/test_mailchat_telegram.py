"""An admin runs a mailing from Telegram, end to end: the real aiogram channel against the fake
Bot API. Wizard by typing and pressing, a test send to their own chat, Send now, the clients'
messages, progress and the final report in the admin's chat, and the card refreshed in place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from core.clock import ManualClock
from core.jobs import JobRunner
from core.rules import Delivery, Rules
from core.services import Services
from storage.models import Mailing, MailingStatus, Role
from tests.fakes.telegram_api import FakeTelegram, Sent
from tests.support.e2e import Desk, TgPerson, open_desk, register


@pytest.fixture
def rules() -> Rules:
    return Rules(delivery=Delivery(flood_messages=1000))


@pytest.fixture
async def desk(services: Services) -> AsyncIterator[Desk]:
    fake = await FakeTelegram().start()
    desk = await open_desk(services, telegram=fake)
    try:
        yield desk
    finally:
        await desk.close()
        await fake.close()


async def client(desk: Desk, user_id: int, name: str, phone: str) -> TgPerson:
    assert desk.telegram is not None
    person = TgPerson(desk.telegram, user_id, name)
    await person.start()
    await person.press("English")
    await register(person, phone)
    return person


async def tick(desk: Desk, seconds: float = 5) -> None:
    """Time passes: due jobs run and the outbox is delivered through the real sender."""
    clock = desk.services.clock
    assert isinstance(clock, ManualClock)
    clock.advance(timedelta(seconds=seconds))
    await JobRunner(desk.services.jobs, "test").drain()
    await desk.deliver()


async def test_an_admin_sends_a_mailing_from_telegram_and_watches_it_finish(desk: Desk) -> None:
    assert desk.telegram is not None
    olena = await client(desk, 501, "Olena", "380671234567")
    petro = await client(desk, 502, "Petro", "380671234568")
    admin = TgPerson(desk.telegram, 900, "Marta")
    await admin.start(await desk.invite("Marta", Role.ADMIN))
    assert "📣 Mailings" in admin.labels

    await admin.press("Mailings")
    await admin.press("New mailing")
    await admin.say("age>20")
    assert "The segment has a problem at position 4" in admin.text
    await admin.press("Everyone with consent")
    assert "Recipients: 2" in admin.text and "· telegram: 2" in admin.text
    await admin.press("Continue")
    await admin.say("Hi {first_name}! Autumn deals.")
    await admin.press("Continue")
    await admin.press("Skip")
    await admin.say("Deals - https://example.com/deals")
    await admin.press("Continue")
    mailing = await Mailing.get()
    assert f"Mailing #{mailing.id} is ready." in admin.text

    await admin.press("Send me a test")
    assert "The test is on its way to this chat" in admin.text
    await desk.deliver()
    [test] = admin.inbox()
    assert test.text == "Hi Marta! Autumn deals."
    assert test.labels == ["Deals", "🔕 Unsubscribe"]
    assert olena.inbox() == [] and petro.inbox() == []

    await admin.press("Send now")
    assert f"Mailing #{mailing.id} is being sent." in admin.text
    [launch] = admin.shown
    assert "scheduled" in launch.text
    launch_edits = launch.edits  # (the fake updates its Sent objects in place)
    seen: list[Sent] = []
    got: dict[str, list[Sent]] = {"olena": [], "petro": []}
    for _ in range(10):
        await tick(desk)
        seen += admin.inbox()
        got["olena"] += olena.inbox()
        got["petro"] += petro.inbox()
    assert [m.text for m in got["olena"]] == ["Hi Olena! Autumn deals."]
    assert [m.text for m in got["petro"]] == ["Hi Petro! Autumn deals."]
    assert got["olena"][0].labels == ["Deals", "🔕 Unsubscribe"]
    assert (await Mailing.get(id=mailing.id)).status is MailingStatus.DONE
    texts = [m.text for m in seen]
    # one live progress message, edited in place (editMessageText) up to its final state
    shown = {m.message_id: m for m in seen}  # (an edited message shows up again, the same one)
    [live] = [m for m in shown.values() if m.text.startswith(f"📣 Mailing #{mailing.id}:")]
    assert live.edits >= 1 and live.text.startswith(f"📣 Mailing #{mailing.id}: done")
    assert "Progress: 2 of 2 (100%)" in live.text
    edited = desk.telegram.requests("editMessageText")
    assert any(int(e["message_id"]) == live.message_id for e in edited)
    [final] = [t for t in texts if t.startswith(f"✅ Mailing #{mailing.id} is finished.")]
    assert "Progress: 2 of 2 (100%)" in final and "sent: 2" in final
    assert len(shown) == 2  # the live message and the final report: nothing else

    # Refresh on the card shown at the start edits that message in place
    [refresh] = [b for b in launch.buttons if b["text"] == "🔄 Refresh"]
    await admin.press_data(refresh["callback_data"], launch)
    [edited] = admin.shown
    assert edited.message_id == launch.message_id and edited.edits == launch_edits + 1
    assert edited.text.startswith(f"📣 Mailing #{mailing.id}: done")
    assert "Progress: 2 of 2 (100%)" in edited.text
    await admin.say("/mailings")
    assert f"#{mailing.id} · done · 100% of 2" in admin.text


async def test_clients_get_the_mailing_in_telegram(desk: Desk) -> None:
    assert desk.telegram is not None
    olena = await client(desk, 501, "Olena", "380671234567")
    admin = TgPerson(desk.telegram, 900, "Marta")
    await admin.start(await desk.invite("Marta", Role.ADMIN))
    await admin.say("/mailings")
    await admin.press("New mailing")
    await admin.say("channel=telegram")
    await admin.press("Continue")
    await admin.say("Hello {first_name}, sea and sun!")
    await admin.press("Continue")
    await admin.say("https://example.com/sea.jpg")
    await admin.press("Continue")
    await admin.press("Send now")
    await tick(desk, 1)
    [message] = olena.inbox()
    assert message.kind == "photo"
    assert message.text == "Hello Olena, sea and sun!"
    assert message.labels == ["🔕 Unsubscribe"]
