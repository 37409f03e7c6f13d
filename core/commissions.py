"""Managers' commissions: a ledger of their own, accrued when money lands on their orders.

A manager's rule (:class:`CommissionRule`, set by an admin; else ``[commissions]``) is a percent
of the money paid, or — when the order carries the operator's net price and the rule has a
margin percent — a percent of the margin that money brings (``amount * (price - net) /
price``). Each provider payment accrues once (``commission:<payment reference>``, written in
the payment's own transaction, so a duplicated callback cannot pay twice); each refund takes
back its share once (``commission:refund:<refund id>``). A cancelled order keeps only the
share of what the agency actually kept of its money (what stays on the order; the rest went
to the client's balance or card): the difference is taken back once, in the cancellation's
transaction (``commission:cancel:order:<id>``), and refunds of that money later take nothing
more. Amounts are exact integers: rates in
hundredths of a percent, rounded down.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time

from tortoise.exceptions import IntegrityError
from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from core.audit import audit
from core.errors import InvalidInput, NotFound
from core.reminders.timing import local_at
from core.rules import Commissions
from core.services import Services
from storage.models import CommissionEntry, CommissionRule, Job, Order, Refund, Role, Staff

REPORT = "commissions.report"


@dataclass(frozen=True, slots=True)
class Rate:
    paid_bp: int
    margin_bp: int


def bp(percent: float) -> int:
    return round(percent * 100)


async def rate_of(rules: Commissions, staff_id: int) -> Rate:
    own = await CommissionRule.get_or_none(staff_id=staff_id)
    if own is not None:
        return Rate(own.paid_bp, own.margin_bp)
    return Rate(bp(rules.paid_percent), bp(rules.margin_percent))


def share(order: Order, amount: int, rate: Rate) -> tuple[int, int, str, int]:
    """(commission, base, basis, rate) for ``amount`` of money paid on ``order``."""
    if order.net_price is not None and rate.margin_bp and order.price > 0:
        base = max(amount * (order.price - order.net_price) // order.price, 0)
        return base * rate.margin_bp // 10_000, base, "margin", rate.margin_bp
    return amount * rate.paid_bp // 10_000, amount, "paid", rate.paid_bp


async def on_payment(
    services: Services, order: Order, amount: int, payment_reference: str
) -> CommissionEntry | None:
    """``amount`` of one payment went to ``order``: its manager's commission, once."""
    if order.manager_id is None or amount <= 0:
        return None
    reference = f"commission:{payment_reference}"[:191]
    if await CommissionEntry.filter(reference=reference).exists():
        return None
    rate = await rate_of(services.rules.commissions, order.manager_id)
    commission, base, basis, used = share(order, amount, rate)
    if commission <= 0:
        return None
    entry = await CommissionEntry.create(
        staff_id=order.manager_id,
        order_id=order.id,
        amount=commission,
        currency=order.currency,
        base=base,
        basis=basis,
        rate_bp=used,
        reference=reference,
        created_at=services.clock.now(),
    )
    await ensure_report(services, services.clock.now())
    return entry


def cancel_reference(order_id: int) -> str:
    return f"commission:cancel:order:{order_id}"


async def on_cancel(services: Services, order: Order, released: int) -> CommissionEntry | None:
    """``order`` was cancelled and ``released`` of its money left it (to the client's balance,
    perhaps on to the card); what it still holds (``order.paid``, e.g. a cancellation fee) is
    what the agency kept. The manager keeps the commission's share of that and gives back the
    rest, once (order locked, inside the cancellation's transaction)."""
    reference = cancel_reference(order.id)
    if await CommissionEntry.filter(reference=reference).exists():
        return None
    entries = await CommissionEntry.filter(order_id=order.id).order_by("id")
    earned = [e for e in entries if e.amount > 0]
    net = sum(e.amount for e in entries)
    if not earned or net <= 0:
        return None
    kept = max(order.paid, 0)
    held = released + kept
    total = sum(e.amount for e in earned)
    keep = total * kept // held if held > 0 else 0
    back = net - keep
    if back <= 0:
        return None
    first = earned[0]
    return await CommissionEntry.create(
        staff_id=first.staff_id,
        order_id=order.id,
        amount=-back,
        currency=first.currency,
        base=-released,
        basis=first.basis,
        rate_bp=first.rate_bp,
        reference=reference,
        created_at=services.clock.now(),
    )


