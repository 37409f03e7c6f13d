"""Cancelling an order that has money on it (issue 11, finding 3): staff are asked first and
told where the money goes; the money is kept on the client's balance or refunded through the
provider (LiqPay, WayForPay, the sandbox — their refund APIs are local servers here); both are
ledger entries; the card shows what happened instead of "left to pay"; the client's notice
says where the money went. The automatic cancellation for non-payment keeps a partial
payment on the balance."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient

from core.clock import ManualClock
from core.jobs import JobRunner
from core.ledger import balance, pay_order_from_balance
from core.payloads import encode
from core.payments.intents import create_order_intent, create_topup_intent
from core.payments.registry import payment_providers
from core.services import Services
from core.settings import Settings
from handlers.router import Router
from storage.models import (
    Client,
    EntryKind,
    IntentStatus,
    LedgerEntry,
    Order,
    OrderStatus,
    PaymentIntent,
    Role,
)
from tests.support.chat import RecordingChat, chat_for
from tests.support.factories import make_client, make_order, make_staff
from tests.support.payments import (
    callback_status,
    configure,
    liqpay_body,
    liqpay_payload,
    offline,
    sandbox_body,
    texts,
    web_app,
    wfp_body,
)
from tests.support.refund_api import RefundApi, liqpay_refused, refund_api, wfp_refunded


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return configure(settings)


@pytest.fixture
async def api(services: Services) -> AsyncIterator[RefundApi]:
    async with refund_api() as (fake, base):
        offline(services, base)
        yield fake


@pytest.fixture
async def web(services: Services) -> AsyncIterator[TestClient]:
    async with web_app(services) as client:
        yield client


@pytest.fixture
async def desk(services: Services, router: Router) -> RecordingChat:
    await make_staff(Role.MANAGER, "mgr")
    return chat_for(services, router, "mgr")


async def paid_order(
    services: Services, web: TestClient, client: Client, provider: str = "liqpay"
) -> tuple[Order, PaymentIntent]:
    """Order T-0001 for 3,000.00 UAH, paid in full through ``provider``'s signed callback."""
    order = await make_order(client, price=300_000)
    intent = await create_order_intent(services, order, provider=provider)
    if provider == "liqpay":
        body = liqpay_body(liqpay_payload(intent.reference, "3000"))
    elif provider == "wayforpay":
        body = wfp_body(intent.reference, "3000.00")
    else:
        sandbox = payment_providers(services).sandbox
        assert sandbox is not None
        await sandbox.ready()  # the secret all processes share
        sandbox.record(intent.reference, intent.amount, intent.currency, "pay")
        payload = {
            "payment_id": f"sbx-{intent.reference}",
            "reference": intent.reference,
            "status": "success",
            "amount": "3000.00",
            "currency": "UAH",
        }
        body = sandbox_body(sandbox.secret, payload)
    assert await callback_status(web, provider, body) == 200
    order = await Order.get(id=order.id)
    assert (order.paid, order.status) == (300_000, OrderStatus.PAID)
    return order, intent


async def ask_to_cancel(desk: RecordingChat, number: str = "T-0001") -> None:
    await desk.say(f"/order {number}")
    await desk.press("Change status")
    await desk.press("cancelled")


async def ledger_of(client: Client) -> list[tuple[str, int]]:
    rows = await LedgerEntry.filter(client_id=client.id).order_by("id")
    return [(row.kind.value, row.amount) for row in rows]


async def trip_card(services: Services, router: Router, order: Order) -> str:
    chat = RecordingChat(services, router, user_id="u1")
    await chat.press_payload(encode("trip", order.id))
    return chat.text


