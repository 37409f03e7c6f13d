"""Mailings created in the period and what became of each message (per outcome)."""

from __future__ import annotations

from collections import defaultdict

from tortoise.functions import Count

from core.reports.base import Chart, Column, Period, Report
from core.rules import Rules
from storage.models import Mailing, MailingRecipient, RecipientOutcome

OUTCOMES = [o.value for o in RecipientOutcome]
CHARTED = ("sent", "delivered", "seen", "failed", "blocked", "unsubscribed")


async def build(period: Period, rules: Rules) -> Report:
    start, end = period.bounds(rules.agency.tz)
    mailings = (
        await Mailing.filter(created_at__gte=start, created_at__lt=end)
        .order_by("id")
        .values("id", "status", "created_at")
    )
    ids = [int(m["id"]) for m in mailings]
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if ids:
        rows = (
            await MailingRecipient.filter(mailing_id__in=ids)
            .annotate(n=Count("id"))
            .group_by("mailing_id", "outcome")
            .values("mailing_id", "outcome", "n")
        )
        for r in rows:
            counts[int(r["mailing_id"])][str(r["outcome"])] = int(r["n"])
    tz = rules.agency.tz
    table = [
        [
            int(m["id"]),
            m["created_at"].astimezone(tz).date(),
            str(m["status"]),
            sum(counts[int(m["id"])].values()),
            *(counts[int(m["id"])].get(o, 0) for o in OUTCOMES),
        ]
        for m in mailings
    ]
    totals: dict[str, object] = {"mailings": len(table), "recipients": sum(r[3] for r in table)}
    for i, outcome in enumerate(OUTCOMES):
        totals[outcome] = sum(r[4 + i] for r in table)
    chart = Chart(
        "bar",
        [f"#{r[0]}" for r in table],
        {f"mchat-outcome-{o}": [float(r[4 + OUTCOMES.index(o)]) for r in table] for o in CHARTED},
        stacked=True,
    )
    columns = [
        Column("mailing", "int"),
        Column("date", "date"),
        Column("status"),
        Column("recipients", "int"),
        *(Column(o, "int") for o in OUTCOMES),
    ]
    return Report("mailings", period, columns, table, totals, chart)
