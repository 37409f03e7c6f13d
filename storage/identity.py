"""Who an incoming event is from, in one query: the messenger account with the client and the
active staff member it is linked to.

The lookup runs on every incoming update. Through the ORM it is up to three queries (account,
then client and staff), each paying tortoise's query building, which measured as the largest
share of a webhook update's own CPU (bench/telegram_webhook.py profile). Here it is one
prepared ``LEFT JOIN`` whose row is split into the three models as the ORM would load them
(``_init_from_db`` does the per-dialect conversions), so callers get ordinary model instances.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from tortoise.models import Model

from storage.models import Client, MessengerAccount, Staff

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
def _sql(dialect: str) -> str:
    one, two = ("$1", "$2") if dialect == "postgres" else ("?", "?")
    select = ", ".join(
        f'{alias}."{column}" AS "{alias}__{column}"'
        for alias, model in _PARTS
        for column in _columns(model)
    )
    return (
        f"SELECT {select} FROM {MessengerAccount._meta.db_table} a"
        f" LEFT JOIN {Client._meta.db_table} c ON c.id = a.client_id"
        f" LEFT JOIN {Staff._meta.db_table} s ON s.id = a.staff_id AND s.active"
        f" WHERE a.channel = {one} AND a.external_id = {two}"
    )


def _load(model: type[Model], alias: str, row: dict[str, Any]) -> Any:
    prefix = f"{alias}__"
    values = {key[len(prefix) :]: value for key, value in row.items() if key.startswith(prefix)}
    if values["id"] is None:
        return None
    return model._init_from_db(**values)


async def account_with_links(
    channel: str, external_id: str
) -> tuple[MessengerAccount, Client | None, Staff | None] | None:
    """The account of (channel, external_id) with its client and active staff member, or None
    when there is no such account."""
    db = MessengerAccount._meta.db
    rows = await db.execute_query_dict(_sql(db.capabilities.dialect), [channel, external_id])
    if not rows:
        return None
    row = rows[0]
    return _load(MessengerAccount, "a", row), _load(Client, "c", row), _load(Staff, "s", row)
