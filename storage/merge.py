"""Re-pointing every row that belongs to one client at another (merging two client records).

Generic over the models: every foreign key to ``clients`` is found from tortoise's metadata of
the registered models, so a table added later is carried along without being listed here.
"""

from __future__ import annotations

from tortoise.fields.relational import ForeignKeyFieldInstance
from tortoise.models import Model

from storage import models
from storage.models import Client


def client_references() -> list[tuple[type[Model], str]]:
    """``(model, fk column)`` for every foreign key to :class:`Client`, in a stable order."""
    found: list[tuple[type[Model], str]] = []
    for model in models.__models__:
        for name in sorted(model._meta.fk_fields):
            field = model._meta.fields_map[name]
            if isinstance(field, ForeignKeyFieldInstance) and field.related_model is Client:
                found.append((model, field.source_field or f"{name}_id"))
    return sorted(found, key=lambda item: (item[0]._meta.db_table, item[1]))


async def repoint_client(from_id: int, into_id: int) -> dict[str, int]:
    """Move every row pointing at client ``from_id`` to ``into_id``; counts per table.column.

    Call it inside a transaction together with whatever else the merge changes.
    """
    moved: dict[str, int] = {}
    for model, column in client_references():
        count = await model.filter(**{column: from_id}).update(**{column: into_id})
        if count:
            moved[f"{model._meta.db_table}.{column}"] = count
    return moved
