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

from storage.arrays import Params, insert_rows


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
    q = Params()
    statement = insert_rows(
        q,
        "provider_events",
        [
            ("provider", "varchar", [r.provider for r in rows]),
            ("body", "text", [r.body for r in rows]),
            ("body_size", "int", [r.body_size for r in rows]),
            ("body_sha256", "varchar", [r.body_sha256 for r in rows]),
            ("status", "varchar", [r.status for r in rows]),
            ("received_at", "timestamptz", [r.received_at for r in rows]),
        ],
        [("signature_valid", "TRUE"), ("outcome", "'received'"), ("attempts", "0")],
        " RETURNING id",
    )
    got = await connections.get("default").execute_query_dict(statement, q.values)
    return [int(r["id"]) for r in got]


async def lock_intents(conn: BaseDBAsyncClient, references: Sequence[str]) -> list[dict[str, Any]]:
    return await conn.execute_query_dict(
        "SELECT id, reference, provider, status, purpose, amount, currency, client_id, order_id"
        " FROM payment_intents WHERE reference = ANY($1::varchar[]) ORDER BY id FOR UPDATE",
        [list(references)],
    )


@dataclass(frozen=True, slots=True)
class Taken:
    """What a group finds already there once its intents are locked."""

    applied: set[str]  # event dedupe keys applied before
    used: set[str]  # ledger references written before
    reserved: set[int]  # intents with points reserved against them


async def taken_and_lock_clients(
    conn: BaseDBAsyncClient,
    dedupe_keys: Sequence[str],
    references: Sequence[str],
    points_intents: Sequence[int],
    client_ids: Sequence[int],
) -> Taken:
    """ONE round trip, run after the intents are locked (so its snapshot sees whatever a twin
    committed before we got them): event keys applied, ledger references used, intents with
    points reserved against them (``points_intents``: those asked about), and the clients
    ``client_ids`` locked in id order (the ``count`` makes the locking CTE run)."""
    rows = await conn.execute_query(
        "WITH c AS (SELECT id FROM clients WHERE id = ANY($4::int[]) ORDER BY id FOR UPDATE)"
        " SELECT 'e' AS t, dedupe_key AS k, NULL::int AS i FROM provider_events"
        " WHERE dedupe_key = ANY($1::varchar[])"
        " UNION ALL SELECT 'l', reference, NULL FROM ledger_entries"
        " WHERE reference = ANY($2::varchar[])"
        " UNION ALL SELECT 'p', NULL, intent_id FROM points_entries"
        " WHERE reference = ANY($3::varchar[])"
        " UNION ALL SELECT 'c', NULL, count(*)::int FROM c",
        [
            list(dedupe_keys),
            list(references),
            [f"spend:intent:{i}" for i in points_intents],
            sorted(set(client_ids)),
        ],
    )
    got = Taken(set(), set(), set())
    for t, k, i in rows[1]:
        if t == "e":
            got.applied.add(k)
        elif t == "l":
            got.used.add(k)
        elif t == "p" and i is not None:
            got.reserved.add(int(i))
    return got


@dataclass(frozen=True, slots=True)
class Locked:
    """The orders a group pays, locked, with what else it must know in the same round trip."""

    orders: dict[int, dict[str, Any]]  # id -> id, client_id, status, price, paid, currency, %
    balances: dict[tuple[int, str], int]  # (client, currency) -> ledger sum
    siblings: set[int]  # orders with another pending link (besides the ones paid now)


async def lock_orders_and_read(
    conn: BaseDBAsyncClient,
    order_ids: Sequence[int],
    client_ids: Sequence[int],
    paying: Sequence[int],
    pending: str,
) -> Locked:
    """ONE round trip, run after the clients are locked (so the balances include every entry
    committed by whoever held them): the orders locked in id order (their latest versions),
    the clients' balances, and which of the orders have open links other than ``paying``."""
    rows = await conn.execute_query(
        "WITH o AS (SELECT id, client_id, status, price, paid, currency, prepayment_percent"
        " FROM orders WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE)"
        " SELECT 'o' AS t, id, client_id, status, price, paid, currency, prepayment_percent FROM o"
        " UNION ALL SELECT 'b', NULL, client_id, NULL, SUM(amount)::bigint, NULL, currency, NULL"
        " FROM ledger_entries WHERE client_id = ANY($2::int[]) GROUP BY client_id, currency"
        " UNION ALL SELECT DISTINCT 's', order_id, NULL::int, NULL, NULL::bigint, NULL::bigint,"
        " NULL, NULL::int FROM payment_intents WHERE order_id = ANY($1::int[])"
        " AND status = $4 AND NOT id = ANY($3::int[])",
        [sorted(set(order_ids)), sorted(set(client_ids)), list(paying), pending],
    )
    got = Locked({}, {}, set())
    for r in rows[1]:
        t = r["t"]
        if t == "o":
            got.orders[int(r["id"])] = dict(r)
        elif t == "b":
            got.balances[(int(r["client_id"]), str(r["currency"]))] = int(r["price"] or 0)
        else:
            got.siblings.add(int(r["id"]))
    return got


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


