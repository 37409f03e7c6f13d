"""Money received per day: provider payments on the ledger (not balance spending, not imports)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from tortoise.functions import Count, Sum

from core.reports.base import Chart, Column, Period, Report
from core.reports.sql import hour_bucket, local_day
from core.rules import Rules
from storage.models import EntryKind, LedgerEntry


async def build(period: Period, rules: Rules) -> Report:
    tz = rules.agency.tz
    start, end = period.bounds(tz)
    hours = (
        await LedgerEntry.filter(kind=EntryKind.PAYMENT, created_at__gte=start, created_at__lt=end)
        .annotate(hour=hour_bucket("created_at"), payments=Count("id"), amount=Sum("amount"))
        .group_by("hour", "currency")
        .values("hour", "currency", "payments", "amount")
    )
    days: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    for h in hours:
        cell = days[(local_day(str(h["hour"]), tz), str(h["currency"]))]
        cell[0] += int(h["payments"])
        cell[1] += int(h["amount"] or 0)
    table: list[list[Any]] = [
        [day, cur, n, amount] for (day, cur), (n, amount) in sorted(days.items())
    ]
    currency = rules.agency.currency
    per_day = {day: amount for day, cur, _, amount in table if cur == currency}
    totals: dict[str, object] = {"payments": sum(r[2] for r in table)}
    for cur in sorted({r[1] for r in table}):
        totals[f"amount_{cur}"] = sum(r[3] for r in table if r[1] == cur)
    chart = Chart(
        "bar",
        [d.strftime("%d.%m") for d in period.days()],
        {"report-series-amount": [per_day.get(d, 0) / 100 for d in period.days()]},
        args={"currency": currency},
    )
    columns = [
        Column("date", "date"),
        Column("currency"),
        Column("payments", "int"),
        Column("amount", "money"),
    ]
    return Report("payments", period, columns, table, totals, chart)
