"""Many rows in one PostgreSQL statement: each column's values go as one array parameter
(``unnest(...) WITH ORDINALITY``), so a statement has a parameter per column however many
rows it writes. Used by the payment group commit and by the outbox's many-rows path."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class Params:
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
    q: Params,
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