@dataclass(slots=True)
class GroupWrites:
    """Everything a group's transaction writes once its rows are locked and checked."""

    entries: list[EntryRow]  # appended to the ledger
    orders: list[tuple[int, int, str]]  # (order id, paid, status)
    intents: list[tuple[int, str]]  # (intent id, provider payment id), paid now
    intent_status: str
    cancel_jobs: list[str]  # dedupe keys of pending jobs to cancel (reminders, expiry)
    job_statuses: tuple[str, str]  # (pending, cancelled)
    job_kind: str
    jobs: list[tuple[str, dict[str, Any]]]  # (dedupe key, payload); a key planned is skipped
    notes: list[tuple[int, str | None, int | None, str]]  # (event, dedupe key, intent, outcome)


async def write_group(conn: BaseDBAsyncClient, w: GroupWrites, now: datetime) -> None:
    """All of ``w`` in ONE statement (data-modifying CTEs: each runs once, on rows no other
    part touches). A ledger reference or event dedupe key taken meanwhile fails the whole
    statement: the group rolls back and goes one by one."""
    q = Params()
    stamp: list[str] = []

    def at_() -> str:
        """``now`` as a parameter, added when first used: a statement that only notes
        duplicates has none, and an unused ``$n`` has no type PostgreSQL can infer."""
        if not stamp:
            stamp.append(q(now, "timestamptz"))
        return stamp[0]

    parts: list[str] = []
    if w.entries:
        rows = w.entries
        entries = insert_rows(
            q,
            "ledger_entries",
            [
                ("client_id", "int", [r.client_id for r in rows]),
                ("amount", "bigint", [r.amount for r in rows]),
                ("currency", "varchar", [r.currency for r in rows]),
                ("kind", "varchar", [r.kind for r in rows]),
                ("reference", "varchar", [r.reference for r in rows]),
                ("reason", "text", [r.reason for r in rows]),
                ("order_id", "int", [r.order_id for r in rows]),
                ("intent_id", "int", [r.intent_id for r in rows]),
            ],
            [("created_at", at_())],
        )
        parts.append(f"entries AS ({entries} RETURNING 1)")
    if w.orders:
        orders = q.unnest([
            ("id", "int", [r[0] for r in w.orders]),
            ("paid", "bigint", [r[1] for r in w.orders]),
            ("status", "varchar", [r[2] for r in w.orders]),
        ])  # fmt: skip
        parts.append(
            f"orders_paid AS (UPDATE orders SET paid = t.paid, status = t.status,"
            f" updated_at = {at_()} FROM {orders} WHERE orders.id = t.id RETURNING 1)"
        )
    if w.intents:
        intents = q.unnest([
            ("id", "int", [r[0] for r in w.intents]),
            ("payment", "varchar", [r[1] for r in w.intents]),
        ])  # fmt: skip
        parts.append(
            f"intents_paid AS (UPDATE payment_intents SET status = {q(w.intent_status, 'varchar')},"
            f" paid_at = {at_()}, updated_at = {at_()}, provider_payment_id = t.payment"
            f" FROM {intents} WHERE payment_intents.id = t.id RETURNING 1)"
        )
    pending, cancelled = w.job_statuses
    if w.cancel_jobs:
        parts.append(
            f"jobs_cancelled AS (UPDATE jobs SET status = {q(cancelled, 'varchar')}"
            f" WHERE dedupe_key = ANY({q(list(w.cancel_jobs), 'varchar[]')})"
            f" AND status = {q(pending, 'varchar')} RETURNING 1)"
        )
    if w.jobs:
        jobs = insert_rows(
            q,
            "jobs",
            [
                ("dedupe_key", "varchar", [r[0] for r in w.jobs]),
                ("payload", "text->jsonb", [json.dumps(r[1]) for r in w.jobs]),
            ],
            [
                ("kind", q(w.job_kind, "varchar")),
                ("run_at", at_()),
                ("status", q(pending, "varchar")),
                ("attempts", "0"),
                ("created_at", at_()),
            ],
            " ON CONFLICT (dedupe_key) DO NOTHING",
        )
        parts.append(f"jobs_added AS ({jobs} RETURNING 1)")
    if w.notes:
        notes = q.unnest([
            ("id", "int", [r[0] for r in w.notes]),
            ("k", "varchar", [r[1] for r in w.notes]),
            ("i", "int", [r[2] for r in w.notes]),
            ("o", "varchar", [r[3] for r in w.notes]),
        ])  # fmt: skip
        parts.append(
            "events_noted AS (UPDATE provider_events SET dedupe_key = t.k, intent_id = t.i,"
            f" outcome = t.o FROM {notes} WHERE provider_events.id = t.id RETURNING 1)"
        )
    if parts:
        await conn.execute_query(f"WITH {', '.join(parts)} SELECT 1", q.values)
