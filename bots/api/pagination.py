"""Cursor pagination: keyset by id, newest rows never shift a page.

A list is read in ascending id order; the cursor is an opaque token holding the last id seen.
Rows created while a caller pages appear at the end, rows deleted disappear, and nothing is
seen twice or skipped — unlike offsets. ``limit`` is 1-200 (default 50).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field
from tortoise.models import Model
from tortoise.queryset import QuerySet

from bots.api.problems import ApiProblem, FieldError

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
ItemT = TypeVar("ItemT", bound=BaseModel)
ModelT = TypeVar("ModelT", bound=Model)


class PageQuery(BaseModel):
    """The paging part of every list's query string."""

    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the last page")


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    next_cursor: str | None = Field(description="pass as cursor for the next page; null: the end")


def encode_cursor(last_id: int) -> str:
    raw = json.dumps({"v": 1, "after": last_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data: Any = json.loads(base64.urlsafe_b64decode(padded.encode()))
        after = data["after"] if isinstance(data, dict) and data.get("v") == 1 else None
    except (ValueError, TypeError, KeyError):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after < 2**31:
        raise ApiProblem(
            400,
            "bad-request",
            "the cursor is not one this API gave out",
            errors=[FieldError(loc=["query", "cursor"], msg="invalid cursor", type="cursor")],
        )
    return after


async def page_of(
    query: QuerySet[ModelT], paging: PageQuery, convert: Callable[[ModelT], ItemT]
) -> Page[ItemT]:
    after = decode_cursor(paging.cursor)
    rows = list(await query.filter(id__gt=after).order_by("id").limit(paging.limit + 1))
    more = len(rows) > paging.limit
    rows = rows[: paging.limit]
    next_cursor = encode_cursor(int(rows[-1].pk)) if more and rows else None
    return Page[Any](items=[convert(r) for r in rows], next_cursor=next_cursor)
