"""Orders as a client sees them: only their own, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import NotFound
from storage.models import Order, OrderStatus

PAGE_SIZE = 5
PAYABLE = (OrderStatus.BOOKED, OrderStatus.CONFIRMED)


@dataclass(frozen=True, slots=True)
class Page:
    orders: list[Order]
    page: int
    pages: int
    total: int

    @property
    def has_prev(self) -> bool:
        return self.page > 0

    @property
    def has_next(self) -> bool:
        return self.page + 1 < self.pages


async def client_orders(client_id: int, page: int = 0, size: int = PAGE_SIZE) -> Page:
    """One page of the client's orders, newest first; an out-of-range page is clamped."""
    query = Order.filter(client_id=client_id)
    total = await query.count()
    pages = max((total + size - 1) // size, 1)
    page = min(max(page, 0), pages - 1)
    orders = await query.order_by("-created_at", "-id").offset(page * size).limit(size)
    return Page(orders, page, pages, total)


async def client_order(client_id: int, order_id: int) -> Order:
    """The client's own order; :class:`NotFound` for anyone else's (or none)."""
    order = await Order.get_or_none(id=order_id, client_id=client_id)
    if order is None:
        raise NotFound("trip-not-found")
    return order


def payable(order: Order) -> bool:
    return order.remaining > 0 and order.status in PAYABLE
