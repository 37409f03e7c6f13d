"""The sandbox provider end to end, as in ``tourdesk demo``: the client's Pay button, our short
link, the sandbox's checkout page, Pay (or Decline), its signed callback over HTTP, the result
page and the receipt in the outbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient

from core.clock import ManualClock
from core.contract import LinkButton
from core.jobs import JobRunner
from core.payloads import encode
from core.payments.intents import create_order_intent
from core.payments.registry import payment_providers
from core.services import Services
from core.settings import Settings
from storage.models import IntentStatus, Order, OrderStatus, PaymentIntent, ProviderEvent
from tests.support.chat import RecordingChat
from tests.support.factories import make_client, make_order
from tests.support.payments import sandbox_body, texts, web_app
from tests.support.procs import free_port


@pytest.fixture
def settings(settings: Settings) -> Settings:
    settings.payments.sandbox = True  # what `tourdesk demo` does; nothing else configured
    settings.web.public_url = None
    settings.web.http_host = "0.0.0.0"
    settings.web.http_port = 8080
    return settings


@pytest.fixture
async def web(services: Services, settings: Settings) -> AsyncIterator[TestClient]:
    """The app bound where the settings say (0.0.0.0 on a free port), as `tourdesk demo` runs."""
    settings.web.http_port = free_port()
    async with web_app(services, host="0.0.0.0", port=settings.web.http_port) as client:
        yield client


async def open_link(chat: RecordingChat) -> str:
    link = next(b for b in chat.buttons() if isinstance(b, LinkButton))
    assert link.url.startswith("http://127.0.0.1:")  # the demo's address
    assert urlsplit(link.url).port not in (None, 80)
    return urlsplit(link.url).path


async def test_pay_in_the_sandbox_from_button_to_receipt(
    chat: RecordingChat,
    web: TestClient,
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=150_000)
    await chat.press_payload(encode("pay", order.id))
    await chat.press("Pay the rest")
    path = await open_link(chat)
    async with web.get(path, allow_redirects=False) as resp:
        assert resp.status == 303
        checkout = resp.headers["Location"]
    async with web.get(checkout) as resp:
        page = await resp.text()
    assert "Test payment (sandbox)" in page and "UAH\xa01,500.00" in page
    assert 'value="pay"' in page and 'value="decline"' in page
    async with web.post(checkout, data={"choice": "pay"}) as resp:  # follows to the result
        assert resp.status == 200
        assert "Your payment of UAH\xa01,500.00 has been received" in await resp.text()
        assert resp.url.path == f"{path}/done"
    order = await Order.get(id=order.id)
    assert (order.paid, order.status) == (150_000, OrderStatus.PAID)
    receipt = (await texts(client_id=client.id))[-1]
    assert "Payment received: UAH\xa01,500.00 for order T-0001" in receipt
    event = await ProviderEvent.get(provider="sandbox")
    assert event.signature_valid and event.outcome == "credited"
    async with web.get(path) as resp:  # the link now says it is paid
        assert "already been made" in await resp.text()


async def test_decline_in_the_sandbox_offers_a_new_link(
    chat: RecordingChat,
    web: TestClient,
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=150_000)
    await chat.press_payload(encode("payo", order.id, "full"))
    path = await open_link(chat)
    intent = await PaymentIntent.get()
    async with web.post(f"/sandbox/checkout/{intent.reference}", data={"choice": "decline"}) as r:
        assert "did not go through" in await r.text()
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.FAILED
    assert "did not go through" in (await texts(client_id=client.id))[-1]
    retry = await PaymentIntent.get(status=IntentStatus.PENDING)
    async with web.post(f"/sandbox/checkout/{retry.reference}", data={"choice": "pay"}) as r:
        assert r.status == 200
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
    async with web.get(path) as resp:
        assert "did not go through" in await resp.text()


async def test_sandbox_callback_is_verified_like_a_real_one(
    services: Services,
    web: TestClient,
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=10_000)
    intent = await create_order_intent(services, order)
    payload = {
        "payment_id": "sbx-x",
        "reference": intent.reference,
        "status": "success",
        "amount": "100.00",
        "currency": "UAH",
    }
    forged = sandbox_body(b"not the secret", payload)
    async with web.post("/payments/sandbox/callback", data=forged) as resp:
        assert resp.status == 403
    sandbox = payment_providers(services).sandbox
    assert sandbox is not None
    async with web.post(
        "/payments/sandbox/callback", data=sandbox_body(sandbox.secret, payload)
    ) as resp:
        assert resp.status == 200
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID


async def test_sandbox_payment_whose_callback_was_lost_is_found_by_reconciliation(
    services: Services,
    web: TestClient,
    settings: Settings,
    clock: ManualClock,
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=10_000)
    intent = await create_order_intent(services, order)
    settings.web.public_url = "http://127.0.0.1:9"  # the callback cannot get through
    async with web.post(f"/sandbox/checkout/{intent.reference}", data={"choice": "pay"}) as r:
        assert r.status == 200  # "we are waiting for the confirmation"
    assert (await Order.get(id=order.id)).paid == 0
    clock.advance(timedelta(minutes=services.rules.payments.reconcile_after_minutes + 1))
    await JobRunner(services.jobs, "test").drain()
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
    assert "Payment received" in (await texts(client_id=client.id))[-1]


async def test_sandbox_pages_do_not_exist_when_the_sandbox_is_off(
    services: Services,
    web: TestClient,
    settings: Settings,
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client)
    intent = await create_order_intent(services, order)
    services.payments = None
    settings.payments.sandbox = False
    async with web.get(f"/sandbox/checkout/{intent.reference}") as resp:
        assert resp.status == 404
    async with web.post("/payments/sandbox/callback", data=b"data=x&signature=y") as resp:
        assert resp.status == 404
