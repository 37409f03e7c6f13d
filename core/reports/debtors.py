"""Who owes money: open orders (booked or confirmed) with something left to pay, per client.

Counted are the orders whose payment falls due by the end of the period (or has no due date);
``overdue`` is the part whose due date passed before the period's last day. Sorted by the
amount owed, the largest first.
"""

from __future__ import annotations

from tortoise.expressions import F, Q
from tortoise.functions import Count, Min, Sum

from core.reports.base import Chart, Column, Period, Report
from core.rules import Rules
from storage.models import Client, Order, OrderStatus

OPEN = (OrderStatus.BOOKED, OrderStatus.CONFIRMED)
CHART_TOP = 10


async def build(period: Period, rules: Rules) -> Report:
    owing = Order.filter(status__in=OPEN, price__gt=F("paid")).filter(
        Q(due_date__lte=period.end) | Q(due_date__isnull=True)
    )
    groups = (
        await owing.annotate(
            orders=Count("id"), owed=Sum(F("price") - F("paid")), due=Min("due_date")
        )
        .group_by("client_id", "currency")
        .values("client_id", "currency", "orders", "owed", "due")
    )
    overdue = (
        await owing.filter(due_date__lt=period.end)
        .annotate(late=Sum(F("price") - F("paid")))
        .group_by("client_id", "currency")
        .values("client_id", "currency", "late")
    )
    late = {(r["client_id"], r["currency"]): int(r["late"] or 0) for r in overdue}
    ids = sorted({int(g["client_id"]) for g in groups})
    names = {
        c.id: c
        for c in await Client.filter(id__in=ids).only("id", "first_name", "last_name", "phone")
    }
    table = [
        [
            names[int(g["client_id"])].display_name if int(g["client_id"]) in names else "",
            names[int(g["client_id"])].phone if int(g["client_id"]) in names else "",
            str(g["currency"]),
            int(g["orders"]),
            int(g["owed"] or 0),
            late.get((g["client_id"], g["currency"]), 0),
            g["due"],
        ]
        for g in groups
    ]
    table.sort(key=lambda r: (-r[4], r[0]))
    totals: dict[str, object] = {
        "debtors": len({r[1] for r in table}),
        "orders": sum(r[3] for r in table),
    }
    for cur in sorted({r[2] for r in table}):
        totals[f"owed_{cur}"] = sum(r[4] for r in table if r[2] == cur)
        totals[f"overdue_{cur}"] = sum(r[5] for r in table if r[2] == cur)
    top = [r for r in table if r[2] == rules.agency.currency][:CHART_TOP]
    chart = Chart(
        "barh",
        [r[0] or "—" for r in reversed(top)],
        {"report-series-owed": [r[4] / 100 for r in reversed(top)]},
        args={"currency": rules.agency.currency},
    )
    columns = [
        Column("client"),
        Column("phone"),
        Column("currency"),
        Column("orders", "int"),
        Column("owed", "money"),
        Column("overdue", "money"),
        Column("first_due", "date"),
    ]
    return Report("debtors", period, columns, table, totals, chart)
