"""The reports by name: one table for the chat menu, the CLI and the API."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.errors import InvalidInput
from core.reports import conversion, debtors, mailings, payments, prepayments
from core.reports.base import Period, Report
from core.rules import Rules

Builder = Callable[[Period, Rules], Awaitable[Report]]

REPORTS: dict[str, Builder] = {
    "prepayments": prepayments.build,
    "payments": payments.build,
    "debtors": debtors.build,
    "conversion": conversion.build,
    "mailings": mailings.build,
}


async def build(name: str, period: Period, rules: Rules) -> Report:
    """The report ``name`` for ``period``; :class:`InvalidInput` for a name we do not have."""
    builder = REPORTS.get(name)
    if builder is None:
        raise InvalidInput("report-unknown", name=name, names=", ".join(REPORTS))
    return await builder(period, rules)
