"""A report's figures as a chat message in the reader's language (texts in reports.ftl)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from core.i18n import T
from core.reports.base import Report

LINES = 15  # rows listed in a chat message; the CLI exports all


def title(report: Report, t: T) -> str:
    return t(
        "report-title",
        report=t(f"report-name-{report.name}"),
        start=t.date(report.period.start),
        end=t.date(report.period.end),
    )


def caption(report: Report, t: T) -> str:
    return t(
        "report-chart-caption",
        report=t(f"report-name-{report.name}"),
        start=t.date(report.period.start),
        end=t.date(report.period.end),
    )


def figures(report: Report, t: T) -> str:
    """The title and the figures; "nothing in this period" when there are none."""
    body = _BODIES[report.name](report, t)
    return "\n".join([title(report, t), *(body or [t("report-empty")])])


def _sums(t: T, pairs: list[tuple[str, int]]) -> str:
    """``[(UAH, 100), (USD, 5), (UAH, 50)]`` -> "1,50 ₴ + 0,05 $" (one amount per currency)."""
    per: dict[str, int] = defaultdict(int)
    for currency, amount in pairs:
        per[currency] += amount
    return " + ".join(t.money(a, c) for c, a in sorted(per.items())) or "0"


def _prepayments(report: Report, t: T) -> list[str]:
    if not report.rows:
        return []
    lines = [t("report-links-sent", count=report.totals["sent"])]
    statuses: dict[str, list[Any]] = defaultdict(list)
    for status, currency, links, amount in report.rows:
        statuses[status].append((currency, links, amount))
    for status, cells in statuses.items():
        lines.append(
            t(
                "report-links-line",
                status=t(f"report-status-{status}"),
                count=sum(c[1] for c in cells),
                amount=_sums(t, [(c[0], c[2]) for c in cells]),
            )
        )
    return lines


def _payments(report: Report, t: T) -> list[str]:
    if not report.rows:
        return []
    lines = [
        t("report-payments-total", count=report.totals["payments"]),
        t("report-payments-sum", amount=_sums(t, [(r[1], r[3]) for r in report.rows])),
    ]
    days: dict[Any, list[Any]] = defaultdict(list)
    for day, currency, count, amount in report.rows:
        days[day].append((currency, count, amount))
    for day, cells in list(days.items())[-LINES:]:
        lines.append(
            t(
                "report-payments-day",
                day=t.date(day),
                count=sum(c[1] for c in cells),
                amount=_sums(t, [(c[0], c[2]) for c in cells]),
            )
        )
    return lines


def _debtors(report: Report, t: T) -> list[str]:
    if not report.rows:
        return []
    lines = [
        t("report-debtors-total", debtors=report.totals["debtors"], orders=report.totals["orders"]),
        t(
            "report-debtors-sum",
            owed=_sums(t, [(r[2], r[4]) for r in report.rows]),
            overdue=_sums(t, [(r[2], r[5]) for r in report.rows]),
        ),
    ]
    for name, phone, currency, _orders, owed, overdue, due in report.rows[:LINES]:
        who = name or phone
        if due is None:
            lines.append(t("report-debtor-line-undated", name=who, owed=t.money(owed, currency)))
        else:
            lines.append(
                t(
                    "report-debtor-line",
                    name=who,
                    owed=t.money(owed, currency),
                    overdue=t.money(overdue, currency),
                    due=t.date(due),
                )
            )
    if len(report.rows) > LINES:
        lines.append(t("report-more", count=len(report.rows) - LINES))
    return lines


def _conversion(report: Report, t: T) -> list[str]:
    totals = report.totals
    if not totals["requests"]:
        return []
    return [
        t(
            "report-conversion-line",
            requests=totals["requests"],
            ordered=totals["ordered"],
            ordered_share=report.rows[1][2],
            paid=totals["paid"],
            paid_share=report.rows[2][2],
        )
    ]


def _mailings(report: Report, t: T) -> list[str]:
    if not report.rows:
        return []
    keys = [c.key for c in report.columns]
    lines = [
        t(
            "report-mailings-total",
            mailings=report.totals["mailings"],
            recipients=report.totals["recipients"],
        )
    ]
    for row in report.rows[-LINES:]:
        cells = dict(zip(keys, row, strict=True))
        lines.append(
            t(
                "report-mailing-line",
                id=cells["mailing"],
                day=t.date(cells["date"]),
                status=t(f"mchat-status-{cells['status']}"),
                sent=cells["sent"],
                delivered=cells["delivered"],
                seen=cells["seen"],
                failed=cells["failed"],
                blocked=cells["blocked"],
                unsubscribed=cells["unsubscribed"],
            )
        )
    return lines


_BODIES = {
    "prepayments": _prepayments,
    "payments": _payments,
    "debtors": _debtors,
    "conversion": _conversion,
    "mailings": _mailings,
}
