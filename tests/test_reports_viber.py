"""An admin asks for a report in Viber: the figures as a reply, the chart as a Viber picture
message whose ``media`` URL serves the PNG from the running web app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from core.services import Services
from storage.models import Role
from tests.fakes.viber_api import FakeViberApi
from tests.support.e2e import Desk, open_desk
from tests.support.factories import make_client, make_order


@pytest.fixture
async def desk(services: Services) -> AsyncIterator[Desk]:
    fake = FakeViberApi()
    await fake.start()
    desk = await open_desk(services, viber=fake)
    try:
        yield desk
    finally:
        await desk.close()
        await fake.close()


async def test_an_admin_gets_debtors_with_a_picture_in_viber(desk: Desk) -> None:
    assert desk.viber is not None
    client = await make_client(first_name="Olena", last_name="Bondar")
    await make_order(client, price=1_000_000, paid=250_000)
    admin = desk.viber.person("marta-vb+1==", "Marta")
    await admin.open_chat()
    await admin.say(await desk.invite("Marta", Role.ADMIN))

    await admin.press("Reports")
    await admin.press("Debtors")
    await admin.press("Last 30 days")
    assert "Debtors: 1 · open orders: 1" in admin.text
    assert "Olena Bondar: UAH\u00a07,500.00 (no due date)" in admin.text

    await desk.deliver()
    pictures: list[dict[str, Any]] = [m for m in admin.inbox() if m.get("type") == "picture"]
    assert len(pictures) == 1
    assert "Debtors ·" in str(pictures[0]["text"])
    url = str(pictures[0]["media"])
    assert url.startswith(desk.base_url + "/reports/chart/")
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        assert response.status == 200
        assert (await response.read())[:8] == b"\x89PNG\r\n\x1a\n"
