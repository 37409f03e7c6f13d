"""The API end to end with a real messenger: a tourist registered through Telegram (the fake
Bot API behind our webhook), their order created and confirmed by a CRM over HTTP, and what
Telegram received — the same messages staff actions in chat produce, delivered through the
outbox by the runtime's own delivery worker."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from pydantic import SecretStr

from core.rules import Delivery, Rules
from core.services import Services
from storage.models import Client, OutboxMessage
from tests.fakes.telegram_api import FakeTelegram
from tests.support.api import make_key
from tests.support.e2e import Desk, TgPerson, open_desk, register

PHONE = "+380671234567"


@pytest.fixture
def rules() -> Rules:
    return Rules(delivery=Delivery(flood_messages=1000))


@pytest.fixture
async def desk(services: Services) -> AsyncIterator[Desk]:
    services.settings.web.admin_token = SecretStr("unused-operator-token")
    fake = await FakeTelegram().start()
    desk = await open_desk(services, telegram=fake)
    try:
        yield desk
    finally:
        await desk.close()
        await fake.close()


async def call(desk: Desk, key: str, method: str, path: str, body: Any = None) -> Any:
    async with desk.http.request(
        method,
        f"{desk.base_url}/api/v1{path}",
        json=body,
        headers={"Authorization": f"Bearer {key}"},
    ) as resp:
        assert resp.status in (200, 201), await resp.text()
        return await resp.json()


async def test_crm_books_and_confirms_an_order_and_the_tourist_hears_in_telegram(
    desk: Desk, services: Services
) -> None:
    assert desk.telegram is not None
    olena = TgPerson(desk.telegram, 501, "Olena")
    await olena.start()
    await olena.press("English")
    await register(olena, PHONE.lstrip("+"))
    key = await make_key("crm", "clients:read,orders:write")

    found = await call(desk, key, "GET", "/clients?phone=067%20123%2045%2067")
    [client] = found["items"]
    assert client["id"] == (await Client.get(phone=PHONE)).id
    departure = services.clock.now().date() + timedelta(days=40)
    order = await call(
        desk,
        key,
        "POST",
        "/orders",
        {
            "client_id": client["id"],
            "destination": "Antalya",
            "departure_date": str(departure),
            "price": 3_000_000,
        },
    )
    assert order["client_notified"] is True
    await desk.deliver()
    booked = olena.inbox()
    assert len(booked) == 1
    assert f"A trip has been booked for you: {order['number']}, Antalya" in booked[0].text
    assert "Open my trip" in booked[0].labels[0]

    confirmed = await call(
        desk, key, "POST", f"/orders/{order['id']}/status", {"status": "confirmed"}
    )
    assert confirmed["status"] == "confirmed"
    await desk.deliver()
    [message] = olena.inbox()
    assert message.text == f"✅ Your trip {order['number']} (Antalya) is confirmed."
    row = await OutboxMessage.get(kind="order-confirmed")
    assert row.status == "sent" and row.channel == "telegram"
