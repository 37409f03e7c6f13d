"""Tour requests made in the period -> those that became an order -> those with money paid.

A request counts as ordered when at least one order that is not cancelled came from it, and
as paid when such an order has received any money (a prepayment or more).
"""

from __future__ import annotations

from typing import Any

from tortoise.expressions import Subquery

from core.reports.base import Chart, Column, Period, Report
from core.rules import Rules
from storage.models import Order, OrderStatus, TourRequest


async def build(period: Period, rules: Rules) -> Report:
    start, end = period.bounds(rules.agency.tz)
    made = TourRequest.filter(created_at__gte=start, created_at__lt=end)
    live = Order.exclude(status=OrderStatus.CANCELLED).filter(tour_request_id__isnull=False)
    requests = await made.count()
    ordered = await made.filter(id__in=Subquery(live.values("tour_request_id"))).count()
    paying = live.filter(paid__gt=0).values("tour_request_id")
    paid = await made.filter(id__in=Subquery(paying)).count()
    table: list[list[Any]] = [
        ["requests", requests, 100.0 if requests else 0.0],
        ["ordered", ordered, _share(ordered, requests)],
        ["paid", paid, _share(paid, requests)],
    ]
    totals = {"requests": requests, "ordered": ordered, "paid": paid}
    chart = Chart(
        "bar",
        ["requests", "ordered", "paid"],
        {"report-series-requests": [float(requests), float(ordered), float(paid)]},
        label_prefix="report-stage-",
    )
    columns = [Column("stage"), Column("requests", "int"), Column("share", "percent")]
    return Report("conversion", period, columns, table, totals, chart)


def _share(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0
