"""Earning points on orders, and giving them back when the money goes back.

An order earns once (``accrue:order:<id>``) at the configured moment: paid in full
(``[loyalty] accrue_on = "paid"``, in the transaction of the payment that completes it) or
completed (when staff mark it so). The base is the money paid for it — points that paid part of
it earn nothing — at the client's rate: ``accrual_percent``, or the highest tier their earlier
orders reached. A refund takes back the refunded share of what the order earned
(``reverse:refund:<refund id>``); a cancellation the rest (``reverse:cancel:order:<id>``).
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from tortoise.functions import Sum

from core.loyalty import points
from core.rules import Loyalty
from core.services import Services
from storage.models import (
    EntryKind,
    LedgerEntry,
    Order,
    OrderStatus,
    PointsEntry,
    PointsKind,
    Refund,
)

EXPIRE = "loyalty.expire"
REMIND = "loyalty.remind"
DONE = (OrderStatus.PAID, OrderStatus.COMPLETED)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` later (the month's last day when it is shorter)."""
    month0 = moment.month - 1 + months
    year, month = moment.year + month0 // 12, month0 % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def lot_expiry(rules: Loyalty, now: datetime) -> datetime | None:
    return add_months(now, rules.expiry_months) if rules.expiry_months else None


def bp(percent: float) -> int:
    """A percent as an exact integer of hundredths (3.5 -> 350)."""
    return round(percent * 100)


async def spent_before(client_id: int, order: Order) -> int:
    """What the client paid for their other finished orders in this order's currency."""
    rows = (
        await Order.filter(client_id=client_id, status__in=list(DONE), currency=order.currency)
        .exclude(id=order.id)
        .annotate(total=Sum("paid"))
        .values("total")
    )
    return int((rows[0]["total"] if rows else 0) or 0)


async def rate_bp(rules: Loyalty, client_id: int, order: Order) -> int:
    """The client's accrual rate for ``order``: the base percent or their tier's."""
    rate = bp(rules.accrual_percent)
    spent = await spent_before(client_id, order)
    for tier in rules.tiers:
        if spent >= tier.spent:
            rate = bp(tier.percent)
    return rate


POINTS_MONEY = "points:"  # money-ledger references of points that paid an order


async def money_base(order: Order) -> int:
    """The money (not points) the order holds: points that paid part of it are money-ledger
    credits ``points:intent:<id>`` on the order, so they are left out."""
    converted = await LedgerEntry.filter(
        order_id=order.id, kind=EntryKind.BONUS, reference__startswith=POINTS_MONEY
    ).values_list("amount", flat=True)
    return max(order.paid - sum(int(v) for v in converted), 0)  # type: ignore[call-overload]


async def plan_lot(services: Services, entry: PointsEntry) -> None:
    """The lot's expiry and its "expires soon" reminder, as job rows (survive restarts, each
    planned once by its key)."""
    if entry.expires_at is None or entry.points <= 0:
        return
    jobs = services.jobs
    payload = {"client": entry.client_id, "lot": entry.id}
    await jobs.schedule(EXPIRE, entry.expires_at, payload, dedupe_key=f"loyalty:expire:{entry.id}")
    days = services.rules.loyalty.expiry_reminder_days
    if days:
        remind_at = max(entry.expires_at - timedelta(days=days), services.clock.now())
        await jobs.schedule(REMIND, remind_at, payload, dedupe_key=f"loyalty:remind:{entry.id}")


async def grant(
    services: Services,
    client_id: int,
    amount: int,
    kind: PointsKind,
    reference: str,
    *,
    order_id: int | None = None,
    staff_id: int | None = None,
    reason: str = "",
) -> PointsEntry | None:
    """A new lot, once by ``reference``, with its expiry planned (client locked)."""
    now = services.clock.now()
    entry = await points.append(
        client_id,
        amount,
        kind,
        reference,
        now=now,
        expires_at=lot_expiry(services.rules.loyalty, now),
        order_id=order_id,
        staff_id=staff_id,
        reason=reason,
    )
    if entry is not None:
        await plan_lot(services, entry)
    return entry


async def accrue(services: Services, order: Order) -> PointsEntry | None:
    """What ``order`` earns, once (client locked). None when it earns nothing (yet)."""
    rules = services.rules.loyalty
    if not rules.enabled or order.status is OrderStatus.CANCELLED:
        return None
    base = await money_base(order)
    rate = await rate_bp(rules, order.client_id, order)
    earned = base * rate // (10_000 * rules.point_value)
    if earned <= 0:
        return None
    return await grant(
        services,
        order.client_id,
        earned,
        PointsKind.ACCRUE,
        f"accrue:order:{order.id}",
        order_id=order.id,
        reason=f"{rate / 100:g}% of {base}",
    )


async def on_order_paid(services: Services, order: Order) -> PointsEntry | None:
    """The payment that made ``order`` paid in full (client locked)."""
    if services.rules.loyalty.accrue_on != "paid" or order.status is not OrderStatus.PAID:
        return None
    return await accrue(services, order)


async def on_order_completed(services: Services, order: Order) -> PointsEntry | None:
    if services.rules.loyalty.accrue_on != "completed" or order.status is not OrderStatus.COMPLETED:
        return None
    return await accrue(services, order)


async def _accrued(order_id: int) -> tuple[int, int]:
    """What the order earned and what of it was taken back already."""
    earned = await PointsEntry.get_or_none(reference=f"accrue:order:{order_id}")
    taken = await PointsEntry.filter(order_id=order_id, kind=PointsKind.REVERSE).values_list(
        "points", flat=True
    )
    return (earned.points if earned else 0), -sum(int(p) for p in taken)  # type: ignore[call-overload]


async def on_refund(services: Services, refund: Refund) -> PointsEntry | None:
    """Money of an order went back to the card: the same share of its points goes back
    (client locked)."""
    if refund.order_id is None:
        return None
    earned, taken = await _accrued(refund.order_id)
    if earned - taken <= 0:
        return None
    order = await Order.get(id=refund.order_id)
    base = max(await money_base(order) + refund.amount, refund.amount)
    share = min(-(-earned * refund.amount // base), earned - taken)  # rounded up
    return await points.take_back(
        refund.client_id,
        share,
        PointsKind.REVERSE,
        f"reverse:refund:{refund.id}",
        now=services.clock.now(),
        order_id=refund.order_id,
        reason="order money refunded",
    )


async def on_cancel(services: Services, order: Order) -> PointsEntry | None:
    """A cancelled order keeps none of what it earned (client locked)."""
    earned, taken = await _accrued(order.id)
    if earned - taken <= 0:
        return None
    return await points.take_back(
        order.client_id,
        earned - taken,
        PointsKind.REVERSE,
        f"reverse:cancel:order:{order.id}",
        now=services.clock.now(),
        order_id=order.id,
        reason="order cancelled",
    )
