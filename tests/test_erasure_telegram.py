"""Erasure through the real aiogram path against the fake Bot API: the client taps Forget me,
the admin's Telegram notice carries Erase / Decline, the admin erases, and the farewell still
reaches the client's chat after their account was unlinked."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.services import Services
from handlers.router import Router
from storage.models import Client, MessengerAccount, Role, Staff
from tests.fakes.telegram_api import FakeTelegram, RunningBot, TgUser, run_bot


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    yield server
    await server.close()


@pytest.fixture
async def bot(services: Services, router: Router, fake: FakeTelegram) -> AsyncIterator[RunningBot]:
    running = await run_bot(services, router, fake, mode="webhook")
    yield running
    await running.stop()


async def test_forget_me_erase_and_farewell_over_telegram(
    bot: RunningBot, fake: FakeTelegram
) -> None:
    admin = await Staff.create(name="Anna", role=Role.ADMIN, locale="en")
    await MessengerAccount.create(channel="telegram", external_id="900", staff=admin)
    client = await Client.create(
        phone="+380979876543", first_name="Zoryana", last_name="Kvitkovska", locale="en"
    )
    await MessengerAccount.create(
        channel="telegram", external_id="701", client=client, name="Zoryana K"
    )
    zoryana, anna = TgUser(fake, 701, first_name="Zoryana"), TgUser(fake, 900, first_name="Anna")

    await bot.post(zoryana.start())
    await bot.post(zoryana.press_label("Settings"))
    await bot.post(zoryana.press_label("Forget me"))
    await bot.post(zoryana.press_label("Yes, delete"))
    await bot.runtime.delivery.run_once()
    notice = fake.last(900)
    assert "Zoryana Kvitkovska" in notice.text
    assert notice.labels[:2] == ["🗑 Erase", "Decline"]

    await bot.post(anna.press_label("Erase"))
    assert "Erase the personal data of Zoryana Kvitkovska" in fake.last(900).text
    await bot.post(anna.press_label("Yes, erase"))
    assert f"Client #{client.id} is erased" in fake.last(900).text

    assert (await Client.get(id=client.id)).phone is None
    assert (await MessengerAccount.get(external_id="701")).client_id is None
    await bot.runtime.delivery.run_once()
    assert "Your personal data has been deleted" in fake.last(701).text
