"""Payment links for orders created in the period, by what became of them.

"Sent" is every link created; the others are its outcome today (paid, pending, expired,
cancelled, failed, refunded). Amounts are what the links asked for.
"""

from __future__ import annotations

from typing import Any

from tortoise.functions import Count, Sum

from core.reports.base import Chart, Column, Period, Report
from core.rules import Rules
from storage.models import IntentPurpose, IntentStatus, PaymentIntent

ORDER = [s.value for s in IntentStatus]
SHOWN = ("paid", "pending", "expired", "cancelled")


async def build(period: Period, rules: Rules) -> Report:
    start, end = period.bounds(rules.agency.tz)
    rows = (
        await PaymentIntent.filter(
            purpose=IntentPurpose.ORDER, created_at__gte=start, created_at__lt=end
        )
        .annotate(links=Count("id"), amount=Sum("amount"))
        .group_by("status", "currency")
        .values("status", "currency", "links", "amount")
    )
    table: list[list[Any]] = sorted(
        (
            [str(r["status"]), str(r["currency"]), int(r["links"]), int(r["amount"] or 0)]
            for r in rows
        ),
        key=lambda r: (ORDER.index(r[0]), r[1]),
    )
    counts = {s: sum(r[2] for r in table if r[0] == s) for s in ORDER}
    totals = {"sent": sum(counts.values()), **counts}
    chart = Chart(
        "bar",
        list(SHOWN),
        {"report-series-links": [float(counts[s]) for s in SHOWN]},
        label_prefix="report-status-",
    )
    columns = [
        Column("status"),
        Column("currency"),
        Column("links", "int"),
        Column("amount", "money"),
    ]
    return Report("prepayments", period, columns, table, totals, chart)
