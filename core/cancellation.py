"""Cancelling an order that has money on it.

What the order holds (``order.paid``) moves back to the client's balance as a ledger entry
(``order:<id>:cancel:<n>``); when staff choose a refund, the parts paid through a provider that
can refund are then returned to the card: each a :class:`Refund` the provider confirms, a debit
of the balance applied exactly once (:mod:`core.payments.refunds`). Money paid from the balance,
or through a provider that cannot refund, can only stay on the balance. The automatic
cancellation of an unpaid booking keeps whatever was paid on the balance.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from tortoise.transactions import in_transaction

from core import ledger
from core.audit import Actor, audit_at, staff_id_of
from core.contract import Button, Reply, rows
from core.errors import InvalidInput, NotFound
from core.i18n import T
from core.loyalty import hooks as loyalty
from core.payloads import encode
from core.payments import refunds
from core.payments.intents import cancel_jobs
from core.payments.registry import payment_providers
from core.relay import tell_client
from core.services import Services
from core.webhooks import events as webhook_events
from storage.models import (
    Client,
    EntryKind,
    IntentPurpose,
    IntentStatus,
    LedgerEntry,
    Order,
    OrderStatus,
    PaymentIntent,
    Refund,
    RefundStatus,
)

CANCELLABLE = (OrderStatus.DRAFT, OrderStatus.BOOKED, OrderStatus.CONFIRMED, OrderStatus.PAID)


class MoneyChoice(StrEnum):
    NONE = "none"  # nothing was paid
    KEEP = "keep"  # the paid amount stays on the client's balance
    REFUND = "refund"  # ... and from there back to the card where the provider can


@dataclass(frozen=True, slots=True)
class RefundPart:
    intent_id: int
    provider: str
    amount: int


@dataclass(frozen=True, slots=True)
class CancelPlan:
    """What cancelling ``order`` now would do with its money."""

    order: Order
    paid: int
    parts: tuple[RefundPart, ...]

    @property
    def refundable(self) -> int:
        return sum(p.amount for p in self.parts)

    @property
    def providers(self) -> list[str]:
        return sorted({p.provider for p in self.parts})


async def plan(services: Services, order: Order) -> CancelPlan:
    """Which of the order's money came through a provider that can return it (newest first)."""
    if order.paid <= 0:
        return CancelPlan(order, 0, ())
    registry = payment_providers(services)
    left = order.paid
    parts: list[RefundPart] = []
    intents = await PaymentIntent.filter(
        order_id=order.id, purpose=IntentPurpose.ORDER, status=IntentStatus.PAID
    ).order_by("-id")
    for intent in intents:
        provider = registry.get(intent.provider)
        if provider is None or not provider.supports_refund or not intent.provider_payment_id:
            continue
        amount = min(intent.amount - await refunds.refunded_total(intent.id), left)
        if amount > 0:
            parts.append(RefundPart(intent.id, intent.provider, amount))
            left -= amount
        if left <= 0:
            break
    return CancelPlan(order, order.paid, tuple(parts))


async def release_locked(
    order: Order, *, staff_id: int | None, reason: str, at_reference: str | None = None
) -> int:
    """Move what the order holds back to the client's balance (client and order locked)."""
    amount = order.paid
    if amount <= 0:
        return 0
    await ledger.append(
        order.client_id,
        amount,
        order.currency,
        EntryKind.ORDER_CHARGE,
        at_reference or f"order:{order.id}:cancel:{uuid.uuid4().hex[:12]}",
        order_id=order.id,
        staff_id=staff_id,
        reason=reason,
    )
    order.paid = 0
    await order.save(update_fields=["paid", "updated_at"])
    return amount


