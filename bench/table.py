"""One row of the ``make bench`` table, and how the table is printed.

Every bench script exposes ``async def rows(...) -> list[Row]`` with small defaults; a row
pairs a figure with a baseline measured in the same run (absolute figures on a shared machine
are noise, the ratio is what compares), so :func:`render` can print them all as one table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Row:
    measure: str
    value: float
    unit: str
    baseline: float | None = None  # the same quantity for the baseline, in the same run
    baseline_name: str = ""
    note: str = ""  # a target, or a count that must be 0

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}" if abs(value) >= 100 or value == int(value) else f"{value:,.2f}"
    return f"{text} {unit}".strip()


def render(rows: list[Row]) -> str:
    """A Markdown table (readable in a terminal, pasteable into the README)."""
    lines = [
        "| measure | value | baseline (same run) | ratio | note |",
        "| --- | ---: | --- | ---: | --- |",
    ]
    for row in rows:
        base = "—"
        if row.baseline is not None:
            base = f"{_num(row.baseline, row.unit)} {row.baseline_name}".strip()
        ratio = "—" if row.ratio is None else f"{row.ratio:.2f}"
        value = _num(row.value, row.unit)
        lines.append(f"| {row.measure} | {value} | {base} | {ratio} | {row.note} |")
    return "\n".join(lines)
