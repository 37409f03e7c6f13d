"""Refunds keyed by the provider's refund identity (issue 11, finding 8): several partial
refunds of one payment each count once, a repeated callback of one refund counts once, and
what is refunded never exceeds what was paid. Callbacks are signed by hand as each provider
signs them and go through the real web app."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from core.ledger import balance
from core.payments.intents import create_order_intent
from core.payments.registry import payment_providers
from core.services import Services
from core.settings import Settings
from storage.models import (
    Client,
    EntryKind,
    IntentStatus,
    LedgerEntry,
    Order,
    OrderStatus,
    PaymentIntent,
    ProviderEvent,
    Role,
    Staff,
)
from tests.support.factories import make_client, make_order, make_staff
from tests.support.payments import (
    WFP_MERCHANT,
    callback_status,
    configure,
    liqpay_body,
    liqpay_payload,
    offline,
    sandbox_body,
    texts,
    web_app,
    wfp_body,
    wfp_md5,
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return configure(settings)


@pytest.fixture
def services(services: Services) -> Services:
    return offline(services)


@pytest.fixture
async def web(services: Services) -> AsyncIterator[TestClient]:
    async with web_app(services) as client:
        yield client


@pytest.fixture
async def people() -> tuple[Client, Staff]:
    return await make_client(user_id="u1"), (await make_staff(Role.ADMIN, "admin1"))[0]


async def refunds_of(client: Client) -> list[int]:
    rows = await LedgerEntry.filter(client_id=client.id, kind=EntryKind.REFUND).order_by("id")
    return [row.amount for row in rows]


def liqpay_reversed(reference: str, amount: str, **extra: Any) -> bytes:
    payload = liqpay_payload(reference, amount, status="reversed")
    payload.update(extra)
    return liqpay_body(payload)


def wfp_refund(reference: str, amount_text: str, processed: int) -> bytes:
    """A serviceUrl callback of a refund, processed at unix time ``processed``."""
    auth, pan, status = "541963", "41****8217", "Refunded"
    signed = ";".join([WFP_MERCHANT, reference, amount_text, "UAH", auth, pan, status, "1100"])
    return json.dumps(
        {
            "merchantAccount": WFP_MERCHANT,
            "orderReference": reference,
            "merchantSignature": wfp_md5(signed),
            "amount": float(amount_text),
            "currency": "UAH",
            "authCode": auth,
            "cardPan": pan,
            "transactionStatus": status,
            "reason": "Ok",
            "reasonCode": 1100,
            "createdDate": 1764000000,
            "processingDate": processed,
        }
    ).encode()


async def paid_order(
    services: Services, web: TestClient, client: Client, provider: str
) -> tuple[Order, PaymentIntent]:
    order = await make_order(client, price=300_000)
    intent = await create_order_intent(services, order, provider=provider)
    if provider == "liqpay":
        body = liqpay_body(liqpay_payload(intent.reference, "3000"))
    else:
        body = wfp_body(intent.reference, "3000.00")
    assert await callback_status(web, provider, body) == 200
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
    return order, intent


async def test_liqpay_partial_refunds_of_one_payment_each_count_once(
    services: Services, web: TestClient, people: tuple[Client, Staff]
) -> None:
    client, admin = people
    order, intent = await paid_order(services, web, client, "liqpay")
    first = liqpay_reversed(intent.reference, "1000", refund_date_last=1764100000000)
    second = liqpay_reversed(intent.reference, "1000", refund_date_last=1764200000000)
    for body in (first, second, second, first):  # LiqPay repeats its callbacks
        assert await callback_status(web, "liqpay", body) == 200
    assert await refunds_of(client) == [-100_000, -100_000]
    order = await Order.get(id=order.id)
    assert order.paid == 100_000 and order.status is OrderStatus.CONFIRMED
    assert len([t for t in await texts(client_id=client.id) if "refund" in t]) == 2
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.PAID  # not all back

    too_much = liqpay_reversed(intent.reference, "1500", refund_date_last=1764300000000)
    assert await callback_status(web, "liqpay", too_much) == 200
    assert await refunds_of(client) == [-100_000, -100_000]  # never more than was paid
    assert any("was not applied" in t for t in await texts(staff_id=admin.id))
    assert await ProviderEvent.filter(outcome="refund_exceeds_paid").count() == 1

    last = liqpay_reversed(intent.reference, "1000", refund_date_last=1764400000000)
    assert await callback_status(web, "liqpay", last) == 200
    assert await refunds_of(client) == [-100_000, -100_000, -100_000]
    assert (await Order.get(id=order.id)).paid == 0
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.REFUNDED
    assert await balance(client.id, "UAH") == 0


async def test_liqpay_refunds_with_their_own_payment_ids_each_count_once(
    services: Services, web: TestClient, people: tuple[Client, Staff]
) -> None:
    """The other reading of LiqPay's callbacks: a refund carries its own payment_id."""
    client, _ = people
    order, intent = await paid_order(services, web, client, "liqpay")
    one = liqpay_body(liqpay_payload(intent.reference, "500", status="reversed", payment_id=7001))
    two = liqpay_body(liqpay_payload(intent.reference, "500", status="reversed", payment_id=7002))
    for body in (one, two, one):
        assert await callback_status(web, "liqpay", body) == 200
    assert await refunds_of(client) == [-50_000, -50_000]
    assert (await Order.get(id=order.id)).paid == 200_000
    # the payment itself was recorded once, under its own id
    payments = await LedgerEntry.filter(client_id=client.id, kind=EntryKind.PAYMENT)
    assert [p.reference for p in payments] == ["liqpay:1000001"]


