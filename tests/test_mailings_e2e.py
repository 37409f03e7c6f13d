"""A mailing in Telegram, end to end: the real aiogram channel, the fake Bot API. The client sees
the picture with their personalised caption, the link button and Unsubscribe; pressing it
withdraws consent at once and the next mailing passes them by."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.jobs import JobRunner
from core.mailings import service
from core.rules import Delivery, Rules
from core.services import Services
from storage.models import Client
from tests.fakes.telegram_api import FakeTelegram
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


async def send(desk: Desk, texts: dict[str, str], **options: object) -> int:
    mailing = await service.create_mailing(desk.services, texts, **options)  # type: ignore[arg-type]
    await service.schedule(desk.services, mailing.id)
    await JobRunner(desk.services.jobs, "test").drain()
    await desk.deliver()
    return mailing.id


async def test_a_telegram_client_gets_the_mailing_and_unsubscribes_with_one_press(
    desk: Desk,
) -> None:
    assert desk.telegram is not None
    olena = TgPerson(desk.telegram, 501, "Olena")
    await olena.start()
    await olena.press("English")
    await register(olena, "380671234567")
    await send(
        desk,
        {"default": "Hi {first_name}! Autumn deals inside.", "uk": "Привіт, {first_name}!"},
        picture_url="https://example.com/sea.jpg",
        links=[("See the deals", "https://example.com/deals")],
    )
    [message] = olena.inbox()
    assert message.kind == "photo"
    assert message.text == "Hi Olena! Autumn deals inside."
    assert message.labels == ["See the deals", "🔕 Unsubscribe"]
    assert olena.link("See the deals") == "https://example.com/deals"
    await olena.press("Unsubscribe")
    assert "no more news and offers from us" in olena.text
    assert (await Client.get(phone="+380671234567")).marketing_consent is False
    await send(desk, {"default": "Another offer"})
    assert olena.inbox() == []
