"""``/imports``: upload a client or order file (CSV / XLSX); it is imported in the background
by the job runner (core/import_jobs.py, the same import as ``tourdesk clients import``);
poll ``/imports/{id}`` for progress and the report."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from bots.api.pagination import Page, PageQuery, page_of
from bots.api.routing import Call, RouteTable, Upload
from core import import_jobs
from core.errors import NotFound
from storage.models import ImportJob

routes = RouteTable("imports")

CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUFFIX = {CSV: ".csv", XLSX: ".xlsx"}
LISTED = tuple(f for f in ImportJob._meta.db_fields if f not in ("content",))


class ImportQuery(BaseModel):
    dry_run: bool = Field(False, description="make the same decisions, write nothing")
    filename: str = Field("upload", max_length=128, description="shown in the report")


class ClientImportQuery(ImportQuery):
    update: bool = Field(False, description="fill in empty fields of clients we already have")


class ImportIssue(BaseModel):
    line: int
    field: str
    reason: str = Field(description="a stable key, e.g. import-reason-phone")
    detail: str = Field("", description="the reason in words, as the CLI prints it")
    value: str
    first_line: int | None


class ImportReportOut(BaseModel):
    dry_run: bool
    mapping: dict[str, str] = Field(description="column -> field used")
    rows: int
    new: int
    updated: int
    unchanged: int
    duplicate: int
    invalid: int
    ledger_entries: int
    bonuses: int
    clients_created: int
    issues: list[ImportIssue]
    issues_left_out: int


class ImportOut(BaseModel):
    id: int
    kind: Literal["clients", "orders"]
    filename: str
    status: Literal["queued", "running", "done", "failed"]
    dry_run: bool
    rows_done: int
    report: ImportReportOut | None
    error: str | None = Field(description="why the file was refused as a whole")
    error_code: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ImportSearch(PageQuery):
    status: Literal["queued", "running", "done", "failed"] | None = None


def report_out(call: Call, stored: dict[str, Any]) -> ImportReportOut:
    report = ImportReportOut.model_validate(stored)
    for issue in report.issues:
        issue.detail = call.t(issue.reason, first=issue.first_line or 0)
    return report


def import_out(call: Call, job: ImportJob) -> ImportOut:
    error: dict[str, Any] | None = job.error
    t = call.t
    return ImportOut(
        id=job.id,
        kind=job.kind,
        filename=job.filename,
        status=job.status,
        dry_run=job.dry_run,
        rows_done=job.rows_done,
        report=report_out(call, job.report) if job.report else None,
        error=t(error["key"], **error.get("args", {})) if error else None,
        error_code=error["key"] if error else None,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


async def _submit(
    call: Call, kind: str, upload: Upload, query: ImportQuery, update: bool = False
) -> ImportOut:
    name = query.filename
    suffix = SUFFIX[upload.media_type]
    if not name.lower().endswith(suffix):
        name += suffix
    job = await import_jobs.submit(
        call.services,
        kind=kind,
        filename=name,
        content=upload.content,
        actor=call.actor,
        owner=call.principal.owner,
        dry_run=query.dry_run,
        update=update,
    )
    return import_out(call, job)


@routes.post(
    "/imports/clients",
    scope="imports:write",
    summary="Upload a client file (CSV or XLSX) to import in the background",
    query=ClientImportQuery,
    response=ImportOut,
    status=202,
    upload=(CSV, XLSX),
    upload_limit=import_jobs.MAX_BYTES,
)
async def import_clients(call: Call, upload: Upload, query: ClientImportQuery) -> ImportOut:
    return await _submit(call, "clients", upload, query, update=query.update)


@routes.post(
    "/imports/orders",
    scope="imports:write",
    summary="Upload an order file (CSV or XLSX, SAMO / ERP.travel style) to import",
    query=ImportQuery,
    response=ImportOut,
    status=202,
    upload=(CSV, XLSX),
    upload_limit=import_jobs.MAX_BYTES,
)
async def import_orders(call: Call, upload: Upload, query: ImportQuery) -> ImportOut:
    return await _submit(call, "orders", upload, query)


@routes.get(
    "/imports",
    scope="imports:read",
    summary="Import jobs",
    query=ImportSearch,
    response=Page[ImportOut],
)
async def list_imports(call: Call, query: ImportSearch) -> Page[ImportOut]:
    found = ImportJob.all().only(*LISTED)  # not the files themselves
    if query.status is not None:
        found = found.filter(status=query.status)
    return await page_of(found, query, lambda job: import_out(call, job))


@routes.get(
    "/imports/{import_id}",
    scope="imports:read",
    summary="An import job: its progress, then its report",
    response=ImportOut,
)
async def get_import(call: Call, import_id: int) -> ImportOut:
    job = await ImportJob.get_or_none(id=import_id)
    if job is None:
        raise NotFound("api-import-not-found", id=import_id)
    return import_out(call, job)
