"""Big tables are read a batch at a time: the number of queries grows with the rows, each
query returns at most a batch, and nothing is skipped or read twice."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from storage.batches import model_batches, value_batches
from storage.models import Client
from tests.support.factories import make_client


class Queries(logging.Handler):
    """The SELECTs tortoise sends, as its debug log reports them."""

    def __init__(self) -> None:
        super().__init__()
        self.selects: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.lstrip().upper().startswith("SELECT"):
            self.selects.append(message)


@pytest.fixture
def queries() -> Iterator[Queries]:
    handler = Queries()
    logger = logging.getLogger("tortoise.db_client")
    level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


async def test_values_come_in_batches_by_id(db_url: str, queries: Queries) -> None:
    made = [await make_client(f"+38067000000{i}", f"N{i}") for i in range(7)]
    queries.selects.clear()
    batches = [b async for b in value_batches(Client.all(), "first_name", size=3)]
    assert [len(b) for b in batches] == [3, 3, 1]
    assert [row for b in batches for row in b] == [(c.id, c.first_name) for c in made]
    assert len(queries.selects) == 3  # one query per batch, not one for everything


async def test_models_come_in_batches_and_respect_the_filter(db_url: str, queries: Queries) -> None:
    for i in range(6):
        await make_client(f"+38067000001{i}", "Even" if i % 2 == 0 else "Odd")
    queries.selects.clear()
    batches = [b async for b in model_batches(Client.filter(first_name="Even"), size=2)]
    assert [[c.first_name for c in b] for b in batches] == [["Even", "Even"], ["Even"]]
    assert len(queries.selects) == 2
