"""Who an incoming event is from, in one query: the messenger account with the client and the
active staff member it is linked to.

The lookup runs on every incoming update. Through the ORM it is up to three queries (account,
then client and staff), each paying tortoise's query building, which measured as the largest
share of a webhook update's own CPU (bench/telegram_webhook.py profile). Here it is one
prepared ``LEFT JOIN`` whose row is split into the three models as the ORM would load them
(``_init_from_db`` does the per-dialect conversions), so callers get ordinary model instances.

Lookups made at the same time (a webhook process keeps dozens of updates in flight) share one
statement: those that arrive while one is on its way to the database leave together in the
next, ``external_id = ANY(...)`` (``IN`` on SQLite), each caller getting its own row (the
connection's per-call cost, not the database's work, was most of a lookup). A caller inside
a transaction reads on its own connection, as any query there does.
"""

from __future__ import annotations

import asyncio
import weakref
from functools import cache
from typing import Any

from tortoise import timezone
from tortoise.models import Model

from core.coalesce import Coalescer
from storage.models import Client, MessengerAccount, Staff
from storage.savepoint import in_open_transaction

Found = tuple[MessengerAccount, Client | None, Staff | None]

_PARTS: tuple[tuple[str, type[Model]], ...] = (
    ("a", MessengerAccount),
    ("c", Client),
    ("s", Staff),
)


def _columns(model: type[Model]) -> list[str]:
    """The columns ``_init_from_db`` reads (foreign key ids included)."""
    meta = model._meta
    return [
        key
        for key, _, _ in (*meta.db_native_fields, *meta.db_default_fields, *meta.db_complex_fields)
    ]


@cache
def _sql(dialect: str, many: int = 0) -> str:
    """One account by (channel, external_id); ``many``: that many external ids of a channel
    (PostgreSQL takes them as one array, whatever ``many`` is)."""
    select = ", ".join(
        f'{alias}."{column}" AS "{alias}__{column}"'
        for alias, model in _PARTS
        for column in _columns(model)
    )
    if dialect == "postgres":
        one, two = "$1", ("ANY($2::text[])" if many else "$2")
        where = f"a.channel = {one} AND a.external_id = {two}"
    elif many:
        where = f"a.channel = ? AND a.external_id IN ({', '.join('?' * many)})"
    else:
        where = "a.channel = ? AND a.external_id = ?"
    if many:
        select += ', a."external_id" AS "_key"'
    return (
        f"SELECT {select} FROM {MessengerAccount._meta.db_table} a"
        f" LEFT JOIN {Client._meta.db_table} c ON c.id = a.client_id"
        f" LEFT JOIN {Staff._meta.db_table} s ON s.id = a.staff_id AND s.active"
        f" WHERE {where}"
    )


def _load(model: type[Model], alias: str, row: dict[str, Any]) -> Any:
    prefix = f"{alias}__"
    values = {key[len(prefix) :]: value for key, value in row.items() if key.startswith(prefix)}
    if values["id"] is None:
        return None
    return model._init_from_db(**values)


def _found(row: dict[str, Any]) -> Found:
    return _load(MessengerAccount, "a", row), _load(Client, "c", row), _load(Staff, "s", row)


async def _one(channel: str, external_id: str) -> Found | None:
    db = MessengerAccount._meta.db
    rows = await db.execute_query_dict(_sql(db.capabilities.dialect), [channel, external_id])
    return _found(rows[0]) if rows else None


async def _many(keys: list[tuple[str, str]]) -> list[Found | None]:
    """The lookups of one flush: one statement per channel among them (one, in practice)."""
    db = MessengerAccount._meta.db
    dialect = db.capabilities.dialect
    rows_of: dict[tuple[str, str], dict[str, Any]] = {}
    for channel in dict.fromkeys(channel for channel, _ in keys):
        ids = list(dict.fromkeys(external for c, external in keys if c == channel))
        if dialect == "postgres":
            rows = await db.execute_query_dict(_sql(dialect, 1), [channel, ids])
        else:
            rows = await db.execute_query_dict(_sql(dialect, len(ids)), [channel, *ids])
        for row in rows:
            rows_of[(channel, row.pop("_key"))] = row
    # every caller its own instances (a handler may change and save its account)
    return [_found(rows_of[key]) if key in rows_of else None for key in keys]


@cache
def _insert_sql(dialect: str) -> str:
    names = ["channel", "external_id", "name", "language", "last_inbound_at", "created_at"]
    marks = [f"${n}" for n in range(1, 7)] if dialect == "postgres" else ["?"] * 6
    returned = ", ".join(f'"{column}"' for column in _columns(MessengerAccount))
    return (
        f"INSERT INTO {MessengerAccount._meta.db_table} ({', '.join(names)},"
        ' "subscribed", "blocked")'
        f" VALUES ({', '.join(marks)}, TRUE, FALSE)"
        ' ON CONFLICT ("channel", "external_id") DO NOTHING'
        f" RETURNING {returned}"
    )


async def insert_account(
    channel: str, external_id: str, name: str, language: str | None, now: Any
) -> MessengerAccount | None:
    """A new account (reachable, linked to nobody) as ``MessengerAccount.create`` would write
    it, in one statement without the ORM's cost (a first contact's update); None when the
    account exists already (another process created it a moment ago)."""
    db = MessengerAccount._meta.db
    fields = MessengerAccount._meta.fields_map
    values = [
        channel,
        external_id,
        name,
        language,
        fields["last_inbound_at"].to_db_value(now, MessengerAccount),
        fields["created_at"].to_db_value(timezone.now(), MessengerAccount),
    ]
    rows = await db.execute_query_dict(_insert_sql(db.capabilities.dialect), values)
    return MessengerAccount._init_from_db(**rows[0]) if rows else None


_batches: weakref.WeakKeyDictionary[
    asyncio.AbstractEventLoop, Coalescer[tuple[str, str], Found | None]
] = weakref.WeakKeyDictionary()


async def account_with_links(channel: str, external_id: str) -> Found | None:
    """The account of (channel, external_id) with its client and active staff member, or None
    when there is no such account."""
    if in_open_transaction():
        return await _one(channel, external_id)
    loop = asyncio.get_running_loop()
    batch = _batches.get(loop)
    if batch is None:
        batch = _batches[loop] = Coalescer(_many, max_batch=200)
    return await batch((channel, external_id))
