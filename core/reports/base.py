"""The period a report covers and what a report is."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.errors import InvalidInput

PRESETS = ("this_month", "last_month", "last_30_days")


@dataclass(frozen=True, slots=True)
class Period:
    """Days ``start`` .. ``end`` inclusive, in the agency's time zone."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInput("report-bad-period")
        if (self.end - self.start).days > 366 * 3:
            raise InvalidInput("report-period-too-long")

    @classmethod
    def preset(cls, name: str, today: date) -> Period:
        """``this_month`` (1st .. today), ``last_month``, ``last_30_days`` (today included)."""
        if name == "this_month":
            return cls(today.replace(day=1), today)
        if name == "last_month":
            end = today.replace(day=1) - timedelta(days=1)
            return cls(end.replace(day=1), end)
        if name == "last_30_days":
            return cls(today - timedelta(days=29), today)
        raise InvalidInput("report-bad-period")

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The UTC instants ``[from, to)`` of the period's local days."""
        start = datetime.combine(self.start, time(), tz).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time(), tz).astimezone(UTC)
        return start, end

    def days(self) -> list[date]:
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days + 1)]


@dataclass(frozen=True, slots=True)
class Column:
    """``kind``: text | int | money (minor units; the row's ``currency`` column says which) |
    date | percent."""

    key: str
    kind: str = "text"


@dataclass(slots=True)
class Chart:
    """What to draw: ``kind`` bar | barh | line; one series per legend entry.

    Series names are translation keys; labels are shown as they are, or translated when
    ``label_prefix`` is set (``report-status-`` + label).
    """

    kind: str
    labels: list[str]
    series: dict[str, list[float]]
    label_prefix: str = ""
    stacked: bool = False
    args: dict[str, str] = field(default_factory=dict)  # for the series names


@dataclass(slots=True)
class Report:
    """One report for one period. ``totals`` are the headline figures (keys like columns)."""

    name: str
    period: Period
    columns: list[Column]
    rows: list[list[Any]]
    totals: dict[str, Any] = field(default_factory=dict)
    chart: Chart | None = None

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip((c.key for c in self.columns), row, strict=True)) for row in self.rows]
