"""What each event tells about its subject: plain JSON, amounts in minor units with currency,
dates ISO 8601, ids as our numbers (``R-0001``, ``T-0001``) and database ids."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any

from storage.models import Client, Order, PaymentIntent, Refund, TourRequest


def _plain(value: Any) -> Any:
    """A field as JSON has it: a date or a moment in ISO 8601, a choice as its value."""
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, Enum):
        return str(value.value)
    return value


def _fields(row: Any, names: str) -> dict[str, Any]:
    """``{name: the row's field}`` for each of the space-separated ``names``, in that order."""
    return {name: _plain(getattr(row, name)) for name in names.split()}


def client_data(client: Client) -> dict[str, Any]:
    return _fields(
        client, "id first_name last_name phone locale marketing_consent manager_id created_at"
    )


def order_data(order: Order) -> dict[str, Any]:
    return _fields(
        order,
        "id number client_id manager_id status destination departure_date return_date"
        " price paid currency due_date",
    )


def request_data(request: TourRequest) -> dict[str, Any]:
    return _fields(
        request,
        "id number client_id manager_id destination when nights_min nights_max adults"
        " children_ages budget_amount budget_currency wishes status",
    )


def payment_data(
    intent: PaymentIntent, *, amount: int, currency: str, provider: str, payment_id: str
) -> dict[str, Any]:
    return {
        "intent_id": intent.id,
        **_fields(intent, "client_id order_id purpose"),
        "provider": provider,
        "provider_payment_id": payment_id,
        "amount": amount,
        "currency": currency,
    }


def refund_data(refund: Refund) -> dict[str, Any]:
    return {
        "refund_id": refund.id,
        **_fields(refund, "intent_id client_id order_id provider amount currency"),
    }
