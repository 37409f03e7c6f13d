"""Many outbox rows in one statement, without building an ORM object per row.

The reminder hot path queues thousands of messages a second; constructing a tortoise model for
each (field validation, ``__setattr__`` per field) cost more than the database did. Rows go in
as plain tuples, ``ON CONFLICT DO NOTHING``: a dedupe key used before is skipped, exactly as
``bulk_create(..., ignore_conflicts=True)`` did, so a redone batch queues nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise import connections

from storage.arrays import Params, insert_rows
from storage.claims import _Sql

_PER_STATEMENT = 400  # x 16 values: far below both engines' limits on bound parameters
_PER_UNNEST = 2000  # rows per statement on PostgreSQL (as arrays: 12 parameters in all)


@dataclass(frozen=True, slots=True)
class NewRow:
    """One message to queue: where to, what (a serialised Reply) and under which key."""

    channel: str
    external_id: str
    account_id: int | None
    client_id: int | None
    staff_id: int | None
    kind: str
    body: dict[str, Any]
    dedupe_key: str | None
    not_before: datetime
    lane: str = "direct"
    meta: dict[str, Any] = field(default_factory=dict)


_COLUMNS = (
    "channel, external_id, account_id, client_id, staff_id, direction, kind, body, meta, "
    "status, lane, dedupe_key, attempts, not_before, parts_sent, created_at"
)


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


async def _insert_unnest(rows: Sequence[NewRow], created: datetime) -> None:
    """PostgreSQL: one statement with a column array per field (16 parameters whatever the
    number of rows) instead of 16 parameters per row, each one bound and encoded alone."""
    q = Params()
    statement = insert_rows(
        q,
        "outbox",
        [
            ("channel", "varchar", [r.channel for r in rows]),
            ("external_id", "varchar", [r.external_id for r in rows]),
            ("account_id", "int", [r.account_id for r in rows]),
            ("client_id", "int", [r.client_id for r in rows]),
            ("staff_id", "int", [r.staff_id for r in rows]),
            ("kind", "varchar", [r.kind for r in rows]),
            ("body", "text->jsonb", [_dumps(r.body) for r in rows]),
            ("meta", "text->jsonb", [_dumps(r.meta) for r in rows]),
            ("lane", "varchar", [r.lane for r in rows]),
            ("dedupe_key", "varchar", [r.dedupe_key for r in rows]),
            ("not_before", "timestamptz", [r.not_before for r in rows]),
        ],
        [
            ("direction", "'out'"),
            ("status", "'pending'"),
            ("attempts", "0"),
            ("parts_sent", "0"),
            ("created_at", q(created, "timestamptz")),
        ],
        " ON CONFLICT DO NOTHING",
    )
    await connections.get("default").execute_query(statement, q.values)


async def insert_outbox_rows(rows: Sequence[NewRow], now: datetime | None = None) -> None:
    """Queue ``rows`` (pending, attempt 0); rows whose dedupe key exists are skipped."""
    created = now or datetime.now(UTC)
    if rows and connections.get("default").capabilities.dialect == "postgres":
        for start in range(0, len(rows), _PER_UNNEST):
            await _insert_unnest(rows[start : start + _PER_UNNEST], created)
        return
    for start in range(0, len(rows), _PER_STATEMENT):
        q = _Sql()
        values = []
        for r in rows[start : start + _PER_STATEMENT]:
            cells = (
                r.channel,
                r.external_id,
                r.account_id,
                r.client_id,
                r.staff_id,
                "out",
                r.kind,
                _dumps(r.body),
                _dumps(r.meta),
                "pending",
                r.lane,
                r.dedupe_key,
                0,
                r.not_before,
                0,
                created,
            )
            values.append("(" + ", ".join(q.p(c) for c in cells) + ")")
        sql = f"INSERT INTO outbox ({_COLUMNS}) VALUES {', '.join(values)} ON CONFLICT DO NOTHING"
        await q.run(sql)
