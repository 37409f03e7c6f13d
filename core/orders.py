"""Orders as a client sees them: only their own, newest first."""

from __future__ import annotations

from core.errors import NotFound
from core.paging import Page, paginate
from storage.models import Order, OrderStatus

PAGE_SIZE = 5
PAYABLE = (OrderStatus.BOOKED, OrderStatus.CONFIRMED)


async def client_orders(client_id: int, page: int = 0, size: int = PAGE_SIZE) -> Page[Order]:
    """One page of the client's orders, newest first; an out-of-range page is clamped."""
    return await paginate(Order.filter(client_id=client_id), page, size, "-created_at", "-id")


async def client_order(client_id: int, order_id: int) -> Order:
    """The client's own order; :class:`NotFound` for anyone else's (or none)."""
    order = await Order.get_or_none(id=order_id, client_id=client_id)
    if order is None:
        raise NotFound("trip-not-found")
    return order


def payable(order: Order) -> bool:
    return order.remaining > 0 and order.status in PAYABLE
