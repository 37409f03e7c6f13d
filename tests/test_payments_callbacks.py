"""Provider callbacks through the real web app: signed like the providers sign them, including
forged, tampered, mismatched, unknown, malformed, duplicated (x20 at once), late and
out-of-order ones. Each test checks what a client, staff and the books would notice."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from aiohttp.test_utils import TestClient
from tortoise import connections

from core.clock import ManualClock
from core.jobs import JobRunner
from core.ledger import balance, pay_order_from_balance
from core.payments.intents import create_order_intent, create_topup_intent
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
    buttons,
    configure,
    liqpay_body,
    liqpay_payload,
    offline,
    post_callback,
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
async def people() -> tuple[Client, Staff, Staff]:
    client = await make_client(user_id="u1")
    admin, _ = await make_staff(Role.ADMIN, "admin1")
    manager, _ = await make_staff(Role.MANAGER, "manager1")
    return client, admin, manager


async def order_intent(services: Services, order: Order, provider: str = "liqpay") -> PaymentIntent:
    return await create_order_intent(services, order, provider=provider)


def amount_text(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


async def ledger_of(client: Client) -> list[tuple[str, int]]:
    rows = await LedgerEntry.filter(client_id=client.id).order_by("id")
    return [(row.kind.value, row.amount) for row in rows]


async def test_success_credits_settles_the_order_and_tells_both_sides(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, admin, _ = people
    order = await make_order(client, price=1_000_000)
    intent = await create_order_intent(services, order, share="prepayment", provider="liqpay")
    assert intent.amount == 300_000 and intent.is_prepayment
    status, _ = await post_callback(
        web, "liqpay", liqpay_body(liqpay_payload(intent.reference, "3000"))
    )
    assert status == 200
    assert await ledger_of(client) == [("payment", 300_000), ("order_charge", -300_000)]
    order = await Order.get(id=order.id)
    assert (order.paid, order.status) == (300_000, OrderStatus.CONFIRMED)
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.PAID
    receipt = (await texts(client_id=client.id))[-1]
    assert "Payment received" in receipt and "T-0001" in receipt
    assert "Left to pay" in receipt and "7,000.00" in receipt
    assert any("Payment received" in t and "Olena" in t for t in await texts(staff_id=admin.id))
    event = await ProviderEvent.get(intent_id=intent.id)
    assert event.signature_valid and event.dedupe_key == "liqpay:1000001:success"


async def test_full_payment_marks_the_order_paid(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, _, _ = people
    order = await make_order(client, price=250_050)
    intent = await order_intent(services, order)
    status, _ = await post_callback(
        web, "liqpay", liqpay_body(liqpay_payload(intent.reference, "2500.5"))
    )
    assert status == 200
    order = await Order.get(id=order.id)
    assert (order.paid, order.status) == (250_050, OrderStatus.PAID)
    assert "fully paid" in (await texts(client_id=client.id))[-1]


async def test_forged_signature_changes_nothing_but_is_on_record(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, _, _ = people
    intent = await order_intent(services, await make_order(client))
    body = liqpay_body(liqpay_payload(intent.reference, "10000"), key="stolen-public-key")
    status, _ = await post_callback(web, "liqpay", body)
    assert status == 403
    assert await LedgerEntry.all().count() == 0
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.PENDING
    event = await ProviderEvent.get()
    assert (event.signature_valid, event.outcome, event.body) == (
        False,
        "bad_signature",
        body.decode(),
    )


async def test_tampered_amount_breaks_the_signature(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, _, _ = people
    intent = await order_intent(services, await make_order(client))
    genuine = liqpay_body(liqpay_payload(intent.reference, "1")).decode()
    bigger = liqpay_body(liqpay_payload(intent.reference, "10000")).decode()
    tampered = bigger.split("&")[0] + "&" + genuine.split("&")[1]
    status, _ = await post_callback(web, "liqpay", tampered.encode())
    assert status == 403
    assert await LedgerEntry.all().count() == 0


async def test_signed_but_wrong_amount_or_currency_is_refused_and_staff_alerted(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, admin, _ = people
    intent = await order_intent(services, await make_order(client))
    status, _ = await post_callback(
        web, "liqpay", liqpay_body(liqpay_payload(intent.reference, "1"))
    )
    assert status == 409
    body = liqpay_body(liqpay_payload(intent.reference, "10000", currency="USD", payment_id=7))
    status, _ = await post_callback(web, "liqpay", body)
    assert status == 409
    assert await LedgerEntry.all().count() == 0
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.PENDING
    alerts = [t for t in await texts(staff_id=admin.id) if "refused" in t]
    assert len(alerts) == 2 and intent.reference in alerts[0]
    assert sorted(e.outcome for e in await ProviderEvent.all()) == [
        "amount_mismatch",
        "currency_mismatch",
    ]


async def test_unknown_intent_is_refused_recorded_and_reported(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    _, admin, _ = people
    status, _ = await post_callback(web, "liqpay", liqpay_body(liqpay_payload("td-nobody", "100")))
    assert status == 404
    event = await ProviderEvent.get()
    assert (event.signature_valid, event.outcome) == (True, "unknown_intent")
    assert any("unknown reference td-nobody" in t for t in await texts(staff_id=admin.id))


@pytest.mark.parametrize("body", [b"", b"data=abc", b"garbage\x00\xff", b"data=%%%&signature="])
async def test_malformed_body_is_a_400(
    web: TestClient,
    body: bytes,
) -> None:
    status, _ = await post_callback(web, "liqpay", body)
    assert status == 400
    assert (await ProviderEvent.get()).outcome == "malformed"


async def test_unknown_or_disabled_provider_is_404(
    web: TestClient,
    services: Services,
) -> None:
    status, _ = await post_callback(web, "paypal", b"x=1")
    assert status == 404
    assert await ProviderEvent.all().count() == 0


async def test_twenty_concurrent_duplicates_credit_exactly_once(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    """On PostgreSQL these run truly in parallel (several pool connections, row locks and the
    unique dedupe key decide); on SQLite the same requests are serialised by its one writer."""
    client, admin, _ = people
    order = await make_order(client, price=500_000)
    intent = await order_intent(services, order)
    body = liqpay_body(liqpay_payload(intent.reference, "5000", payment_id=555))
    results = await asyncio.gather(*(post_callback(web, "liqpay", body) for _ in range(20)))
    assert [status for status, _ in results] == [200] * 20
    assert await ledger_of(client) == [("payment", 500_000), ("order_charge", -500_000)]
    assert (await Order.get(id=order.id)).paid == 500_000
    outcomes = sorted(e.outcome for e in await ProviderEvent.all())
    assert outcomes.count("credited") == 1 and outcomes.count("duplicate") == 19
    await JobRunner(services.jobs, "test").drain()  # grouped (PostgreSQL): receipts by job
    assert len([t for t in await texts(client_id=client.id) if "Payment received" in t]) == 1
    assert len([t for t in await texts(staff_id=admin.id) if "Payment received" in t]) == 1


async def test_success_after_expiry_is_credited_to_balance_and_staff_alerted(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
    clock: ManualClock,
) -> None:
    client, admin, manager = people
    order = await make_order(client, price=400_000)
    intent = await order_intent(services, order)
    clock.advance(timedelta(hours=services.rules.payments.link_lifetime_hours, seconds=1))
    await JobRunner(services.jobs, "test").drain()
    assert (await Order.get(id=order.id)).status is OrderStatus.CANCELLED
    body = liqpay_body(liqpay_payload(intent.reference, "4000"))
    status, _ = await post_callback(web, "liqpay", body)
    assert status == 200
    assert await ledger_of(client) == [("payment", 400_000)]  # never dropped, not settled
    assert await balance(client.id, "UAH") == 400_000
    assert (await Order.get(id=order.id)).status is OrderStatus.CANCELLED
    assert "kept on your balance" in (await texts(client_id=client.id))[-1]
    for staff in (admin, manager):
        assert any("could not be applied" in t for t in await texts(staff_id=staff.id))
    assert (await post_callback(web, "liqpay", body))[0] == 200  # a retry changes nothing
    assert await balance(client.id, "UAH") == 400_000


async def test_late_success_on_an_open_order_still_pays_it(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
    clock: ManualClock,
) -> None:
    client, admin, _ = people
    order = await make_order(client, price=400_000, status=OrderStatus.CONFIRMED, paid=100_000)
    intent = await order_intent(services, order)
    clock.advance(timedelta(days=2))
    await JobRunner(services.jobs, "test").drain()
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.EXPIRED
    assert (await Order.get(id=order.id)).status is OrderStatus.CONFIRMED  # not a booking
    await post_callback(web, "liqpay", liqpay_body(liqpay_payload(intent.reference, "3000")))
    order = await Order.get(id=order.id)
    assert (order.paid, order.status) == (400_000, OrderStatus.PAID)
    assert any("after its link had expired" in t for t in await texts(staff_id=admin.id))


async def test_success_after_the_order_was_cancelled_stays_on_balance(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, admin, _ = people
    order = await make_order(client, price=200_000)
    intent = await order_intent(services, order)
    await Order.filter(id=order.id).update(status=OrderStatus.CANCELLED)
    status, _ = await post_callback(
        web, "liqpay", liqpay_body(liqpay_payload(intent.reference, "2000"))
    )
    assert status == 200
    assert await balance(client.id, "UAH") == 200_000
    assert (await Order.get(id=order.id)).paid == 0
    assert any("could not be applied" in t for t in await texts(staff_id=admin.id))


async def test_refund_reverses_the_order_payment_and_alerts(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, admin, _ = people
    order = await make_order(client, price=300_000)
    intent = await order_intent(services, order)
    await post_callback(web, "liqpay", liqpay_body(liqpay_payload(intent.reference, "3000")))
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
    refund = liqpay_body(liqpay_payload(intent.reference, "3000", status="reversed"))
    for _ in range(2):
        assert (await post_callback(web, "liqpay", refund))[0] == 200
    assert await ledger_of(client) == [
        ("payment", 300_000),
        ("order_charge", -300_000),
        ("order_charge", 300_000),
        ("refund", -300_000),
    ]
    assert await balance(client.id, "UAH") == 0
    order = await Order.get(id=order.id)
    assert order.paid == 0 and order.status is not OrderStatus.PAID
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.REFUNDED
    assert any("Refund" in t for t in await texts(staff_id=admin.id))
    assert "refund" in (await texts(client_id=client.id))[-1]


async def test_refund_of_a_top_up_already_spent_takes_it_back_from_the_order(
    services: Services, web: TestClient, people: tuple[Client, Staff, Staff]
) -> None:
    client, _, _ = people
    order = await make_order(client, price=500_000)
    topup = await create_topup_intent(services, client, 200_000, provider="liqpay")
    await post_callback(web, "liqpay", liqpay_body(liqpay_payload(topup.reference, "2000")))
    await pay_order_from_balance(client.id, order.id, 200_000, default_percent=30)
    assert (await Order.get(id=order.id)).status is OrderStatus.CONFIRMED
    refund = liqpay_body(liqpay_payload(topup.reference, "2000", status="reversed"))
    assert (await post_callback(web, "liqpay", refund))[0] == 200
    assert await balance(client.id, "UAH") == 0  # never below zero
    order = await Order.get(id=order.id)
    assert order.paid == 0
    total = sum(e.amount for e in await LedgerEntry.filter(client_id=client.id))
    assert total == 0


async def test_failure_after_success_is_ignored(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, _, _ = people
    order = await make_order(client, price=100_000)
    intent = await order_intent(services, order)
    await post_callback(web, "liqpay", liqpay_body(liqpay_payload(intent.reference, "1000")))
    before = await texts(client_id=client.id)
    body = liqpay_body(liqpay_payload(intent.reference, "1000", status="failure"))
    assert (await post_callback(web, "liqpay", body))[0] == 200
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.PAID
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
    assert await texts(client_id=client.id) == before
    assert (await ProviderEvent.filter(status="failure").get()).outcome == "ignored"


async def test_success_after_failure_credits_and_failure_offers_a_new_link(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, _, _ = people
    order = await make_order(client, price=100_000)
    intent = await order_intent(services, order)
    failure = liqpay_body(liqpay_payload(intent.reference, "1000", status="failure", payment_id=1))
    assert (await post_callback(web, "liqpay", failure))[0] == 200
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.FAILED
    retry = await PaymentIntent.exclude(id=intent.id).get()
    assert (retry.amount, retry.expires_at, retry.status) == (
        intent.amount,
        intent.expires_at,  # the booking's deadline does not move
        IntentStatus.PENDING,
    )
    message = await texts(client_id=client.id)
    assert "did not go through" in message[-1]
    assert (await buttons(client.id))[-1]["url"].endswith(f"/pay/{retry.token}")
    success = liqpay_body(liqpay_payload(intent.reference, "1000", payment_id=2))
    assert (await post_callback(web, "liqpay", success))[0] == 200
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
    assert await balance(client.id, "UAH") == 0
    # the spare link would only overpay now: it is closed
    assert (await PaymentIntent.get(id=retry.id)).status is IntentStatus.CANCELLED


async def test_refund_overtaking_its_success_means_the_success_never_credits(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, _, _ = people
    intent = await create_topup_intent(services, client, 100_000, provider="liqpay")
    refund = liqpay_body(liqpay_payload(intent.reference, "1000", status="reversed"))
    success = liqpay_body(liqpay_payload(intent.reference, "1000"))
    assert (await post_callback(web, "liqpay", refund))[0] == 200
    assert (await post_callback(web, "liqpay", success))[0] == 200
    assert await balance(client.id, "UAH") == 0
    assert sorted(await ledger_of(client)) == [("payment", 100_000), ("refund", -100_000)]


async def test_topup_credits_the_balance(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, _, _ = people
    intent = await create_topup_intent(services, client, 50_000, provider="liqpay")
    await post_callback(web, "liqpay", liqpay_body(liqpay_payload(intent.reference, "500")))
    assert await balance(client.id, "UAH") == 50_000
    assert "topped up" in (await texts(client_id=client.id))[-1]
    assert [e.kind for e in await LedgerEntry.all()] == [EntryKind.PAYMENT]


async def test_wayforpay_callback_gets_the_signed_accept_every_time(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, _, _ = people
    order = await make_order(client, price=154_736)
    intent = await order_intent(services, order, provider="wayforpay")
    for _ in range(3):  # WayForPay retries until it gets "accept"
        status, text = await post_callback(web, "wayforpay", wfp_body(intent.reference, "1547.36"))
        assert status == 200
        answer = json.loads(text)
        assert answer["orderReference"] == intent.reference and answer["status"] == "accept"
        stamp = answer["time"]
        assert answer["signature"] == wfp_md5(f"{intent.reference};accept;{stamp}")
    assert (await Order.get(id=order.id)).paid == 154_736
    assert await LedgerEntry.filter(kind=EntryKind.PAYMENT).count() == 1


async def test_wayforpay_declined_then_approved(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, _, _ = people
    order = await make_order(client, price=10_000)
    intent = await order_intent(services, order, provider="wayforpay")
    declined = wfp_body(intent.reference, "100", status="Declined", reason_code="1101")
    assert (await post_callback(web, "wayforpay", declined))[0] == 200
    assert (await post_callback(web, "wayforpay", wfp_body(intent.reference, "100.00")))[0] == 200
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID


# --- the short link -------------------------------------------------------------------------


async def get(web: TestClient, path: str) -> tuple[int, str, str | None]:
    async with web.get(path, allow_redirects=False) as resp:
        return resp.status, await resp.text(), resp.headers.get("Location")


async def test_pay_link_posts_to_the_provider_checkout(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, _, _ = people
    order = await make_order(client)
    liqpay_intent = await order_intent(services, order)
    status, html, _ = await get(web, f"/pay/{liqpay_intent.token}")
    assert status == 200
    assert 'action="https://www.liqpay.ua/api/3/checkout"' in html
    assert 'name="data"' in html and 'name="signature"' in html
    wfp_intent = await order_intent(services, order, provider="wayforpay")
    status, html, _ = await get(web, f"/pay/{wfp_intent.token}")
    assert 'action="https://secure.wayforpay.com/pay"' in html and wfp_intent.reference in html
    sandbox_intent = await order_intent(services, order, provider="sandbox")
    status, _, location = await get(web, f"/pay/{sandbox_intent.token}")
    assert (status, location) == (303, f"/sandbox/checkout/{sandbox_intent.reference}")


async def test_pay_link_explains_expired_paid_and_unknown(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
    clock: ManualClock,
) -> None:
    client, _, _ = people
    order = await make_order(client, price=10_000)
    intent = await order_intent(services, order)
    await post_callback(web, "liqpay", liqpay_body(liqpay_payload(intent.reference, "100")))
    status, html, _ = await get(web, f"/pay/{intent.token}")
    assert status == 200 and "already been made" in html
    other = await make_order(client, number="T-0002")
    late = await order_intent(services, other)
    clock.advance(timedelta(days=2))
    status, html, _ = await get(web, f"/pay/{late.token}")
    assert status == 410 and "expired" in html
    status, html, _ = await get(web, "/pay/no-such-token")
    assert status == 404 and "Такого посилання" in html  # the agency's default language


PG_BOOM = (
    "CREATE FUNCTION td_boom() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'injected crash'; "
    "END $$ LANGUAGE plpgsql; "
    "CREATE TRIGGER td_boom BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION td_boom();"
)
PG_UNBOOM = "DROP TRIGGER td_boom ON audit_log; DROP FUNCTION td_boom();"
SQLITE_BOOM = (
    "CREATE TRIGGER td_boom BEFORE INSERT ON audit_log "
    "BEGIN SELECT RAISE(ABORT, 'injected crash'); END;"
)
SQLITE_UNBOOM = "DROP TRIGGER td_boom;"


async def test_a_crash_mid_way_leaves_nothing_and_the_retry_applies_once(
    services: Services, web: TestClient, people: tuple[Client, Staff, Staff]
) -> None:
    """The database fails the transaction after the ledger rows and the receipt were written (a
    trigger refuses the audit row; SQLite reports it as a constraint failure, which must not
    pass for a duplicate): everything rolls back, the provider's retry applies it once."""
    client, _, _ = people
    order = await make_order(client, price=100_000)
    intent = await order_intent(services, order)
    body = liqpay_body(liqpay_payload(intent.reference, "1000"))
    conn = connections.get("default")
    pg = conn.capabilities.dialect == "postgres"
    await conn.execute_script(PG_BOOM if pg else SQLITE_BOOM)
    try:
        status, _ = await post_callback(web, "liqpay", body)
    finally:
        await conn.execute_script(PG_UNBOOM if pg else SQLITE_UNBOOM)
    assert status == 500
    assert await LedgerEntry.all().count() == 0
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.PENDING
    assert (await Order.get(id=order.id)).paid == 0
    first = await ProviderEvent.get()
    assert (first.signature_valid, first.dedupe_key) == (True, None)  # on record, not applied
    for _ in range(2):
        assert (await post_callback(web, "liqpay", body))[0] == 200
    assert await ledger_of(client) == [("payment", 100_000), ("order_charge", -100_000)]
    assert len([t for t in await texts(client_id=client.id) if "Payment received" in t]) == 1


async def test_payment_received_goes_to_the_orders_manager_and_the_accountants(
    services: Services,
    web: TestClient,
    people: tuple[Client, Staff, Staff],
) -> None:
    client, admin, manager = people
    other, _ = await make_staff(Role.MANAGER, "manager2")
    accountant, _ = await make_staff(Role.ACCOUNTANT, "acc1")
    order = await make_order(client, price=100_000)
    order.manager = manager
    await order.save()
    intent = await order_intent(services, order)
    status, _ = await post_callback(
        web, "liqpay", liqpay_body(liqpay_payload(intent.reference, "1000"))
    )
    assert status == 200

    def got_it(messages: list[str]) -> bool:
        return any("Payment received" in t for t in messages)

    assert got_it(await texts(staff_id=manager.id))
    assert got_it(await texts(staff_id=accountant.id))
    assert not got_it(await texts(staff_id=other.id))  # not their client
    assert not got_it(await texts(staff_id=admin.id))  # the assigned manager is reachable
