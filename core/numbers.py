"""Human numbers for requests and orders (``R-0001``): gap-free and race-safe.

The counter row is incremented with one ``UPDATE … SET value = value + 1 … RETURNING value``:
PostgreSQL locks the row until the surrounding transaction ends, SQLite has a single writer,
so two callers never get the same value. Call it inside the transaction that creates the
numbered row: if that transaction rolls back, so does the increment, and no number is lost.
"""

from __future__ import annotations

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

REQUEST = ("request", "R")

_BUMP = "UPDATE counters SET value = value + 1 WHERE name = {p} RETURNING value"
_SEED = "INSERT INTO counters (name, value) VALUES ({p}, 0) ON CONFLICT (name) DO NOTHING"


def _param(conn: BaseDBAsyncClient) -> str:
    return "$1" if conn.capabilities.dialect == "postgres" else "?"


async def next_value(name: str, connection: BaseDBAsyncClient | None = None) -> int:
    """The next value of counter ``name`` (1, 2, 3, …), creating the counter on first use."""
    conn = connection or connections.get("default")
    p = _param(conn)
    for _ in range(2):
        # execute_query_dict: some backends return no rows for an UPDATE through execute_query
        rows = await conn.execute_query_dict(_BUMP.format(p=p), [name])
        if rows:
            return int(rows[0]["value"])
        await conn.execute_query(_SEED.format(p=p), [name])
    raise RuntimeError(f"counter {name!r} could not be created")


def format_number(prefix: str, value: int, width: int = 4) -> str:
    return f"{prefix}-{value:0{width}d}"


async def next_number(
    counter: str, prefix: str, connection: BaseDBAsyncClient | None = None
) -> str:
    """``"R-0001"``, ``"R-0002"``, … for ``counter``."""
    return format_number(prefix, await next_value(counter, connection))
