"""A report as a CSV or XLSX file: one header row of column keys, money in major units."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.money import minor_digits
from core.reports.base import Report


def cells(report: Report) -> list[list[Any]]:
    """The rows with money as :class:`~decimal.Decimal` of the row's currency."""
    keys = [c.key for c in report.columns]
    currency_at = keys.index("currency") if "currency" in keys else None
    out: list[list[Any]] = []
    for row in report.rows:
        code = row[currency_at] if currency_at is not None else "UAH"
        out.append(
            [
                Decimal(value).scaleb(-minor_digits(code)) if col.kind == "money" else value
                for col, value in zip(report.columns, row, strict=True)
            ]
        )
    return out


def to_csv(report: Report, path: Path) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:  # BOM: Excel reads UTF-8
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([c.key for c in report.columns])
        for row in cells(report):
            writer.writerow([_text(v) for v in row])


def to_xlsx(report: Report, path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(report.name)
    sheet.append([c.key for c in report.columns])
    for row in cells(report):
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    book.save(path)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
