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
