"""An accountant asks for a report in Telegram, end to end: the real aiogram channel against the
fake Bot API. Report and period by buttons, the figures at once, then the chart as a photo sent
through the outbox, whose URL serves a PNG from the running web app (and stops after expiry)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest

from core.clock import ManualClock
from core.reports.pictures import LIFETIME
from core.services import Services
from storage.models import EntryKind, LedgerEntry, OutboxMessage, Role
from tests.fakes.telegram_api import FakeTelegram
from tests.support.e2e import Desk, TgPerson, open_desk
from tests.support.factories import make_client


@pytest.fixture
async def desk(services: Services) -> AsyncIterator[Desk]:
    fake = await FakeTelegram().start()
    desk = await open_desk(services, telegram=fake)
    try:
        yield desk
    finally:
        await desk.close()
        await fake.close()


async def test_an_accountant_gets_payments_per_day_with_a_chart(desk: Desk) -> None:
    assert desk.telegram is not None
    clock = desk.services.clock
    assert isinstance(clock, ManualClock)
    client = await make_client()
    for amount, days_ago in ((150_000, 0), (50_000, 0), (70_000, 3)):
        await LedgerEntry.create(
            client_id=client.id,
            amount=amount,
            currency="UAH",
            kind=EntryKind.PAYMENT,
            reference=f"test:{amount}",
            created_at=clock.now() - timedelta(days=days_ago),
        )
    accountant = TgPerson(desk.telegram, 910, "Iryna")
    await accountant.start(await desk.invite("Iryna", Role.ACCOUNTANT))
    assert "📊 Reports" in accountant.labels

    await accountant.press("Reports")
    assert "Which report?" in accountant.text
    await accountant.press("Payments per day")
    assert "Payments per day: for which period?" in accountant.text
    await accountant.press("This month")

    assert "Payments received: 3" in accountant.text
    assert "Total: UAH\u00a02,700.00" in accountant.text
    assert "November 23, 2026: 2 · UAH\u00a02,000.00" in accountant.text
    assert "The chart follows in a moment." in accountant.text
    assert await OutboxMessage.filter(kind="report-chart").count() == 1

    await desk.deliver()
    (photo,) = accountant.inbox()
    assert photo.kind == "photo"
    assert "Payments per day · November 1, 2026 – November 23, 2026" in photo.text
    (request,) = desk.telegram.requests("sendPhoto")
    url = str(request["photo"])
    assert url.startswith(desk.base_url + "/reports/chart/")
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as response:
            assert response.status == 200
            assert response.content_type == "image/png"
            assert (await response.read())[:8] == b"\x89PNG\r\n\x1a\n"
        async with http.get(url.replace("/chart/", "/chart/x")) as forged:
            assert forged.status == 404
        clock.advance(LIFETIME + timedelta(minutes=1))
        async with http.get(url) as expired:
            assert expired.status == 404


async def test_a_manager_has_no_reports(desk: Desk) -> None:
    assert desk.telegram is not None
    manager = TgPerson(desk.telegram, 911, "Petro")
    await manager.start(await desk.invite("Petro", Role.MANAGER))
    assert "📊 Reports" not in manager.labels
