"""One function per event type, called where the change happens (inside its transaction when
there is one). Each names the event's cause as its unique reference, so a duplicated callback,
a retried job or a double press never publishes twice."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.webhooks.payloads import (
    client_data,
    order_data,
    payment_data,
    refund_data,
    request_data,
)
from core.webhooks.publish import publish
from storage.models import Client, Order, OrderStatus, PaymentIntent, Refund, TourRequest

if TYPE_CHECKING:
    from core.services import Services


def _status(value: Any) -> str:
    return str(value.value if isinstance(value, OrderStatus) else value)


async def client_created(services: Services, client: Client) -> None:
    await publish(
        services, "client.created", f"client:{client.id}", client_data(client), client_id=client.id
    )


async def request_created(services: Services, request: TourRequest) -> None:
    await publish(
        services,
        "request.created",
        f"request:{request.id}",
        request_data(request),
        client_id=request.client_id,
    )


async def order_created(services: Services, order: Order) -> None:
    await publish(
        services, "order.created", f"order:{order.id}", order_data(order), client_id=order.client_id
    )


async def order_status_changed(
    services: Services, order: Order, previous: OrderStatus | str, cause: str
) -> None:
    """``cause`` is unique to this change (a ledger reference, or the order and the time)."""
    if _status(previous) == _status(order.status):
        return
    await publish(
        services,
        "order.status_changed",
        f"order:{order.id}:{cause}",
        {"order": order_data(order), "from": _status(previous), "to": _status(order.status)},
        client_id=order.client_id,
    )


def moment(at: datetime) -> str:
    return at.isoformat(timespec="microseconds")


async def payment_succeeded(
    services: Services,
    intent: PaymentIntent,
    *,
    reference: str,
    amount: int,
    currency: str,
    provider: str,
    payment_id: str,
    order: Order | None,
) -> None:
    data = payment_data(
        intent, amount=amount, currency=currency, provider=provider, payment_id=payment_id
    )
    data["order_number"] = order.number if order is not None else None
    await publish(services, "payment.succeeded", reference, data, client_id=intent.client_id)


async def payment_refunded(services: Services, refund: Refund) -> None:
    await publish(
        services,
        "payment.refunded",
        f"refund:{refund.id}",
        refund_data(refund),
        client_id=refund.client_id,
    )


async def booking_cancelled(
    services: Services,
    order: Order,
    previous: OrderStatus | str,
    *,
    cause: str,
    by: str,
    released: int,
    refund: int,
) -> None:
    """The order was cancelled (``by`` "staff" or "non-payment"); its money went back to the
    balance (``released``) and ``refund`` of it was asked back from the providers."""
    data = {
        "order": order_data(order),
        "by": by,
        "to_balance": released,
        "refund_requested": refund,
        "currency": order.currency,
    }
    await publish(
        services,
        "booking.cancelled",
        f"order:{order.id}:{cause}",
        data,
        client_id=order.client_id,
    )
    await order_status_changed(services, order, previous, cause)


async def review_received(services: Services, order: Order, *, with_comment: bool) -> None:
    """Sent when the client rates a trip, and again when they add a comment."""
    data = {
        "order_id": order.id,
        "order_number": order.number,
        "client_id": order.client_id,
        "manager_id": order.manager_id,
        "rating": order.review_rating,
        "comment": order.review_comment,
    }
    ref = f"review:{order.id}:{'comment' if with_comment else 'rating'}"
    await publish(services, "review.received", ref, data, client_id=order.client_id)