async def test_keep_on_balance_asks_first_moves_the_money_and_says_where_it_went(
    services: Services, web: TestClient, desk: RecordingChat, router: Router, api: RefundApi
) -> None:
    client = await make_client(user_id="u1")
    order, _ = await paid_order(services, web, client)
    await ask_to_cancel(desk)
    assert "has paid UAH\xa03,000.00" in desk.text and "Keep on the balance" in desk.text
    assert "Refund to the card via liqpay" in desk.text
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID  # nothing happened yet
    await desk.press("Cancel, keep")
    assert "is now cancelled" in desk.text
    assert "UAH\xa03,000.00 is on the client's balance" in desk.text
    assert "left:" not in desk.text
    assert "Moved to the client's balance: UAH\xa03,000.00" in desk.text

    order = await Order.get(id=order.id)
    assert (order.status, order.paid) == (OrderStatus.CANCELLED, 0)
    assert await ledger_of(client) == [
        ("payment", 300_000),
        ("order_charge", -300_000),
        ("order_charge", 300_000),  # the order's money back to the balance
    ]
    assert await balance(client.id, "UAH") == 300_000
    assert api.requests == []  # no refund was asked for
    notice = (await texts(client_id=client.id))[-1]
    assert "has been cancelled" in notice
    assert "UAH\xa03,000.00 you paid is on your balance" in notice and "balance now" in notice
    card = await trip_card(services, router, order)
    assert "Returned to your balance: UAH\xa03,000.00" in card and "Left to pay" not in card
    await desk.press("Client card")
    assert "T-0001 Egypt — cancelled" in desk.text and "left" not in desk.text
    await desk.say("/orders cancelled")
    assert "T-0001" in desk.text and "left" not in desk.text


async def test_refund_through_liqpay_is_a_ledger_debit_applied_once(
    services: Services, web: TestClient, desk: RecordingChat, router: Router, api: RefundApi
) -> None:
    client = await make_client(user_id="u1")
    order, intent = await paid_order(services, web, client)
    await ask_to_cancel(desk)
    await desk.press("Cancel, refund")
    assert api.requests == [
        {
            "provider": "liqpay",
            "action": "refund",
            "version": 3,
            "public_key": "sandbox_i000000",
            "order_id": intent.reference,
            "amount": "3000.00",
        }
    ]
    assert "Refund of UAH\xa03,000.00 via liqpay: confirmed" in desk.text
    assert "Refunded to the card: UAH\xa03,000.00" in desk.text
    assert await ledger_of(client) == [
        ("payment", 300_000),
        ("order_charge", -300_000),
        ("order_charge", 300_000),
        ("refund", -300_000),
    ]
    assert await balance(client.id, "UAH") == 0
    notice = (await texts(client_id=client.id))[-1]
    assert "UAH\xa03,000.00 is being refunded to your card" in notice and "7 days" in notice
    # LiqPay then calls back about the same refund, twice: nothing more happens.
    callback = liqpay_body(liqpay_payload(intent.reference, "3000", status="reversed"))
    for _ in range(2):
        assert await callback_status(web, "liqpay", callback) == 200
    assert await LedgerEntry.filter(kind=EntryKind.REFUND).count() == 1
    assert await balance(client.id, "UAH") == 0
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.REFUNDED
    card = await trip_card(services, router, order)
    assert "Refunded to your card: UAH\xa03,000.00" in card


async def test_refund_through_wayforpay_and_its_callback_count_once(
    services: Services, web: TestClient, desk: RecordingChat, api: RefundApi
) -> None:
    client = await make_client(user_id="u1")
    _, intent = await paid_order(services, web, client, "wayforpay")
    await ask_to_cancel(desk)
    await desk.press("Cancel, refund")
    [asked] = api.requests
    assert (asked["transactionType"], asked["amount"], asked["currency"]) == (
        "REFUND",
        "3000.00",
        "UAH",
    )
    assert "confirmed" in desk.text
    refunded = wfp_body(intent.reference, "3000.00", status="Refunded")
    assert await callback_status(web, "wayforpay", refunded) == 200
    assert await callback_status(web, "wayforpay", refunded) == 200
    assert await LedgerEntry.filter(kind=EntryKind.REFUND).count() == 1
    assert await balance(client.id, "UAH") == 0