async def on_refund(services: Services, refund: Refund) -> CommissionEntry | None:
    """Money of an order went back: the same share of its commission goes back, once. After
    the order's cancellation settled its commission, a refund of the released money takes
    nothing more."""
    if refund.order_id is None:
        return None
    reference = f"commission:refund:{refund.id}"
    if await CommissionEntry.filter(reference=reference).exists():
        return None
    if await CommissionEntry.filter(reference=cancel_reference(refund.order_id)).exists():
        return None
    entries = await CommissionEntry.filter(order_id=refund.order_id)
    earned = [e for e in entries if e.amount > 0]
    net = sum(e.amount for e in entries)
    if not earned or net <= 0:
        return None
    paid = sum(e.base if e.basis == "paid" else 0 for e in earned)
    total = sum(e.amount for e in earned)
    order = await Order.get(id=refund.order_id)
    money = paid or max(order.paid + refund.amount, refund.amount)
    back = min(-(-total * refund.amount // money), net)
    if back <= 0:
        return None
    first = earned[0]
    return await CommissionEntry.create(
        staff_id=first.staff_id,
        order_id=refund.order_id,
        amount=-back,
        currency=first.currency,
        base=-refund.amount,
        basis=first.basis,
        rate_bp=first.rate_bp,
        reference=reference,
        created_at=services.clock.now(),
    )


# ---- rules and net prices, set by staff -----------------------------------------------------


def parse_percent(text: str) -> float:
    try:
        value = float(text.strip().rstrip("%").replace(",", "."))
    except ValueError:
        raise InvalidInput("cm-error-percent") from None
    if not 0 <= value <= 100:
        raise InvalidInput("cm-error-percent")
    return value


async def set_rule(admin: Staff, staff_id: int, paid: float, margin: float) -> CommissionRule:
    manager = await Staff.get_or_none(id=staff_id)
    if manager is None or manager.role not in (Role.MANAGER, Role.ADMIN):
        raise NotFound("cm-error-manager")
    rule, _ = await CommissionRule.get_or_create(staff_id=staff_id)
    rule.paid_bp, rule.margin_bp, rule.set_by_id = bp(paid), bp(margin), admin.id
    await rule.save()
    await audit(
        admin,
        "commission-rule",
        subject=f"staff:{staff_id}",
        details={"paid_percent": paid, "margin_percent": margin},
    )
    return rule


async def set_net_price(staff: Staff, order: Order, net: int | None) -> Order:
    if net is not None and (net < 0 or net > order.price):
        raise InvalidInput("cm-error-net")
    before = order.net_price
    order.net_price = net
    await order.save(update_fields=["net_price", "updated_at"])
    await audit(
        staff,
        "order-net-price",
        subject=f"order:{order.number}",
        details={"from": before, "to": net, "currency": order.currency},
    )
    return order


# ---- months and reports ---------------------------------------------------------------------


def parse_month(text: str) -> date:
    try:
        year, month = (int(p) for p in text.strip().split("-"))
        return date(year, month, 1)
    except ValueError:
        raise InvalidInput("cm-error-month") from None


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_of(services: Services, moment: datetime) -> date:
    return moment.astimezone(services.rules.agency.tz).date().replace(day=1)


def bounds(services: Services, month: date) -> tuple[datetime, datetime]:
    tz = services.rules.agency.tz
    return local_at(month, time(0, 0), tz), local_at(next_month(month), time(0, 0), tz)


@dataclass(frozen=True, slots=True)
class Line:
    staff_id: int
    name: str
    currency: str
    accrued: int
    reversed: int
    payments: int

    @property
    def net(self) -> int:
        return self.accrued + self.reversed


async def report(services: Services, month: date, staff_id: int | None = None) -> list[Line]:
    """Per manager and currency: accrued, reversed, net, number of payments, in ``month``."""
    start, end = bounds(services, month)
    query = CommissionEntry.filter(created_at__gte=start, created_at__lt=end)
    if staff_id is not None:
        query = query.filter(staff_id=staff_id)
    sums: dict[tuple[int, str], list[int]] = {}
    for entry in await query.order_by("id"):
        row = sums.setdefault((entry.staff_id, entry.currency), [0, 0, 0])
        if entry.amount > 0:
            row[0] += entry.amount
            row[2] += 1
        else:
            row[1] += entry.amount
    names = {s.id: s.name for s in await Staff.filter(id__in=[k[0] for k in sums])}
    return sorted(
        (
            Line(sid, names.get(sid, str(sid)), cur, a, r, n)
            for (sid, cur), (a, r, n) in sums.items()
        ),
        key=lambda line: (line.name, line.currency),
    )


async def entries(services: Services, month: date, staff_id: int) -> list[CommissionEntry]:
    start, end = bounds(services, month)
    return (
        await CommissionEntry.filter(staff_id=staff_id, created_at__gte=start, created_at__lt=end)
        .order_by("id")
        .prefetch_related("order")
    )


def to_csv(month: date, lines: list[Line]) -> str:
    """As the reports' CSV files (core/reports/export.py): ``;`` between fields, which Excel
    in Ukrainian and Russian locales splits into columns (write it with a BOM: utf-8-sig)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["month", "staff_id", "manager", "currency", "accrued", "reversed", "net",
                     "payments"])  # fmt: skip
    for line in lines:
        writer.writerow(
            [f"{month:%Y-%m}", line.staff_id, line.name, line.currency,
             f"{line.accrued / 100:.2f}", f"{line.reversed / 100:.2f}", f"{line.net / 100:.2f}",
             line.payments]
        )  # fmt: skip
    return out.getvalue()


async def total(staff_id: int, currency: str) -> int:
    rows = (
        await CommissionEntry.filter(staff_id=staff_id, currency=currency)
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return int((rows[0]["total"] if rows else 0) or 0)


async def ensure_report(services: Services, moment: datetime) -> None:
    """The admins' report of ``moment``'s month is planned for the next month's report day
    (once per month, whoever asks first)."""
    rules = services.rules.commissions
    month = month_of(services, moment)
    run_day = next_month(month).replace(day=rules.report_day)
    run_at = local_at(run_day, rules.report_time, services.rules.agency.tz)
    key = f"commissions:report:{month:%Y-%m}"
    if await Job.filter(dedupe_key=key).exists():
        return
    # Usually inside a payment's transaction: a twin planning it first must not abort that
    # transaction (PostgreSQL does on any failed statement), so the insert has a savepoint.
    try:
        async with in_transaction():
            await Job.create(kind=REPORT, run_at=run_at, payload={"month": f"{month:%Y-%m}"},
                             dedupe_key=key)  # fmt: skip
    except IntegrityError:
        pass
