"""What each event tells about its subject: plain JSON, amounts in minor units with currency,
dates ISO 8601, ids as our numbers (``R-0001``, ``T-0001``) and database ids."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from storage.models import Client, Order, PaymentIntent, Refund, TourRequest


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def client_data(client: Client) -> dict[str, Any]:
    return {
        "id": client.id,
        "first_name": client.first_name,
        "last_name": client.last_name,
        "phone": client.phone,
        "locale": client.locale,
        "marketing_consent": client.marketing_consent,
        "manager_id": client.manager_id,
        "created_at": _iso(client.created_at),
    }


def order_data(order: Order) -> dict[str, Any]:
    return {
        "id": order.id,
        "number": order.number,
        "client_id": order.client_id,
        "manager_id": order.manager_id,
        "status": str(order.status.value if hasattr(order.status, "value") else order.status),
        "destination": order.destination,
        "departure_date": _iso(order.departure_date),
        "return_date": _iso(order.return_date),
        "price": order.price,
        "paid": order.paid,
        "currency": order.currency,
        "due_date": _iso(order.due_date),
    }


def request_data(request: TourRequest) -> dict[str, Any]:
    return {
        "id": request.id,
        "number": request.number,
        "client_id": request.client_id,
        "manager_id": request.manager_id,
        "destination": request.destination,
        "when": request.when,
        "nights_min": request.nights_min,
        "nights_max": request.nights_max,
        "adults": request.adults,
        "children_ages": request.children_ages,
        "budget_amount": request.budget_amount,
        "budget_currency": request.budget_currency,
        "wishes": request.wishes,
        "status": str(request.status.value if hasattr(request.status, "value") else request.status),
    }


def payment_data(
    intent: PaymentIntent, *, amount: int, currency: str, provider: str, payment_id: str
) -> dict[str, Any]:
    return {
        "intent_id": intent.id,
        "client_id": intent.client_id,
        "order_id": intent.order_id,
        "purpose": str(
            intent.purpose.value if hasattr(intent.purpose, "value") else intent.purpose
        ),
        "provider": provider,
        "provider_payment_id": payment_id,
        "amount": amount,
        "currency": currency,
    }


def refund_data(refund: Refund) -> dict[str, Any]:
    return {
        "refund_id": refund.id,
        "intent_id": refund.intent_id,
        "client_id": refund.client_id,
        "order_id": refund.order_id,
        "provider": refund.provider,
        "amount": refund.amount,
        "currency": refund.currency,
    }