async def close_links(order_id: int) -> None:
    """Open payment links of a cancelled order stop working (and stop reminding)."""
    ids = await PaymentIntent.filter(order_id=order_id, status=IntentStatus.PENDING).values_list(
        "id", flat=True
    )
    for intent_id in ids:
        changed = await PaymentIntent.filter(id=intent_id, status=IntentStatus.PENDING).update(
            status=IntentStatus.CANCELLED
        )
        if changed:
            await cancel_jobs(int(intent_id))  # type: ignore[call-overload]


@dataclass(frozen=True, slots=True)
class Cancelled:
    order: Order
    released: int  # moved from the order to the balance
    refunds: tuple[Refund, ...]  # as the providers left them
    balance: int  # the client's balance afterwards

    def total(self, *statuses: RefundStatus) -> int:
        return sum(r.amount for r in self.refunds if r.status in statuses)

    @property
    def kept(self) -> int:
        return self.released - self.total(RefundStatus.REQUESTED, RefundStatus.DONE)


async def cancel_order(
    services: Services,
    staff: Actor,
    order_id: int,
    choice: MoneyChoice,
    *,
    expected_paid: int | None = None,
) -> Cancelled:
    """Cancel the order; its money goes where ``choice`` says; the client is told where.

    ``expected_paid`` is what staff saw when they chose: if money moved since, nothing happens
    (InvalidInput ``money-changed``) and they are asked again.
    """
    now = services.clock.now()
    async with in_transaction():
        found = await Order.get_or_none(id=order_id)
        if found is None:
            raise NotFound("st-order-not-found")
        # Lock order: payment intents, client, order — a refund callback of these payments
        # waits for this cancellation and then finds its refund rows.
        await PaymentIntent.filter(order_id=order_id, status=IntentStatus.PAID).select_for_update()
        await ledger.lock_client(found.client_id)
        order = await ledger.lock_order(order_id)
        if order is None:
            raise NotFound("st-order-not-found")
        current = OrderStatus(order.status)
        if current not in CANCELLABLE:
            raise InvalidInput("st-status-not-allowed", number=order.number)
        if expected_paid is not None and expected_paid != order.paid:
            raise InvalidInput("money-changed", number=order.number)
        if order.paid > 0 and choice is MoneyChoice.NONE:
            raise InvalidInput("money-changed", number=order.number)
        the_plan = await plan(services, order)
        if choice is MoneyChoice.REFUND and not the_plan.parts:
            raise InvalidInput("money-refund-unavailable")
        released = await release_locked(
            order,
            staff_id=staff_id_of(staff),
            reason="order cancelled: its money back to the balance",
        )
        order.status = OrderStatus.CANCELLED
        await order.save(update_fields=["status", "updated_at"])
        asked: list[Refund] = []
        if choice is MoneyChoice.REFUND:
            for part in the_plan.parts:
                asked.append(
                    await Refund.create(
                        intent_id=part.intent_id,
                        client_id=order.client_id,
                        order_id=order.id,
                        provider=part.provider,
                        amount=part.amount,
                        currency=order.currency,
                        staff_id=staff_id_of(staff),
                    )
                )
        await close_links(order.id)
        await loyalty.on_cancelled(services, order, released=released)
        await audit_at(
            staff,
            "staff.order.status",
            at=now,
            subject=f"order:{order.number}",
            details={
                "from": current.value,
                "to": OrderStatus.CANCELLED.value,
                "client": order.client_id,
                "released": released,
                "refund": the_plan.refundable if asked else 0,
                "currency": order.currency,
            },
        )
        await webhook_events.booking_cancelled(
            services,
            order,
            current,
            cause=f"cancelled:{webhook_events.moment(now)}",
            by="staff",
            released=released,
            refund=the_plan.refundable if asked else 0,
        )
    comment = f"order {order.number} cancelled"
    done = tuple([await refunds.request(services, r.id, comment) for r in asked])
    balance = await ledger.balance(order.client_id, order.currency)
    result = Cancelled(order, released, done, balance)
    client = await Client.get(id=order.client_id)
    await tell_client(
        services,
        client,
        client_notice(result, services.rules.payments.refund_days),
        kind="order-cancelled",
        dedupe_key=f"order-status:{order.id}:cancelled:{int(now.timestamp())}",
    )
    return result


