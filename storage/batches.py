"""Reading a big table a batch at a time: keyset pagination on the primary key.

A reminder planner or a report over every client of a large agency must not hold all of
them (or all their orders) in one process at once: it reads ``size`` rows, works on them and
asks for the next ones after the last id it saw. Keyset, not OFFSET: each batch is an index
range scan however deep into the table it is.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

BATCH = 2000
M = TypeVar("M", bound=Model)


async def value_batches(
    query: QuerySet[Any], *fields: str, size: int = BATCH
) -> AsyncIterator[list[tuple[Any, ...]]]:
    """``(id, *fields)`` tuples of the rows ``query`` selects, ``size`` at a time, by id."""
    last: Any = None
    while True:
        page = query if last is None else query.filter(id__gt=last)
        rows = await page.order_by("id").limit(size).values_list("id", *fields)
        if not rows:
            return
        yield [tuple(row) for row in rows]
        if len(rows) < size:
            return
        last = rows[-1][0]


async def model_batches(query: QuerySet[M], size: int = BATCH) -> AsyncIterator[list[M]]:
    """The rows ``query`` selects as model objects, ``size`` at a time, by id."""
    last: Any = None
    while True:
        page = query if last is None else query.filter(id__gt=last)
        rows = await page.order_by("id").limit(size)
        if not rows:
            return
        yield list(rows)
        if len(rows) < size:
            return
        last = rows[-1].pk
