"""Re-pointing every row that belongs to one client at another (merging two client records).

Generic over the models: every foreign key and one-to-one key to ``clients`` is found from
tortoise's metadata of the registered models, and so is every plain ``client_id`` integer column
(rows kept apart from the client on purpose, e.g. fiscal receipts), so a table added later is
carried along without being listed here.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.fields.data import IntField
from tortoise.fields.relational import ForeignKeyFieldInstance
from tortoise.models import Model

from storage import models
from storage.models import Client


@dataclass(frozen=True)
class Reference:
    model: type[Model]
    column: str
    # None: any number of rows per client; () a one-to-one key (one row per client);
    # otherwise the other columns of a unique group (one row per client and those values)
    unique_with: tuple[str, ...] | None = None


def client_references() -> list[Reference]:
    """Every column pointing at :class:`Client`, in a stable order."""
    found: list[Reference] = []
    for model in models.__models__:
        meta = model._meta
        for name in sorted(meta.fk_fields | meta.o2o_fields):
            field = meta.fields_map[name]
            if isinstance(field, ForeignKeyFieldInstance) and field.related_model is Client:
                column = field.source_field or f"{name}_id"
                unique = () if name in meta.o2o_fields else _unique_with(model, column)
                found.append(Reference(model, column, unique))
        loose = meta.fields_map.get("client_id")
        if model is not Client and isinstance(loose, IntField) and loose.reference is None:
            found.append(Reference(model, "client_id", _unique_with(model, "client_id")))
    return sorted(found, key=lambda r: (r.model._meta.db_table, r.column))


def _unique_with(model: type[Model], column: str) -> tuple[str, ...] | None:
    for group in model._meta.unique_together or ():
        if column in group:
            return tuple(c for c in group if c != column)
    return None


async def _drop_clashes(ref: Reference, from_id: int, into_id: int) -> int:
    """Delete ``from_id``'s rows that ``into_id`` already holds under the unique key."""
    rows = ref.model.filter(**{ref.column: from_id})
    if ref.unique_with == ():
        clash = await ref.model.filter(**{ref.column: into_id}).exists()
        return await rows.delete() if clash else 0
    assert ref.unique_with is not None
    dropped = 0
    taken = await ref.model.filter(**{ref.column: into_id}).values_list(*ref.unique_with)
    for values in taken:
        same = dict(zip(ref.unique_with, values, strict=True))
        dropped += await ref.model.filter(**{ref.column: from_id}, **same).delete()
    return dropped


async def repoint_client(from_id: int, into_id: int) -> dict[str, int]:
    """Move every row pointing at client ``from_id`` to ``into_id``; counts per table.column.

    Where a unique key allows the client one row (a one-to-one key, or one per mailing) and
    ``into_id`` already holds it, that one is kept and ``from_id``'s is dropped (counted as
    ``table.column:dropped``).
    Call it inside a transaction together with whatever else the merge changes.
    """
    moved: dict[str, int] = {}
    for ref in client_references():
        name = f"{ref.model._meta.db_table}.{ref.column}"
        if ref.unique_with is not None:
            dropped = await _drop_clashes(ref, from_id, into_id)
            if dropped:
                moved[f"{name}:dropped"] = dropped
        count = await ref.model.filter(**{ref.column: from_id}).update(**{ref.column: into_id})
        if count:
            moved[name] = count
    return moved
