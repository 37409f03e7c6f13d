"""Scheduled payment work: the expiry reminder, expiry (and the booking's auto-cancel), and
reconciliation with the providers. Registered on ``services.jobs`` by :func:`register`."""

from __future__ import annotations

import logging
from datetime import timedelta

from tortoise.transactions import in_transaction

from core import ledger
from core.audit import audit
from core.cancellation import close_links, release_locked
from core.loyalty import hooks as loyalty
from core.payments import group as group_commit
from core.payments import notices
from core.payments.base import ProviderUnavailable
from core.payments.intents import EXPIRE, RECONCILE, REMIND, ensure_reconcile, pay_link
from core.payments.processing import record_answer
from core.payments.registry import payment_providers
from core.payments.stuck import anything_stuck, retry_stuck
from core.services import Services
from core.webhooks import events as webhook_events
from storage.models import (
    Client,
    IntentStatus,
    Job,
    Order,
    OrderStatus,
    PaymentIntent,
)

log = logging.getLogger("tourdesk.payments")

RECONCILE_BATCH = 100
RECONCILE_WINDOW = timedelta(days=2)  # keep asking about a link this long after it expired
OPEN = (IntentStatus.PENDING, IntentStatus.FAILED)


async def remind(services: Services, job: Job) -> None:
    intent = await PaymentIntent.get_or_none(id=job.payload.get("intent"))
    if intent is None or intent.status is not IntentStatus.PENDING:
        return
    if intent.expires_at <= services.clock.now():
        return
    order_id = intent.order_id
    order = await Order.get_or_none(id=order_id) if order_id else None
    if order is not None and (order.status not in ledger.PAYABLE or order.remaining <= 0):
        return
    client = await Client.get(id=intent.client_id)
    await notices.tell_client(
        services,
        client,
        notices.reminder(services, intent, order, pay_link(services.settings, intent)),
        kind="payment-reminder",
        dedupe_key=f"pay:remind:{intent.id}",
    )


async def ask_provider(services: Services, intent: PaymentIntent) -> str | None:
    """Ask the provider about one link now and apply its answer; the outcome, or None."""
    provider = payment_providers(services).get(intent.provider)
    if provider is None:
        return None
    try:
        answer = await provider.query_status(intent.reference)
    except ProviderUnavailable as exc:
        log.warning("status query %s %s: %s", intent.provider, intent.reference, exc)
        return None
    if answer is None:
        return None
    callback, raw = answer
    return (await record_answer(services, callback, raw, source="reconcile")).outcome


async def expire(services: Services, job: Job) -> None:
    """The link's time is up: intent expired; an unpaid booking behind it is cancelled.

    The provider is asked first, so a link paid whose callback never came (and that
    reconciliation has not reached yet) is credited rather than its booking cancelled.
    """
    now = services.clock.now()
    rules = services.rules.payments
    intent = await PaymentIntent.get_or_none(id=job.payload.get("intent"))
    if intent is not None and intent.status in OPEN and intent.expires_at <= now:
        await ask_provider(services, intent)
    async with in_transaction():
        intent = (
            await PaymentIntent.filter(id=job.payload.get("intent")).select_for_update().first()
        )
        if intent is None or intent.status not in OPEN or intent.expires_at > now:
            return
        intent.status = IntentStatus.EXPIRED
        await intent.save(update_fields=["status", "updated_at"])
        order_id = intent.order_id
        if not order_id:
            return
        client = await ledger.lock_client(intent.client_id)  # lock order: intent, client, order
        order = await ledger.lock_order(order_id)
        if order is None or order.status not in ledger.PAYABLE or order.remaining <= 0:
            return
        unpaid_booking = (
            intent.is_prepayment
            and rules.cancel_unpaid_bookings
            and order.status is OrderStatus.BOOKED
            and order.paid < ledger.prepayment_due(order, rules.prepayment_percent)
        )
        live = await PaymentIntent.filter(
            order_id=order.id, status=IntentStatus.PENDING, expires_at__gt=now
        ).exists()
        if unpaid_booking and not live:
            await _auto_cancel(services, intent, order, client)
            return
        if not live:
            await notices.tell_staff(
                services,
                notices.staff_text(
                    "pay-staff-link-expired",
                    number=order.number,
                    client=client.display_name,
                    amount=(intent.amount, intent.currency),
                ),
                kind="payment-link-expired",
                dedupe_key=f"pay:expired:{intent.id}:staff",
                roles=notices.MANAGERS,
            )