async def test_sandbox_refunds_too_and_its_callback_is_a_duplicate(
    services: Services, web: TestClient, desk: RecordingChat, api: RefundApi
) -> None:
    client = await make_client(user_id="u1")
    _, intent = await paid_order(services, web, client, "sandbox")
    await ask_to_cancel(desk)
    await desk.press("Cancel, refund")
    assert "via sandbox: confirmed" in desk.text
    sandbox = payment_providers(services).sandbox
    assert sandbox is not None
    await sandbox.ready()  # the secret all processes share
    [entry] = await LedgerEntry.filter(kind=EntryKind.REFUND)
    assert entry.amount == -300_000
    # the bank's refund, as its callback would carry it
    from storage.models import Refund  # new with this feature: imported here, not above

    [refund] = await Refund.filter(intent_id=intent.id)
    key = refund.provider_key
    assert key is not None and key.startswith(f"sandbox:sbx-{intent.reference}:refund:")
    payload = {
        "payment_id": f"sbx-{intent.reference}",
        "reference": intent.reference,
        "status": "refund",
        "amount": "3000.00",
        "currency": "UAH",
        "refund_id": key.rsplit(":", 1)[1],
    }
    assert await callback_status(web, "sandbox", sandbox_body(sandbox.secret, payload)) == 200
    assert await LedgerEntry.filter(kind=EntryKind.REFUND).count() == 1
    assert await balance(client.id, "UAH") == 0


async def test_a_refused_refund_leaves_the_money_on_the_balance_and_says_so(
    services: Services, web: TestClient, desk: RecordingChat, api: RefundApi
) -> None:
    api.liqpay_answer = liqpay_refused
    client = await make_client(user_id="u1")
    await paid_order(services, web, client)
    await ask_to_cancel(desk)
    await desk.press("Cancel, refund")
    assert "was refused (Refund is not allowed)" in desk.text
    assert "UAH\xa03,000.00 is on the client's balance" in desk.text
    assert await LedgerEntry.filter(kind=EntryKind.REFUND).count() == 0
    assert await balance(client.id, "UAH") == 300_000
    notice = (await texts(client_id=client.id))[-1]
    assert "on your balance" in notice and "refunded to your card" not in notice


async def test_money_paid_from_the_balance_can_only_stay_on_the_balance(
    services: Services, web: TestClient, desk: RecordingChat, api: RefundApi
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=300_000)
    topup = await create_topup_intent(services, client, 200_000, provider="liqpay")
    assert (
        await callback_status(web, "liqpay", liqpay_body(liqpay_payload(topup.reference, "2000")))
        == 200
    )
    await pay_order_from_balance(client.id, order.id, 200_000, default_percent=30)
    await ask_to_cancel(desk)
    assert "A refund to the card is not possible here" in desk.text
    assert not [label for label in desk.labels() if "refund" in label.lower()]
    stale = encode("sco", order.id, "refund", 200_000)  # a forged or outdated button
    await desk.press_payload(stale)
    assert "A refund to the card is not possible for this order" in desk.text
    assert (await Order.get(id=order.id)).status is OrderStatus.CONFIRMED
    await desk.press("Cancel, keep")
    assert await balance(client.id, "UAH") == 200_000
    assert api.requests == []


async def test_money_that_arrived_after_the_question_is_asked_about_again(
    services: Services, web: TestClient, desk: RecordingChat, api: RefundApi
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=300_000)
    intent = await create_order_intent(services, order, amount=100_000, provider="liqpay")
    await ask_to_cancel(desk)
    assert "Nothing has been paid for it" in desk.text
    assert (
        await callback_status(web, "liqpay", liqpay_body(liqpay_payload(intent.reference, "1000")))
        == 200
    )
    await desk.press("Yes, cancel the order")
    assert "changed a moment ago" in desk.text and "has paid UAH\xa01,000.00" in desk.text
    assert (await Order.get(id=order.id)).status is OrderStatus.CONFIRMED  # not cancelled
    await desk.press("Cancel, keep")
    await desk.press_payload(encode("sco", order.id, "keep", 100_000))  # a double press
    assert "cannot be moved" in desk.text
    releases = await LedgerEntry.filter(kind=EntryKind.ORDER_CHARGE, amount__gt=0)
    assert [r.amount for r in releases] == [100_000]


