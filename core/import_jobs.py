"""Imports as background jobs: a file uploaded through the REST API is kept in the database
and imported by the job runner, through the same functions as ``tourdesk clients import``
(core/imports). Any process may run it; a run after a crash imports the file again, which
changes nothing already imported (imports are idempotent: dedupe by phone / order number,
unique ledger references). The caller polls the job for progress and the report.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

from tortoise.transactions import in_transaction

from core.errors import DomainError, InvalidInput
from core.imports.clients import import_clients
from core.imports.orders import import_orders
from core.imports.sources import open_sheet
from core.services import Services
from storage.models import ImportJob

JOB = "api.import"
KINDS = ("clients", "orders")
SUFFIXES = (".csv", ".xlsx")
MAX_BYTES = 20 * 1024 * 1024  # ~200,000 rows of a usual client export
NAME_MAX = 128


async def submit(
    services: Services,
    *,
    kind: str,
    filename: str,
    content: bytes,
    actor: str,
    owner: str,
    dry_run: bool = False,
    update: bool = False,
) -> ImportJob:
    """Keep the file and plan its import now; :class:`InvalidInput` for a file we cannot take."""
    if kind not in KINDS:
        raise InvalidInput("import-bad-format", name=filename)
    name = Path(filename or "upload").name[:NAME_MAX] or "upload"
    if Path(name).suffix.lower() not in SUFFIXES:
        raise InvalidInput("import-bad-format", name=name)
    if not content:
        raise InvalidInput("import-empty-file")
    now = services.clock.now()
    async with in_transaction():
        job = await ImportJob.create(
            owner=owner,
            actor=actor,
            kind=kind,
            filename=name,
            content=content,
            dry_run=dry_run,
            update=update and kind == "clients",
            created_at=now,
        )
        await services.jobs.schedule(JOB, now, {"import": job.id}, dedupe_key=f"import:{job.id}")
    return job


async def run(services: Services, job_id: int) -> None:
    """One run of the job (several runs of one job import the same file the same way)."""
    job = await ImportJob.get_or_none(id=job_id)
    if job is None or job.status in ("done", "failed"):
        return
    await ImportJob.filter(id=job_id).update(status="running", started_at=services.clock.now())
    with tempfile.TemporaryDirectory(prefix="tourdesk-import-") as folder:
        path = Path(folder) / job.filename
        path.write_bytes(bytes(job.content))
        try:
            report = await _import(job, path, services)
        except DomainError as exc:
            await ImportJob.filter(id=job_id).update(
                status="failed",
                error={"key": exc.key, "args": {k: str(v) for k, v in exc.args_.items()}},
                finished_at=services.clock.now(),
            )
            return
    await ImportJob.filter(id=job_id).update(
        status="done", report=report, rows_done=report["rows"], finished_at=services.clock.now()
    )


async def _import(job: ImportJob, path: Path, services: Services) -> dict[str, Any]:
    sheet = open_sheet(path)
    updates: list[asyncio.Task[int]] = []

    def progress(done: int) -> None:
        """Called after each batch: the row count is written without holding the import up."""
        updates.append(asyncio.ensure_future(ImportJob.filter(id=job.id).update(rows_done=done)))

    try:
        common: dict[str, Any] = {
            "dry_run": job.dry_run,
            "headers": list(sheet.headers),
            "first_line": sheet.first_line,
            "progress": progress,
            "actor": job.actor,
        }
        if job.kind == "orders":
            report = await import_orders(services, sheet.rows, **common)
        else:
            report = await import_clients(services, sheet.rows, update=job.update, **common)
    finally:
        sheet.rows.close()
        await asyncio.gather(*updates, return_exceptions=True)
    return report.as_dict()


def register(services: Services) -> None:
    """Composition root: the job handler of ``api.import``."""

    @services.jobs.handler(JOB)
    async def _run(job: Any) -> None:
        await run(services, int(job.payload.get("import", 0)))
