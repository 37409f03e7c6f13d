"""Fiscal receipts through Checkbox (issue 19, fiscal part), against a local fake Checkbox that
speaks its wire format: a sell receipt for every payment and a return receipt for every refund,
exactly once (our receipt id derives from the payment, so retries and a crash between
Checkbox's answer and our write never fiscalise twice); the payment never waits for the PRRO;
the client gets the fiscal code and link; staff are told once when a receipt keeps failing; the
shift is opened when needed and closed daily."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from core.clock import ManualClock
from core.fiscal import receipts as fiscal
from core.fiscal.checkbox import Checkbox
from core.jobs import JobRunner
from core.payments.intents import create_order_intent
from core.rules import Rules
from core.services import Services
from core.settings import Settings
from storage.models import (
    EntryKind,
    FiscalReceipt,
    FiscalStatus,
    LedgerEntry,
    Order,
    OrderStatus,
    OutboxMessage,
    PaymentIntent,
    Role,
)
from tests.fakes.checkbox import LICENSE, PIN, FakeCheckbox
from tests.support.api import ADMIN_TOKEN, Caller
from tests.support.factories import make_client, make_order, make_staff
from tests.support.payments import (
    callback_status,
    configure,
    liqpay_body,
    liqpay_payload,
    offline,
    web_app,
)


@pytest.fixture
async def checkbox(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeCheckbox]:
    fake = FakeCheckbox()
    server = TestServer(fake.app(), host="127.0.0.1")
    await server.start_server()
    monkeypatch.setenv("CHECKBOX_LICENSE_KEY", LICENSE)
    monkeypatch.setenv("CHECKBOX_PIN", PIN)
    monkeypatch.setenv("CHECKBOX_API_URL", str(server.make_url("/api/v1")))
    try:
        yield fake
    finally:
        await server.close()


@pytest.fixture
def rules() -> Rules:
    return Rules.model_validate({"fiscal": {"poll_seconds": 0.01, "alert_after_attempts": 3}})


@pytest.fixture
def settings(settings: Settings, checkbox: FakeCheckbox) -> Settings:
    return configure(settings)


@pytest.fixture
def services(services: Services) -> Services:
    return offline(services)


@pytest.fixture
async def web(services: Services) -> AsyncIterator[TestClient]:
    async with web_app(services) as client:
        yield client


async def drain(services: Services) -> None:
    await JobRunner(services.jobs, "test").drain()


async def pay(services: Services, web: TestClient, times: int = 1) -> tuple[Order, str]:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=300_000)
    intent = await create_order_intent(services, order, provider="liqpay")
    body = liqpay_body(liqpay_payload(intent.reference, "3000"))
    for _ in range(times):
        assert await callback_status(web, "liqpay", body) == 200
    entry = await LedgerEntry.get(kind=EntryKind.PAYMENT, client_id=client.id)
    return order, entry.reference


async def test_a_payment_gets_one_sell_receipt_and_the_client_its_fiscal_code(
    services: Services, web: TestClient, checkbox: FakeCheckbox
) -> None:
    order, reference = await pay(services, web, times=3)  # LiqPay repeats its callbacks
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID  # before any receipt
    assert checkbox.sells == 0
    await drain(services)
    await drain(services)
    assert list(checkbox.receipts) == [fiscal.receipt_uid(reference)]
    made = checkbox.receipts[fiscal.receipt_uid(reference)]
    assert made["total_sum"] == 300_000 and not made["is_return"]
    assert made["goods"][0]["good"]["name"] == f"Tour {order.number}"
    assert checkbox.shifts_opened == 1
    receipt = await FiscalReceipt.get(reference=reference)
    assert receipt.status is FiscalStatus.DONE and receipt.fiscal_code == made["fiscal_code"]
    told = await OutboxMessage.get(kind="fiscal-receipt")
    assert made["fiscal_code"] in told.body["text"]
    assert told.body["buttons"][0][0]["url"].endswith(f"/receipts/{receipt.uid}/html")
    lines = fiscal.card_lines(services.translator("en"), await fiscal.of_order(order.id))
    assert made["fiscal_code"] in lines


async def test_the_api_order_shows_its_receipts_with_fiscal_code_and_link(
    services: Services, web: TestClient, checkbox: FakeCheckbox
) -> None:
    services.settings.web.admin_token = SecretStr(ADMIN_TOKEN)
    api = Caller(web, ADMIN_TOKEN)
    order, reference = await pay(services, web)
    pending = await api.get(f"/orders/{order.id}/receipts")
    assert pending.status == 200
    [before] = pending.body["items"]
    assert before["status"] == "pending" and before["fiscal_code"] is None
    assert before["url"] is None
    await drain(services)
    await drain(services)
    [done] = (await api.get(f"/orders/{order.id}/receipts")).body["items"]
    made = checkbox.receipts[fiscal.receipt_uid(reference)]
    assert done["status"] == "done" and done["fiscal_code"] == made["fiscal_code"]
    assert done["reference"] == reference and done["amount"] == 300_000
    assert done["url"].endswith(f"/receipts/{fiscal.receipt_uid(reference)}/html")
    assert (await api.get("/orders/999999/receipts")).status == 404


async def test_a_crash_after_checkbox_answered_never_fiscalises_twice(
    services: Services, web: TestClient, checkbox: FakeCheckbox
) -> None:
    _, reference = await pay(services, web)
    receipt = await FiscalReceipt.get(reference=reference)
    # Another process made the receipt at Checkbox and died before writing it down.
    other = Checkbox(fiscal.register_of(services).api_url, LICENSE, PIN)
    await other.ensure_shift()
    await other.sell(fiscal.receipt_body(receipt))
    await drain(services)
    assert checkbox.sells == 2  # our retry was sent ...
    assert len(checkbox.receipts) == 1  # ... and refused as already existing
    assert (await FiscalReceipt.get(id=receipt.id)).status is FiscalStatus.DONE


async def test_failures_are_retried_and_staff_told_once_while_the_money_is_kept(
    services: Services, clock: ManualClock, web: TestClient, checkbox: FakeCheckbox
) -> None:
    await make_staff(Role.ACCOUNTANT, "acc1")
    checkbox.fail_next = [503, 502, 500, 500, 503]
    order, reference = await pay(services, web)
    for _ in range(8):
        await drain(services)
        clock.advance(timedelta(hours=1))
    receipt = await FiscalReceipt.get(reference=reference)
    assert receipt.status is FiscalStatus.DONE and receipt.attempts == 5
    assert len(checkbox.receipts) == 1
    alerts = await OutboxMessage.filter(kind="fiscal-alert")  # after the 3rd failure, once
    assert len(alerts) == 1 and "HTTP 500" in alerts[0].body["text"]
    assert (await Order.get(id=order.id)).paid == 300_000


async def test_a_refused_receipt_fails_for_good_with_checkboxs_reason(
    services: Services, web: TestClient, checkbox: FakeCheckbox
) -> None:
    await make_staff(Role.ADMIN, "adm1")
    client = await make_client()
    receipt = await fiscal.plan_sell(
        services,
        reference="test:bad-amount",
        client_id=client.id,
        order_id=None,
        order_number=None,
        amount=1,
        currency="UAH",
    )
    assert receipt is not None
    await FiscalReceipt.filter(id=receipt.id).update(amount=0)  # Checkbox refuses a zero price
    await drain(services)
    failed = await FiscalReceipt.get(id=receipt.id)
    assert failed.status is FiscalStatus.FAILED
    assert failed.error is not None and "HTTP 422" in failed.error and "price" in failed.error
    assert await OutboxMessage.filter(kind="fiscal-alert").count() == 1


async def test_a_refund_gets_a_return_receipt(
    services: Services, web: TestClient, checkbox: FakeCheckbox
) -> None:
    order, _ = await pay(services, web)
    intent_ref = (await PaymentIntent.get(order_id=order.id)).reference
    back = liqpay_payload(intent_ref, "1000", status="reversed")
    back["refund_date_last"] = 1764100000000
    for _ in range(2):
        assert await callback_status(web, "liqpay", liqpay_body(back)) == 200
    await drain(services)
    returns = [r for r in checkbox.receipts.values() if r["is_return"]]
    assert len(returns) == 1 and returns[0]["total_sum"] == 100_000
    assert await FiscalReceipt.filter(is_return=True, status=FiscalStatus.DONE).count() == 1


async def test_the_shift_is_closed_daily_at_the_configured_time(
    services: Services, clock: ManualClock, web: TestClient, checkbox: FakeCheckbox
) -> None:
    await pay(services, web)
    await drain(services)
    assert checkbox.shift_open
    await fiscal.plan_close(services, clock.now())
    await fiscal.plan_close(services, clock.now())  # a second process starting: one job
    at = fiscal.next_close(services, clock.now())
    assert at.astimezone(services.rules.agency.tz).strftime("%H:%M") == "23:50"
    clock.advance(at - clock.now() + timedelta(seconds=1))
    await drain(services)
    assert not checkbox.shift_open and checkbox.shifts_closed == 1
    clock.advance(timedelta(days=1))
    await drain(services)  # the next day's close runs; no shift open: nothing to close
    assert checkbox.shifts_closed == 1
    assert "POST /api/v1/shifts/close" in checkbox.log


async def test_without_checkbox_nothing_is_planned(
    services: Services, web: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bots.app import build_services

    monkeypatch.delenv("CHECKBOX_LICENSE_KEY")
    plain = offline(await build_services(Settings(), Rules(), clock=services.clock))
    plain.settings.database.database_url = services.settings.database.database_url
    client = await make_client()
    made = await fiscal.plan_sell(
        plain,
        reference="liqpay:x",
        client_id=client.id,
        order_id=None,
        order_number=None,
        amount=100,
        currency="UAH",
    )
    assert made is None and await FiscalReceipt.all().count() == 0
    if plain.redis is not None:
        await plain.redis.aclose()
