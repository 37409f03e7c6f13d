"""Reconciliation: links pending for a while are looked up at the provider (LiqPay ``status``,
WayForPay ``CHECK_STATUS``) — here small local servers speaking their protocol — and the answer
goes through the same exactly-once path as callbacks, so the two never double-credit."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient

from core.clock import ManualClock
from core.jobs import JobRunner
from core.payments.intents import create_order_intent
from core.payments.jobs import reconcile
from core.services import Services
from core.settings import Settings
from storage.models import EntryKind, IntentStatus, LedgerEntry, Order, OrderStatus, PaymentIntent
from tests.support.factories import make_client, make_order
from tests.support.payments import (
    FakeProviders,
    configure,
    fake_providers,
    liqpay_body,
    liqpay_payload,
    liqpay_status,
    offline,
    texts,
    web_app,
    wfp_body,
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return configure(settings)


@pytest.fixture
async def fake() -> AsyncIterator[tuple[FakeProviders, str]]:
    async with fake_providers() as served:
        yield served


@pytest.fixture
def services(services: Services, fake: tuple[FakeProviders, str]) -> Services:
    return offline(services, fake[1])


@pytest.fixture
async def web_client(services: Services) -> AsyncIterator[TestClient]:
    async with web_app(services) as client:
        yield client


async def later(services: Services, clock: ManualClock) -> None:
    clock.advance(timedelta(minutes=services.rules.payments.reconcile_after_minutes + 1))
    await JobRunner(services.jobs, "test").drain()


async def test_a_lost_liqpay_callback_is_recovered_and_the_late_one_ignored(
    services: Services,
    clock: ManualClock,
    fake: tuple[FakeProviders, str],
    web_client: TestClient,
) -> None:
    providers, _ = fake
    client = await make_client(user_id="u1")
    order = await make_order(client, price=120_000)
    intent = await create_order_intent(services, order)
    providers.liqpay[intent.reference] = liqpay_status(intent.reference, 1200.0)
    await later(services, clock)
    assert providers.requests[0]["action"] == "status"
    assert providers.requests[0]["order_id"] == intent.reference
    order = await Order.get(id=order.id)
    assert (order.paid, order.status) == (120_000, OrderStatus.PAID)
    assert "Payment received" in (await texts(client_id=client.id))[-1]
    body = liqpay_body(liqpay_payload(intent.reference, "1200", payment_id=777))
    async with web_client.post("/payments/liqpay/callback", data=body) as resp:
        assert resp.status == 200
    assert await LedgerEntry.filter(kind=EntryKind.PAYMENT).count() == 1
    assert len([t for t in await texts(client_id=client.id) if "Payment received" in t]) == 1


async def test_wayforpay_check_status_answer_is_verified_then_applied(
    services: Services, clock: ManualClock, fake: tuple[FakeProviders, str]
) -> None:
    providers, _ = fake
    client = await make_client(user_id="u1")
    order = await make_order(client, price=10_000)
    intent = await create_order_intent(services, order, provider="wayforpay")
    providers.wayforpay[intent.reference] = wfp_body(intent.reference, "100", key="wrong")
    await later(services, clock)
    assert providers.requests and (await Order.get(id=order.id)).paid == 0  # refused
    providers.wayforpay[intent.reference] = wfp_body(intent.reference, "100")
    await later(services, clock)
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID


async def test_nothing_found_changes_nothing_and_keeps_watching(
    services: Services, clock: ManualClock, fake: tuple[FakeProviders, str]
) -> None:
    providers, _ = fake
    client = await make_client(user_id="u1")
    intent = await create_order_intent(services, await make_order(client))
    await later(services, clock)
    assert providers.requests
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.PENDING
    asked = len(providers.requests)
    await later(services, clock)
    assert len(providers.requests) > asked  # the next run was planned


async def test_reconciliation_racing_callbacks_credits_once(
    services: Services,
    clock: ManualClock,
    fake: tuple[FakeProviders, str],
    web_client: TestClient,
) -> None:
    providers, _ = fake
    client = await make_client(user_id="u1")
    order = await make_order(client, price=120_000)
    intent = await create_order_intent(services, order)
    providers.liqpay[intent.reference] = liqpay_status(intent.reference, 1200.0)
    clock.advance(timedelta(minutes=services.rules.payments.reconcile_after_minutes + 1))
    body = liqpay_body(liqpay_payload(intent.reference, "1200", payment_id=777))

    async def callback() -> int:
        async with web_client.post("/payments/liqpay/callback", data=body) as resp:
            return resp.status

    results = await asyncio.gather(reconcile(services), *(callback() for _ in range(5)))
    assert results[1:] == [200] * 5
    assert await LedgerEntry.filter(kind=EntryKind.PAYMENT).count() == 1
    assert (await Order.get(id=order.id)).paid == 120_000
