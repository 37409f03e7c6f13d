"""Insert-or-skip inside someone else's transaction, safely on PostgreSQL.

PostgreSQL aborts a whole transaction on any failed statement, so an insert whose unique key
may already be taken ("applied once" rows, dedupe keys) must run under a savepoint when the
caller holds a transaction; outside one the insert is its own statement and needs nothing.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from tortoise import connections
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.transactions import in_transaction


def in_open_transaction() -> bool:
    return isinstance(connections.get("default"), TransactionalDBClient)


@asynccontextmanager
async def savepoint() -> AsyncIterator[None]:
    """A savepoint when a transaction is open (a failure rolls back only this block), else
    nothing: a statement outside a transaction cannot poison anything."""
    if in_open_transaction():
        async with in_transaction():
            yield
    else:
        yield