async def test_wayforpay_partial_refunds_each_count_once(
    services: Services, web: TestClient, people: tuple[Client, Staff]
) -> None:
    client, _ = people
    order, intent = await paid_order(services, web, client, "wayforpay")
    first = wfp_refund(intent.reference, "1000.0", 1764100000)
    second = wfp_refund(intent.reference, "1000.0", 1764200000)
    for body in (first, second, first, second):
        assert await callback_status(web, "wayforpay", body) == 200
    assert await refunds_of(client) == [-100_000, -100_000]
    assert (await Order.get(id=order.id)).paid == 100_000
    assert await balance(client.id, "UAH") == 0


async def test_sandbox_refund_callbacks_are_keyed_by_their_refund_id(
    services: Services, web: TestClient, people: tuple[Client, Staff]
) -> None:
    client, _ = people
    order = await make_order(client, price=300_000)
    intent = await create_order_intent(services, order, provider="sandbox")
    sandbox = payment_providers(services).sandbox
    assert sandbox is not None
    await sandbox.ready()  # the secret all processes share
    paid = {
        "payment_id": f"sbx-{intent.reference}",
        "reference": intent.reference,
        "amount": "3000.00",
        "currency": "UAH",
    }
    assert await callback_status(
        web, "sandbox", sandbox_body(sandbox.secret, {**paid, "status": "success"})
    )
    refund = {**paid, "status": "refund", "amount": "700.00"}
    bodies = [
        sandbox_body(sandbox.secret, {**refund, "refund_id": "ra"}),
        sandbox_body(sandbox.secret, {**refund, "refund_id": "rb"}),
    ]
    for body in (*bodies, *bodies):
        assert await callback_status(web, "sandbox", body) == 200
    assert await refunds_of(client) == [-70_000, -70_000]
    assert (await Order.get(id=order.id)).paid == 160_000


async def test_a_refund_recorded_by_the_first_build_is_not_applied_again(
    services: Services, web: TestClient, people: tuple[Client, Staff]
) -> None:
    """Before refunds had rows, a refund was the ledger entry ``<payment>:refund`` and the
    event key ``<payment>:refund``; LiqPay repeating that callback now must not debit again."""
    client, _ = people
    order, intent = await paid_order(services, web, client, "liqpay")
    await LedgerEntry.create(  # what the first build wrote for a refund of 1,000.00
        client_id=client.id,
        amount=100_000,
        currency="UAH",
        kind=EntryKind.ORDER_CHARGE,
        reference="liqpay:1000001:unsettle:1",
        order_id=order.id,
    )
    await LedgerEntry.create(
        client_id=client.id,
        amount=-100_000,
        currency="UAH",
        kind=EntryKind.REFUND,
        reference="liqpay:1000001:refund",
        order_id=order.id,
        intent_id=intent.id,
    )
    await Order.filter(id=order.id).update(paid=200_000, status=OrderStatus.CONFIRMED)
    again = liqpay_reversed(intent.reference, "1000", refund_date_last=1764100000000)
    assert await callback_status(web, "liqpay", again) == 200
    assert await refunds_of(client) == [-100_000]
    too_much = liqpay_reversed(intent.reference, "2500", refund_date_last=1764200000000)
    assert await callback_status(web, "liqpay", too_much) == 200
    assert await refunds_of(client) == [-100_000]  # 1,000 + 2,500 would exceed 3,000
    rest = liqpay_reversed(intent.reference, "2000", refund_date_last=1764300000000)
    assert await callback_status(web, "liqpay", rest) == 200
    assert await refunds_of(client) == [-100_000, -200_000]
    assert await balance(client.id, "UAH") == 0