async def _auto_cancel(
    services: Services, intent: PaymentIntent, order: Order, client: Client
) -> None:
    """No prepayment by the deadline: the booking is cancelled; a partial payment it holds goes
    back to the client's balance (the same money rule as a cancellation by staff)."""
    key = f"pay:cancel:{order.id}:{intent.id}"
    kept = await release_locked(
        order,
        staff_id=None,
        reason="booking cancelled for non-payment: its money back to the balance",
        at_reference=f"order:{order.id}:cancel:auto:{intent.id}",
    )
    before = order.status
    order.status = OrderStatus.CANCELLED
    await order.save(update_fields=["status", "updated_at"])
    await close_links(order.id)
    await webhook_events.booking_cancelled(
        services,
        order,
        before,
        cause=f"cancelled:unpaid:{intent.id}",
        by="non-payment",
        released=kept,
        refund=0,
    )
    await loyalty.on_cancelled(services, order, released=kept)
    balance = await ledger.balance(client.id, order.currency)
    await audit(
        "system",
        "booking-auto-cancelled",
        subject=f"order:{order.number}",
        details={
            "intent": intent.id,
            "deadline": intent.expires_at.isoformat(),
            "released": kept,
            "currency": order.currency,
        },
    )
    await notices.tell_client(
        services,
        client,
        notices.booking_cancelled(order, kept, balance),
        kind="booking-cancelled",
        dedupe_key=key,
    )
    await notices.tell_staff(
        services,
        notices.booking_cancelled_staff(services, order, client, intent, kept, balance),
        kind="booking-cancelled",
        dedupe_key=f"{key}:staff",
        roles=notices.MANAGERS,
    )


async def _due_for_check(services: Services) -> list[PaymentIntent]:
    """The next batch to ask about: never checked first, then the least recently checked."""
    now = services.clock.now()
    stale = now - timedelta(minutes=services.rules.payments.reconcile_after_minutes)
    watched = PaymentIntent.filter(
        status__in=[*OPEN, IntentStatus.EXPIRED],
        created_at__lte=stale,
        expires_at__gte=now - RECONCILE_WINDOW,
        provider__in=payment_providers(services).names(),
    )
    batch = list(
        await watched.filter(last_checked_at__isnull=True).order_by("id").limit(RECONCILE_BATCH)
    )
    if len(batch) < RECONCILE_BATCH:
        batch += (
            await watched.filter(last_checked_at__isnull=False)
            .order_by("last_checked_at", "id")
            .limit(RECONCILE_BATCH - len(batch))
        )
    return batch


async def reconcile(services: Services, job: Job | None = None) -> int:
    """Ask providers about links pending for a while; apply answers through the same path.

    Every open link takes its turn: each run asks about the :data:`RECONCILE_BATCH` least
    recently checked, so with any number pending all are asked over successive runs. Events
    left at ``received`` by a crash are retried too. Returns how many answers changed or
    confirmed something. Plans its next run while there is anything left to watch.
    """
    now = services.clock.now()
    providers = payment_providers(services)
    candidates = await _due_for_check(services)
    if candidates:
        await PaymentIntent.filter(id__in=[c.id for c in candidates]).update(last_checked_at=now)
    applied = 0
    for intent in candidates:
        outcome = await ask_provider(services, intent)
        applied += outcome is not None and outcome not in ("noted", "duplicate")
    applied += await retry_stuck(services)
    watching = await PaymentIntent.filter(
        status__in=[*OPEN, IntentStatus.EXPIRED],
        expires_at__gte=now - RECONCILE_WINDOW,
        provider__in=providers.names(),
    ).exists()
    if watching or await anything_stuck():
        await ensure_reconcile(services)
    return applied


def register(services: Services) -> None:
    """Register the payment job handlers on ``services.jobs`` (called from build_services)."""

    async def _remind(job: Job) -> None:
        await remind(services, job)

    async def _expire(job: Job) -> None:
        await expire(services, job)

    async def _reconcile(job: Job) -> None:
        await reconcile(services, job)

    services.jobs.handler(REMIND)(_remind)
    services.jobs.handler(EXPIRE)(_expire)
    services.jobs.handler(RECONCILE)(_reconcile)
    group_commit.register(services)
