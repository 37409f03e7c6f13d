"""``/reports/<name>``: the reports the chat and ``tourdesk reports`` show (core/reports), for a
period, as JSON or as a CSV / XLSX file (``format``). One route per report, from the registry."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from bots.api.routing import Call, FileAnswer, Handler, RouteTable
from core.errors import InvalidField
from core.reports import export, registry
from core.reports.base import PRESETS, Period

routes = RouteTable("reports")

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Preset = Literal["this_month", "last_month", "last_30_days"]
assert set(PRESETS) == {"this_month", "last_month", "last_30_days"}


class ReportQuery(BaseModel):
    period: Preset | None = Field(None, description="default: this_month; or start and end")
    start: date | None = Field(None, description="first day (agency time), with end")
    end: date | None = Field(None, description="last day, included")
    format: Literal["json", "csv", "xlsx"] = "json"


class ColumnOut(BaseModel):
    key: str
    kind: str = Field(description="text, int, money (minor units of the row's currency), ...")


class ReportOut(BaseModel):
    name: str
    start: date
    end: date
    columns: list[ColumnOut]
    rows: list[list[Any]]
    totals: dict[str, Any]


def period_of(call: Call, query: ReportQuery) -> Period:
    if query.start is not None or query.end is not None:
        if query.start is None or query.end is None:
            raise InvalidField("report-bad-period", field="query.start")
        return Period(query.start, query.end)
    agency = call.services.rules.agency
    today = call.services.clock.now().astimezone(agency.tz).date()
    return Period.preset(query.period or "this_month", today)


def _handler(name: str) -> Handler:
    async def handler(call: Call, query: ReportQuery) -> ReportOut | FileAnswer:
        report = await registry.build(name, period_of(call, query), call.services.rules)
        if query.format == "json":
            return ReportOut(
                name=report.name,
                start=report.period.start,
                end=report.period.end,
                columns=[ColumnOut(key=c.key, kind=c.kind) for c in report.columns],
                rows=report.rows,
                totals=report.totals,
            )
        suffix = query.format
        with tempfile.TemporaryDirectory(prefix="tourdesk-report-") as folder:
            path = Path(folder) / f"{name}.{suffix}"
            (export.to_csv if suffix == "csv" else export.to_xlsx)(report, path)
            content = path.read_bytes()
        stem = f"{name}-{report.period.start}-{report.period.end}.{suffix}"
        return FileAnswer(
            content=content, media_type=CSV if suffix == "csv" else XLSX, filename=stem
        )

    handler.__name__ = f"report_{name}"
    return handler


for _name in registry.REPORTS:
    routes.get(
        f"/reports/{_name}",
        scope="reports:read",
        summary=f"The {_name} report for a period (JSON, CSV or XLSX)",
        query=ReportQuery,
        response=ReportOut,
        files=(CSV, XLSX),
    )(_handler(_name))
