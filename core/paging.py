"""Pages of a long list, for screens with Prev / Next buttons."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from tortoise.models import Model
from tortoise.queryset import QuerySet

ItemT = TypeVar("ItemT")
ModelT = TypeVar("ModelT", bound=Model)


@dataclass(frozen=True, slots=True)
class Page(Generic[ItemT]):
    items: list[ItemT]
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 0

    @property
    def has_next(self) -> bool:
        return self.page + 1 < self.pages


def clamp(page: int, total: int, size: int) -> tuple[int, int]:
    """An out-of-range page number (an old button) becomes the nearest real page."""
    pages = max((total + size - 1) // size, 1)
    return min(max(page, 0), pages - 1), pages


async def paginate(query: QuerySet[ModelT], page: int, size: int, *order: str) -> Page[ModelT]:
    total = await query.count()
    page, pages = clamp(page, total, size)
    items = await query.order_by(*order).offset(page * size).limit(size)
    return Page(list(items), page, pages, total)


def slice_page(items: Sequence[ItemT], page: int, size: int) -> Page[ItemT]:
    page, pages = clamp(page, len(items), size)
    return Page(list(items[page * size : (page + 1) * size]), page, pages, len(items))