async def test_an_order_without_money_still_cancels_after_a_confirmation(
    services: Services, desk: RecordingChat, router: Router
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client)
    link = await create_order_intent(services, order, provider="liqpay")
    await ask_to_cancel(desk)
    assert "Nothing has been paid for it" in desk.text
    await desk.press("Yes, cancel the order")
    assert "Nothing was paid for it" in desk.text
    assert (await Order.get(id=order.id)).status is OrderStatus.CANCELLED
    assert await LedgerEntry.all().count() == 0
    assert (await PaymentIntent.get(id=link.id)).status is IntentStatus.CANCELLED
    assert "has been cancelled" in (await texts(client_id=client.id))[-1]
    assert "Nothing was paid for this trip" in await trip_card(services, router, order)


async def test_auto_cancel_for_non_payment_keeps_a_partial_payment_on_the_balance(
    services: Services, web: TestClient, clock: ManualClock, api: RefundApi
) -> None:
    client = await make_client(user_id="u1")
    order = await make_order(client, price=1_000_000)  # prepayment 30%: 3,000.00
    part = await create_order_intent(
        services, order, amount=100_000, provider="liqpay", is_prepayment=True
    )
    assert (
        await callback_status(web, "liqpay", liqpay_body(liqpay_payload(part.reference, "1000")))
        == 200
    )
    order = await Order.get(id=order.id)
    rest = await create_order_intent(services, order, share="prepayment", provider="liqpay")
    assert rest.is_prepayment and rest.amount == 200_000
    clock.advance(timedelta(hours=services.rules.payments.link_lifetime_hours + 1))
    await JobRunner(services.jobs, "test").drain()
    order = await Order.get(id=order.id)
    assert (order.status, order.paid) == (OrderStatus.CANCELLED, 0)
    assert await balance(client.id, "UAH") == 100_000
    assert ("order_charge", 100_000) in await ledger_of(client)
    notice = (await texts(client_id=client.id))[-1]
    assert "prepayment did not arrive in time" in notice
    assert "UAH\xa01,000.00 you paid is on your balance" in notice


async def test_a_refund_the_provider_confirms_later_is_debited_once_by_its_callback(
    services: Services, web: TestClient, desk: RecordingChat, router: Router, api: RefundApi
) -> None:
    def later(params: dict[str, object]) -> dict[str, object]:  # accepted, money not back yet
        return {"result": "ok", "action": "refund", "status": "reversed", "wait_amount": True}

    api.liqpay_answer = later
    admin, _ = await make_staff(Role.ADMIN, "boss")
    client = await make_client(user_id="u1")
    order, intent = await paid_order(services, web, client)
    await ask_to_cancel(desk)
    await desk.press("Cancel, refund")
    assert "waiting for the provider to confirm" in desk.text
    assert await balance(client.id, "UAH") == 300_000  # not debited before the provider says so
    assert "is being refunded to your card" in (await texts(client_id=client.id))[-1]
    assert "Refund waiting for the provider: UAH\xa03,000.00" in desk.text
    callback = liqpay_body(
        liqpay_payload(intent.reference, "3000", status="reversed")
        | {"refund_date_last": 1764100000000}
    )
    for _ in range(3):
        assert await callback_status(web, "liqpay", callback) == 200
    assert await LedgerEntry.filter(kind=EntryKind.REFUND).count() == 1
    assert await balance(client.id, "UAH") == 0
    assert any("is confirmed" in t for t in await texts(staff_id=admin.id))
    assert "Refunded to your card: UAH\xa03,000.00" in await trip_card(services, router, order)


async def test_a_refund_answer_with_a_wrong_signature_debits_nothing(
    services: Services, web: TestClient, desk: RecordingChat, api: RefundApi
) -> None:
    def forged(params: dict[str, object]) -> dict[str, object]:
        answer = wfp_refunded(params)
        answer["merchantSignature"] = "0" * 32
        return answer

    api.wfp_answer = forged
    client = await make_client(user_id="u1")
    await paid_order(services, web, client, "wayforpay")
    await ask_to_cancel(desk)
    await desk.press("Cancel, refund")
    assert "waiting for the provider to confirm" in desk.text
    assert await LedgerEntry.filter(kind=EntryKind.REFUND).count() == 0
    assert await balance(client.id, "UAH") == 300_000