def money_lines(t: T, cancelled: Cancelled, days: int) -> list[str]:
    """For the client: where the money of a cancelled order went."""
    currency = cancelled.order.currency
    lines = []
    refunding = cancelled.total(RefundStatus.REQUESTED, RefundStatus.DONE)
    if refunding > 0:
        lines.append(t("money-client-refunding", amount=t.money(refunding, currency), days=days))
    if cancelled.kept > 0:
        lines.append(
            t(
                "money-client-kept",
                amount=t.money(cancelled.kept, currency),
                balance=t.money(cancelled.balance, currency),
            )
        )
    return lines


def client_notice(cancelled: Cancelled, days: int) -> Callable[[T], Reply]:
    order = cancelled.order

    def render(t: T) -> Reply:
        head = t("st-client-order-cancelled", number=order.number, destination=order.destination)
        return Reply(
            "\n".join([head, *money_lines(t, cancelled, days)]),
            rows([Button(t("st-client-open-trip"), encode("trip", order.id))]),
        )

    return render


def staff_lines(t: T, cancelled: Cancelled) -> list[str]:
    """For the staff member who cancelled: what happened to the money, refund by refund."""
    currency = cancelled.order.currency
    lines = []
    for refund in cancelled.refunds:
        key = {
            RefundStatus.DONE: "money-staff-refund-done",
            RefundStatus.REQUESTED: "money-staff-refund-waiting",
            RefundStatus.FAILED: "money-staff-refund-failed",
        }[refund.status]
        lines.append(
            t(
                key,
                amount=t.money(refund.amount, currency),
                provider=refund.provider,
                reason=refund.note or "—",
            )
        )
    if cancelled.kept > 0:
        lines.append(
            t(
                "money-staff-kept",
                amount=t.money(cancelled.kept, currency),
                balance=t.money(cancelled.balance, currency),
            )
        )
    return lines


# ---- what a cancelled order's card shows instead of "left to pay" ---------------------------


@dataclass(frozen=True, slots=True)
class MoneyOutcome:
    currency: str
    released: int  # moved to the balance on cancellation
    refunded: int  # of that, returned to the card
    refunding: int  # of that, waiting for the provider

    @property
    def on_balance(self) -> int:
        return max(self.released - self.refunded - self.refunding, 0)


async def outcome(order: Order) -> MoneyOutcome:
    released = await LedgerEntry.filter(
        order_id=order.id,
        kind=EntryKind.ORDER_CHARGE,
        reference__startswith=f"order:{order.id}:cancel:",
    ).values_list("amount", flat=True)
    sums: dict[RefundStatus, int] = {}
    # Refunds staff chose when cancelling (a provider's own refund callback has no staff).
    for refund in await Refund.filter(order_id=order.id, staff_id__isnull=False):
        sums[refund.status] = sums.get(refund.status, 0) + refund.amount
    return MoneyOutcome(
        order.currency,
        sum(int(a) for a in released),  # type: ignore[call-overload]
        sums.get(RefundStatus.DONE, 0),
        sums.get(RefundStatus.REQUESTED, 0),
    )


def outcome_lines(t: T, money: MoneyOutcome, *, staff: bool) -> list[str]:
    prefix = "money-card" if staff else "money-trip"
    if money.released <= 0:
        return [t(f"{prefix}-nothing")]
    lines = []
    if money.refunded > 0:
        lines.append(t(f"{prefix}-refunded", amount=t.money(money.refunded, money.currency)))
    if money.refunding > 0:
        lines.append(t(f"{prefix}-refunding", amount=t.money(money.refunding, money.currency)))
    if money.on_balance > 0:
        lines.append(t(f"{prefix}-on-balance", amount=t.money(money.on_balance, money.currency)))
    return lines
