"""Links that run out: the reminder before, and at the deadline the unpaid booking cancelled
with the client, admins and managers told — driven by the job runner on a moved clock."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.clock import ManualClock
from core.jobs import JobRunner
from core.payments.intents import create_order_intent, create_topup_intent
from core.payments.jobs import reconcile
from core.payments.processing import apply_callback
from core.payments.registry import payment_providers
from core.rules import Payments, Rules
from core.services import Services
from core.settings import Settings
from storage.models import (
    AuditEntry,
    Client,
    IntentStatus,
    Job,
    JobStatus,
    Order,
    OrderStatus,
    PaymentIntent,
    ProviderEvent,
    Role,
    Staff,
)
from tests.support.factories import make_client, make_order, make_staff
from tests.support.payments import configure, liqpay_body, liqpay_payload, offline, texts


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return configure(settings)


@pytest.fixture
def services(services: Services) -> Services:
    return offline(services)


@pytest.fixture
async def people() -> tuple[Client, Staff, Staff, Staff]:
    return (
        await make_client(user_id="u1"),
        (await make_staff(Role.ADMIN, "admin1"))[0],
        (await make_staff(Role.MANAGER, "manager1"))[0],
        (await make_staff(Role.ACCOUNTANT, "acc1"))[0],
    )


async def run_jobs(services: Services) -> None:
    await JobRunner(services.jobs, "test").drain()


async def test_reminder_then_the_unpaid_booking_is_cancelled_and_everyone_told(
    services: Services, clock: ManualClock, people: tuple[Client, Staff, Staff, Staff]
) -> None:
    client, admin, manager, accountant = people
    order = await make_order(client, price=1_000_000)
    intent = await create_order_intent(services, order, share="prepayment")
    rules = services.rules.payments
    clock.advance(timedelta(hours=rules.link_lifetime_hours - rules.expiry_reminder_hours))
    await run_jobs(services)
    reminder = (await texts(client_id=client.id))[-1]
    assert "valid until" in reminder and "booking will be cancelled" in reminder
    assert (await Order.get(id=order.id)).status is OrderStatus.BOOKED
    clock.advance(timedelta(hours=rules.expiry_reminder_hours))
    await run_jobs(services)
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.EXPIRED
    assert (await Order.get(id=order.id)).status is OrderStatus.CANCELLED
    assert (
        "was cancelled because the prepayment did not arrive"
        in (await texts(client_id=client.id))[-1]
    )
    for staff in (admin, manager):
        assert any("cancelled automatically" in t for t in await texts(staff_id=staff.id))
    assert not any("cancelled" in t for t in await texts(staff_id=accountant.id))
    assert await AuditEntry.filter(action="booking-auto-cancelled").count() == 1
    await run_jobs(services)  # nothing runs twice
    assert len([t for t in await texts(client_id=client.id) if "was cancelled" in t]) == 1


async def test_paid_link_is_neither_reminded_nor_expired(
    services: Services, clock: ManualClock, people: tuple[Client, Staff, Staff, Staff]
) -> None:
    client, *_ = people
    order = await make_order(client, price=100_000)
    intent = await create_order_intent(services, order)
    provider = payment_providers(services).choose("liqpay")
    cb = provider.parse_callback(liqpay_body(liqpay_payload(intent.reference, "1000")), {})
    event = await ProviderEvent.create(provider="liqpay", body="test", signature_valid=True)
    await apply_callback(services, cb, event.id)
    assert (
        await Job.filter(dedupe_key__startswith=f"payments:{intent.id}:")
        .exclude(status=JobStatus.CANCELLED)
        .count()
        == 0
    )
    clock.advance(timedelta(days=2))
    await run_jobs(services)
    assert (await Order.get(id=order.id)).status is OrderStatus.PAID
    assert not any("valid until" in t for t in await texts(client_id=client.id))


async def test_without_auto_cancel_the_booking_stays_and_managers_hear_of_it(
    services: Services, clock: ManualClock, people: tuple[Client, Staff, Staff, Staff]
) -> None:
    client, admin, _, _ = people
    services.rules = Rules(payments=Payments(cancel_unpaid_bookings=False))
    order = await make_order(client)
    intent = await create_order_intent(services, order, share="prepayment")
    clock.advance(timedelta(days=2))
    await run_jobs(services)
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.EXPIRED
    assert (await Order.get(id=order.id)).status is OrderStatus.BOOKED
    assert any("expired unpaid" in t for t in await texts(staff_id=admin.id))


async def test_expiry_and_reconciliation_plan_nothing_for_topups_after_the_window(
    services: Services, clock: ManualClock, people: tuple[Client, Staff, Staff, Staff]
) -> None:
    client, *_ = people
    intent = await create_topup_intent(services, client, 50_000)
    clock.advance(timedelta(days=1, hours=1))
    await run_jobs(services)
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.EXPIRED
    clock.advance(timedelta(days=3))
    assert await reconcile(services) == 0
    await run_jobs(services)  # the planned run finds nothing left to watch and stops
    assert not await Job.filter(kind="payments.reconcile", status=JobStatus.PENDING).exists()
