"""The loop every import shares: rows -> parsed rows or issues, twins in the file refused by
their key, batches applied as they fill, progress told after each batch, and one audit line
with the report's summary when something was written."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

from core.audit import audit
from core.imports.report import ImportReport, Issue, Mapper

Progress = Callable[[int], None]

R = TypeVar("R")


async def run_rows(
    rows: Iterable[Mapping[str, Any]],
    report: ImportReport,
    *,
    first_line: int,
    parse: Callable[[int, Mapping[str, Any]], R | Issue],
    key_field: str,
    key_of: Callable[[R], str],
    apply: Callable[[list[R]], Awaitable[None]],
    batch_size: int,
    progress: Progress | None,
) -> None:
    """Parse each row; refuse a row whose ``key_of`` an earlier line of the file had (naming
    that line); hand the good rows to ``apply`` ``batch_size`` at a time."""
    seen: dict[str, int] = {}
    batch: list[R] = []
    done = 0
    for line, raw in enumerate(rows, start=first_line):
        done += 1
        if not raw:
            continue
        report.rows += 1
        parsed = parse(line, raw)
        if isinstance(parsed, Issue):
            report.refuse(parsed)
            continue
        key = key_of(parsed)
        first = seen.setdefault(key, line)
        if first != line:
            issue = Issue(line, key_field, "import-reason-duplicate", key, first)
            report.refuse(issue, duplicate=True)
            continue
        batch.append(parsed)
        if len(batch) >= batch_size:
            await apply(batch)
            batch = []
            if progress:
                progress(done)
    if batch:
        await apply(batch)
    if progress:
        progress(done)


async def finish(
    report: ImportReport, mapper: Mapper, *, dry_run: bool, actor: str, action: str
) -> ImportReport:
    """Settle the report (mapping used, issues in line order); audit a real run's summary."""
    report.mapping = dict(mapper.mapping or {})
    report.issues.sort(key=lambda i: i.line)
    if not dry_run:
        summary = report.as_dict()
        summary.pop("issues")
        await audit(actor, action, details=summary)
    return report


async def import_rows(
    rows: Iterable[Mapping[str, Any]],
    mapper: Mapper,
    *,
    parse: Callable[[int, Mapping[str, Any]], R | Issue],
    key_field: str,
    key_of: Callable[[R], str],
    apply: Callable[[list[R], ImportReport], Awaitable[None]],
    batch_size: int,
    dry_run: bool,
    first_line: int,
    progress: Progress | None,
    actor: str,
    action: str,
) -> ImportReport:
    """One whole import: a new report; each row's cells read as fields by ``mapper`` and handed
    to ``parse``; the rows run through :func:`run_rows`, each batch applied with the report; then
    :func:`finish`."""
    report = ImportReport(dry_run=dry_run)

    def parse_cells(line: int, raw: Mapping[str, Any]) -> R | Issue:
        return parse(line, mapper.fields(dict(raw)))

    async def apply_batch(batch: list[R]) -> None:
        await apply(batch, report)

    await run_rows(
        rows,
        report,
        first_line=first_line,
        parse=parse_cells,
        key_field=key_field,
        key_of=key_of,
        apply=apply_batch,
        batch_size=batch_size,
        progress=progress,
    )
    return await finish(report, mapper, dry_run=dry_run, actor=actor, action=action)
