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


class _Params:
    """The ``$n`` parameters of one statement, numbered in the order they are added."""

    def __init__(self) -> None:
        self.values: list[Any] = []

    def __call__(self, value: Any, cast: str) -> str:
        self.values.append(value)
        return f"${len(self.values)}::{cast}"

    def unnest(self, columns: Sequence[tuple[str, str, list[Any]]]) -> str:
        """``unnest(...) WITH ORDINALITY AS t(<names>, n)`` over (name, type, values) columns
        (a type ``a->b``: sent as ``a``, read as ``b``, e.g. ``text->jsonb``)."""
        arrays = ", ".join(self(values, f"{kind.split('->')[0]}[]") for _, kind, values in columns)
        names = ", ".join(name for name, _, _ in columns)
        return f"unnest({arrays}) WITH ORDINALITY AS t({names}, n)"


def insert_rows(
    q: _Params,
    table: str,
    columns: Sequence[tuple[str, str, list[Any]]],
    constants: Sequence[tuple[str, str]] = (),
    tail: str = "",
) -> str:
    """``INSERT INTO table`` of one row per element of the ``columns``' value lists, in their
    order: (column, SQL type, values) each; ``constants`` are (column, SQL expression) the
    same for every row. One statement however many rows (the lists go as array parameters)."""
    names = [name for name, _, _ in columns] + [name for name, _ in constants]
    values = [
        f"t.{name}::{kind.split('->')[1]}" if "->" in kind else f"t.{name}"
        for name, kind, _ in columns
    ] + [expr for _, expr in constants]
    return (
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(values)}"
        f" FROM {q.unnest(columns)} ORDER BY n{tail}"
    )


async def store_events(rows: Sequence[EventRow]) -> list[int]:
    """Store verified callback bodies (outcome ``received``), in their order; their ids."""
    q = _Params()
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


async def orders_with_open_siblings(
    conn: BaseDBAsyncClient, order_ids: Sequence[int], paid_ids: Sequence[int], pending: str
) -> set[int]:
    rows = await conn.execute_query_dict(
        "SELECT DISTINCT order_id FROM payment_intents WHERE order_id = ANY($1::int[])"
        " AND status = $3 AND NOT id = ANY($2::int[])",
        [list(order_ids), list(paid_ids), pending],
    )
    return {int(r["order_id"]) for r in rows}


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
    q = _Params()
    at = q(now, "timestamptz")
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
            [("created_at", at)],
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
            f" updated_at = {at} FROM {orders} WHERE orders.id = t.id RETURNING 1)"
        )
    if w.intents:
        intents = q.unnest([
            ("id", "int", [r[0] for r in w.intents]),
            ("payment", "varchar", [r[1] for r in w.intents]),
        ])  # fmt: skip
        parts.append(
            f"intents_paid AS (UPDATE payment_intents SET status = {q(w.intent_status, 'varchar')},"
            f" paid_at = {at}, updated_at = {at}, provider_payment_id = t.payment FROM {intents}"
            " WHERE payment_intents.id = t.id RETURNING 1)"
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
                ("run_at", at),
                ("status", q(pending, "varchar")),
                ("attempts", "0"),
                ("created_at", at),
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
