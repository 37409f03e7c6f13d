"""Set-based statements for applying a group of payment callbacks in one transaction
(PostgreSQL only; see :mod:`core.payments.group`).

Each function is ONE round trip however many callbacks the group holds. Locks are taken in
the project's order (payment intents, then clients, then orders), each table in id order, so
two groups in two processes wait for each other instead of deadlocking.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient


def is_postgres() -> bool:
    return connections.get("default").capabilities.dialect == "postgres"


@dataclass(frozen=True, slots=True)
class EventRow:
    provider: str
    body: str
    body_size: int
    body_sha256: str
    status: str
    received_at: datetime


async def store_events(rows: Sequence[EventRow]) -> list[int]:
    """Store verified callback bodies (outcome ``received``), in their order; their ids."""
    conn = connections.get("default")
    got = await conn.execute_query_dict(
        "INSERT INTO provider_events (provider, body, body_size, body_sha256, signature_valid,"
        " status, outcome, received_at, attempts)"
        " SELECT p, b, s, h, TRUE, st, 'received', r, 0"
        " FROM unnest($1::varchar[], $2::text[], $3::int[], $4::varchar[], $5::varchar[],"
        " $6::timestamptz[]) WITH ORDINALITY AS t(p, b, s, h, st, r, n)"
        " ORDER BY n RETURNING id",
        [
            [r.provider for r in rows],
            [r.body for r in rows],
            [r.body_size for r in rows],
            [r.body_sha256 for r in rows],
            [r.status for r in rows],
            [r.received_at for r in rows],
        ],
    )
    return [int(r["id"]) for r in got]


async def lock_intents(conn: BaseDBAsyncClient, references: Sequence[str]) -> list[dict[str, Any]]:
    return await conn.execute_query_dict(
        "SELECT id, reference, provider, status, purpose, amount, currency, client_id, order_id"
        " FROM payment_intents WHERE reference = ANY($1::varchar[]) ORDER BY id FOR UPDATE",
        [list(references)],
    )


async def taken(
    conn: BaseDBAsyncClient, dedupe_keys: Sequence[str], references: Sequence[str]
) -> tuple[set[str], set[str]]:
    """Which event keys are applied already, and which ledger references are used."""
    rows = await conn.execute_query_dict(
        "SELECT 'e' AS t, dedupe_key AS k FROM provider_events"
        " WHERE dedupe_key = ANY($1::varchar[])"
        " UNION ALL SELECT 'l', reference FROM ledger_entries WHERE reference = ANY($2::varchar[])",
        [list(dedupe_keys), list(references)],
    )
    return {r["k"] for r in rows if r["t"] == "e"}, {r["k"] for r in rows if r["t"] == "l"}


async def reserved_points(conn: BaseDBAsyncClient, intent_ids: Sequence[int]) -> set[int]:
    """Intents with points reserved against them (those pay through the one-by-one path)."""
    rows = await conn.execute_query_dict(
        "SELECT intent_id FROM points_entries WHERE reference = ANY($1::varchar[])",
        [[f"spend:intent:{i}" for i in intent_ids]],
    )
    return {int(r["intent_id"]) for r in rows if r["intent_id"] is not None}


async def lock_clients(conn: BaseDBAsyncClient, client_ids: Sequence[int]) -> None:
    await conn.execute_query_dict(
        "SELECT id FROM clients WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE",
        [sorted(set(client_ids))],
    )


async def lock_orders(conn: BaseDBAsyncClient, order_ids: Sequence[int]) -> list[dict[str, Any]]:
    return await conn.execute_query_dict(
        "SELECT id, client_id, status, price, paid, currency, prepayment_percent"
        " FROM orders WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE",
        [sorted(set(order_ids))],
    )


async def balances(
    conn: BaseDBAsyncClient, client_ids: Sequence[int]
) -> dict[tuple[int, str], int]:
    rows = await conn.execute_query_dict(
        "SELECT client_id, currency, SUM(amount) AS total FROM ledger_entries"
        " WHERE client_id = ANY($1::int[]) GROUP BY client_id, currency",
        [sorted(set(client_ids))],
    )
    return {(int(r["client_id"]), str(r["currency"])): int(r["total"] or 0) for r in rows}


@dataclass(frozen=True, slots=True)
class EntryRow:
    client_id: int
    amount: int
    currency: str
    kind: str
    reference: str
    reason: str
    order_id: int | None
    intent_id: int | None


async def add_entries(conn: BaseDBAsyncClient, rows: Sequence[EntryRow], now: datetime) -> int:
    """Append ledger entries; a reference used already fails the whole statement (rolled back
    with the group, which then goes one by one)."""
    count, _ = await conn.execute_query(
        "INSERT INTO ledger_entries (client_id, amount, currency, kind, reference, reason,"
        " order_id, intent_id, created_at)"
        " SELECT c, a, cu, k, r, re, o, i, $9 FROM unnest($1::int[], $2::bigint[],"
        " $3::varchar[], $4::varchar[], $5::varchar[], $6::text[], $7::int[], $8::int[])"
        " AS t(c, a, cu, k, r, re, o, i)",
        [
            [r.client_id for r in rows],
            [r.amount for r in rows],
            [r.currency for r in rows],
            [r.kind for r in rows],
            [r.reference for r in rows],
            [r.reason for r in rows],
            [r.order_id for r in rows],
            [r.intent_id for r in rows],
            now,
        ],
    )
    return count


async def set_orders_paid(
    conn: BaseDBAsyncClient, rows: Sequence[tuple[int, int, str]], now: datetime
) -> None:
    """(order id, paid, status) for each order."""
    await conn.execute_query(
        "UPDATE orders SET paid = t.p, status = t.s, updated_at = $4"
        " FROM unnest($1::int[], $2::bigint[], $3::varchar[]) AS t(i, p, s) WHERE orders.id = t.i",
        [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], now],
    )


async def set_intents_paid(
    conn: BaseDBAsyncClient, rows: Sequence[tuple[int, str]], status: str, now: datetime
) -> None:
    """(intent id, provider payment id) for each intent paid now."""
    await conn.execute_query(
        "UPDATE payment_intents SET status = $3, paid_at = $4, updated_at = $4,"
        " provider_payment_id = t.p FROM unnest($1::int[], $2::varchar[]) AS t(i, p)"
        " WHERE payment_intents.id = t.i",
        [[r[0] for r in rows], [r[1] for r in rows], status, now],
    )


async def cancel_jobs(
    conn: BaseDBAsyncClient, dedupe_keys: Sequence[str], pending: str, cancelled: str
) -> None:
    await conn.execute_query(
        "UPDATE jobs SET status = $3 WHERE dedupe_key = ANY($1::varchar[]) AND status = $2",
        [list(dedupe_keys), pending, cancelled],
    )


async def orders_with_open_siblings(
    conn: BaseDBAsyncClient, order_ids: Sequence[int], paid_ids: Sequence[int], pending: str
) -> set[int]:
    rows = await conn.execute_query_dict(
        "SELECT DISTINCT order_id FROM payment_intents WHERE order_id = ANY($1::int[])"
        " AND status = $3 AND NOT id = ANY($2::int[])",
        [list(order_ids), list(paid_ids), pending],
    )
    return {int(r["order_id"]) for r in rows}


async def add_jobs(
    conn: BaseDBAsyncClient,
    kind: str,
    rows: Sequence[tuple[str, dict[str, Any]]],
    run_at: datetime,
    pending: str,
) -> None:
    """(dedupe key, payload) for each job; a key planned already is skipped."""
    await conn.execute_query(
        "INSERT INTO jobs (kind, payload, run_at, status, dedupe_key, attempts, created_at)"
        " SELECT $1, p::jsonb, $4, $5, k, 0, $4 FROM unnest($2::varchar[], $3::text[])"
        " AS t(k, p) ON CONFLICT (dedupe_key) DO NOTHING",
        [kind, [r[0] for r in rows], [json.dumps(r[1]) for r in rows], run_at, pending],
    )


async def note_events(
    conn: BaseDBAsyncClient, rows: Sequence[tuple[int, str | None, int | None, str]]
) -> None:
    """(event id, dedupe key or None, intent id, outcome) for each event. A dedupe key taken
    meanwhile fails the statement: the group rolls back and goes one by one."""
    await conn.execute_query(
        "UPDATE provider_events SET dedupe_key = t.k, intent_id = t.i, outcome = t.o"
        " FROM unnest($1::int[], $2::varchar[], $3::int[], $4::varchar[]) AS t(e, k, i, o)"
        " WHERE provider_events.id = t.e",
        [[r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows]],
    )
