"""Payments at the edges: reconciliation reaches every open link however many there are,
events a crash left at "received" are finished by the job, unverified bodies are not stored
whole, and the sandbox's secret and callback address hold across processes and Host headers."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bots.app import Runtime, build_services
from core.clock import ManualClock
from core.jobs import JobRunner
from core.payments.intents import EXPIRE, create_order_intent
from core.payments.jobs import RECONCILE_BATCH, expire, reconcile
from core.payments.registry import payment_providers
from core.rules import Rules
from core.services import Services
from core.settings import Settings
from storage.models import (
    EntryKind,
    IntentPurpose,
    IntentStatus,
    Job,
    LedgerEntry,
    Order,
    OrderStatus,
    PaymentIntent,
    ProviderEvent,
)
from tests.support.factories import make_client, make_order
from tests.support.payments import (
    FakeProviders,
    configure,
    fake_providers,
    liqpay_body,
    liqpay_payload,
    liqpay_status,
    offline,
    sandbox_body,
    texts,
    web_app,
)
from tests.support.procs import free_port


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


# --- finding 4: every pending link is reconciled ------------------------------------------


async def test_with_a_thousand_pending_links_the_newest_paid_one_is_reconciled(
    services: Services, clock: ManualClock, fake: tuple[FakeProviders, str]
) -> None:
    providers, _ = fake
    client = await make_client(user_id="u1")
    other = await make_order(client, price=5_000, status=OrderStatus.CONFIRMED, number="T-0002")
    now = clock.now()
    await PaymentIntent.bulk_create(
        [
            PaymentIntent(
                token=secrets.token_hex(8),
                reference=f"old-{i:04d}",
                client_id=client.id,
                order_id=other.id,
                purpose=IntentPurpose.ORDER,
                amount=5_000,
                currency="UAH",
                provider="liqpay",
                created_at=now - timedelta(hours=1),
                expires_at=now + timedelta(days=30),
            )
            for i in range(999)
        ]
    )
    order = await make_order(client, price=120_000, status=OrderStatus.CONFIRMED)
    newest = await create_order_intent(services, order, provider="liqpay")
    assert await PaymentIntent.filter(status=IntentStatus.PENDING).count() == 1000
    providers.liqpay[newest.reference] = liqpay_status(newest.reference, 1200.0)  # paid

    runs = 0
    while (await Order.get(id=order.id)).status is not OrderStatus.PAID and runs < 12:
        clock.advance(timedelta(minutes=services.rules.payments.reconcile_after_minutes + 1))
        await reconcile(services)
        runs += 1

    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
    assert runs <= 1000 // RECONCILE_BATCH  # each run took a fresh batch
    asked = {r["order_id"] for r in providers.requests if r["provider"] == "liqpay"}
    assert len(asked) == 1000  # every pending link was asked about, none twice before that
    assert "Payment received" in (await texts(client_id=client.id))[-1]


async def test_a_booking_paid_without_a_callback_is_credited_at_expiry_not_cancelled(
    services: Services, clock: ManualClock, fake: tuple[FakeProviders, str]
) -> None:
    providers, _ = fake
    client = await make_client(user_id="u1")
    order = await make_order(client, price=100_000)  # a booking waiting for its prepayment
    intent = await create_order_intent(services, order, provider="liqpay")
    assert intent.is_prepayment
    amount = intent.amount / 100
    providers.liqpay[intent.reference] = liqpay_status(intent.reference, amount)  # paid
    clock.advance(intent.expires_at - clock.now() + timedelta(minutes=1))
    job = await Job.get(kind=EXPIRE, dedupe_key__endswith="expire")
    await expire(services, job)  # reconciliation has not reached this link yet

    order = await Order.get(id=order.id)
    assert order.status is not OrderStatus.CANCELLED
    assert order.paid == intent.amount
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.PAID
    assert not [t for t in await texts(client_id=client.id) if "cancelled" in t.lower()]


# --- finding 9: stuck events ---------------------------------------------------------------


async def test_an_event_left_at_received_is_applied_by_the_job_once(
    services: Services, clock: ManualClock, web_client: TestClient
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=120_000, status=OrderStatus.CONFIRMED)
    intent = await create_order_intent(services, order, provider="liqpay")
    body = liqpay_body(liqpay_payload(intent.reference, "1200", payment_id=4242))
    # What a process that died right after storing the callback leaves behind.
    event = await ProviderEvent.create(
        provider="liqpay", body=body.decode(), signature_valid=True, received_at=clock.now()
    )
    forged = await ProviderEvent.create(
        provider="liqpay", body="data=e30%3D&signature=bad", received_at=clock.now()
    )
    clock.advance(timedelta(minutes=services.rules.payments.reconcile_after_minutes + 1))
    await JobRunner(services.jobs, "test").drain()

    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
    assert (await ProviderEvent.get(id=event.id)).outcome == "credited"
    refused = await ProviderEvent.get(id=forged.id)
    assert refused.outcome.startswith("rejected: bad signature")
    # The provider's own retry arrives later: it changes nothing.
    async with web_client.post("/payments/liqpay/callback", data=body) as resp:
        assert resp.status == 200
    assert await LedgerEntry.filter(kind=EntryKind.PAYMENT).count() == 1
    assert len([t for t in await texts(client_id=client.id) if "Payment received" in t]) == 1
    assert await ProviderEvent.filter(outcome="received").count() == 0


# --- finding 6: unverified bodies ----------------------------------------------------------


async def test_unsigned_megabyte_posts_store_only_a_prefix_size_and_hash(
    services: Services, web_client: TestClient
) -> None:
    junk = b"data=" + b"A" * (1024 * 1024 - 64) + b"&signature=nope"
    for _ in range(20):
        async with web_client.post("/payments/liqpay/callback", data=junk) as resp:
            assert resp.status in (403, 413)
    small = b"data=eyJ4IjoxfQ%3D%3D&signature=" + b"x" * 3000  # under the limit, unsigned
    async with web_client.post("/payments/liqpay/callback", data=small) as resp:
        assert resp.status == 403
        assert "signature" in await resp.text()
    events = await ProviderEvent.all()
    assert sum(len(e.body) for e in events) <= 21 * 2048
    stored = next(e for e in events if e.body_size == len(small))
    assert stored.body == small[:2048].decode()
    assert stored.body_sha256 == hashlib.sha256(small).hexdigest()
    assert stored.signature_valid is False and stored.outcome == "bad_signature"


async def test_a_signed_callback_is_stored_whole(
    services: Services, web_client: TestClient
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=120_000, status=OrderStatus.CONFIRMED)
    intent = await create_order_intent(services, order, provider="liqpay")
    body = liqpay_body(liqpay_payload(intent.reference, "1200", payment_id=5151))
    async with web_client.post("/payments/liqpay/callback", data=body) as resp:
        assert resp.status == 200
    event = await ProviderEvent.get()
    assert event.body == body.decode() and event.body_size == len(body)


async def test_a_signed_liqpay_payment_id_longer_than_the_key_is_a_400(
    services: Services, web_client: TestClient
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=120_000, status=OrderStatus.CONFIRMED)
    intent = await create_order_intent(services, order, provider="liqpay")
    payload = liqpay_payload(intent.reference, "1200")
    payload["payment_id"] = "9" * 300
    async with web_client.post("/payments/liqpay/callback", data=liqpay_body(payload)) as resp:
        assert resp.status == 400
        assert "payment id" in await resp.text()
    assert (await Order.get(id=order.id)).paid == 0


# --- finding 7: the sandbox ----------------------------------------------------------------


@pytest.fixture
def sandbox_settings(settings: Settings) -> Settings:
    settings.liqpay.public_key = None
    settings.wayforpay.merchant = None
    settings.payments.sandbox = True
    settings.web.public_url = None
    settings.web.http_host = "0.0.0.0"
    settings.web.http_port = free_port()
    return settings


async def test_two_processes_share_the_sandbox_secret(
    sandbox_settings: Settings, services: Services, clock: ManualClock
) -> None:
    other = await build_services(sandbox_settings, Rules(), clock=clock)  # "another process"
    try:
        first = payment_providers(services).sandbox
        second = payment_providers(other).sandbox
        assert first is not None and second is not None and first is not second
        client = await make_client(user_id="u1")
        order = await make_order(client, price=10_000, status=OrderStatus.CONFIRMED)
        intent = await create_order_intent(services, order, provider="sandbox")
        await first.ready()
        payment = first.record(intent.reference, intent.amount, intent.currency, "pay")
        body = first.callback_body(payment)  # signed by the first process ...
        runtime = Runtime(other, with_messengers=False)  # ... handled by the second
        async with TestClient(TestServer(runtime.web_app)) as web:
            async with web.post("/payments/sandbox/callback", data=body) as resp:
                assert resp.status == 200
            assert (await Order.get(id=order.id)).status is OrderStatus.PAID
            forged = sandbox_body(b"not the secret", payment.payload())
            async with web.post("/payments/sandbox/callback", data=forged) as resp:
                assert resp.status == 403
    finally:
        if other.redis is not None:
            await other.redis.aclose()


async def test_a_configured_sandbox_secret_is_used(sandbox_settings: Settings) -> None:
    from pydantic import SecretStr

    from core.payments.registry import build_providers

    sandbox_settings.payments.sandbox_secret = SecretStr("configured-secret")
    sandbox = build_providers(sandbox_settings).sandbox
    assert sandbox is not None
    await sandbox.ready()
    assert sandbox.secret == b"configured-secret"


async def test_the_sandbox_calls_back_our_own_address_whatever_host_the_browser_named(
    sandbox_settings: Settings, services: Services
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=10_000, status=OrderStatus.CONFIRMED)
    intent = await create_order_intent(services, order, provider="sandbox")
    async with web_app(services, host="0.0.0.0", port=sandbox_settings.web.http_port) as web:
        evil = {"Host": "evil.example"}
        path = f"/sandbox/checkout/{intent.reference}"
        async with web.get(path, headers=evil) as resp:
            page = await resp.text()
        assert resp.status == 200 and "evil.example" not in page
        async with web.post(
            path, data={"choice": "pay"}, headers=evil, allow_redirects=False
        ) as resp:
            assert resp.status == 303
            assert "evil.example" not in resp.headers["Location"]
    # The callback reached us (127.0.0.1 on our bind port), not evil.example.
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
