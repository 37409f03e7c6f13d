"""Orders created and edited by a caller who states the facts (the REST API).

The chat's new-order wizard parses what staff type (core/staff/orders.py); an API caller sends
typed values, checked here by the same rules: a destination the wizard would accept, dates in
the future and in order, a positive price in a known currency, a prepayment share of 1-100 %.
Creating goes through :func:`core.staff.orders.create_order`, so the client is told exactly as
when staff create it in chat. Edits are audited; money already paid bounds the price.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tortoise import timezone
from tortoise.transactions import in_transaction

from core.audit import Actor, audit_at
from core.errors import Conflict, InvalidField, InvalidInput, NotFound
from core.money import CURRENCIES
from core.services import Services
from core.staff.orders import MAX_YEARS_AHEAD, OrderDraft, parse_destination
from storage.models import Order, OrderStatus, Staff

PRICE_MAX = 10**12  # minor units; far above any tour, far below the column's range
EDITABLE = (
    "destination",
    "departure_date",
    "return_date",
    "price",
    "due_date",
    "prepayment_percent",
    "manager_id",
)
FROZEN = (OrderStatus.CANCELLED, OrderStatus.COMPLETED)


def _today(services: Services) -> date:
    return services.clock.now().astimezone(services.rules.agency.tz).date()


def _future(field: str, value: date | None, today: date) -> date | None:
    if value is None:
        return None
    if value < today:
        raise InvalidField("st-error-date-past", field=field)
    if value > today + timedelta(days=366 * MAX_YEARS_AHEAD):
        raise InvalidField("st-error-date", field=field)
    return value


def _destination(value: str) -> str:
    try:
        return parse_destination(value)
    except InvalidInput as exc:
        raise InvalidField(exc.key, field="destination", **exc.args_) from None


def _price(value: int) -> int:
    if not 0 < value <= PRICE_MAX:
        raise InvalidField("error-amount", field="price")
    return value


def _percent(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= 100:
        raise InvalidField("st-error-percent", field="prepayment_percent")
    return value


async def manager_of(manager_id: int | None) -> Staff | None:
    if manager_id is None:
        return None
    manager = await Staff.get_or_none(id=manager_id, active=True)
    if manager is None:
        raise InvalidField("api-no-such-manager", field="manager_id", id=manager_id)
    return manager


def draft_of(services: Services, client_id: int, fields: dict[str, Any]) -> OrderDraft:
    """An :class:`OrderDraft` from typed values; :class:`InvalidField` names a bad one."""
    today = _today(services)
    departure = _future("departure_date", fields["departure_date"], today)
    assert departure is not None
    back = _future("return_date", fields.get("return_date"), today)
    if back is not None and back < departure:
        raise InvalidField("st-error-date-order", field="return_date")
    currency = str(fields.get("currency") or services.rules.agency.currency)
    if currency not in CURRENCIES:
        raise InvalidField("api-bad-currency", field="currency", known=", ".join(CURRENCIES))
    percent = _percent(fields.get("prepayment_percent"))
    return OrderDraft(
        client_id=client_id,
        destination=_destination(str(fields["destination"])),
        departure=departure,
        return_date=back,
        price=_price(int(fields["price"])),
        currency=currency,
        due_date=_future("due_date", fields.get("due_date"), today),
        prepayment_percent=percent or services.rules.payments.prepayment_percent,
    )


async def update_order(
    services: Services, actor: Actor, order_id: int, changes: dict[str, Any]
) -> Order:
    """Change the given fields of an open order (not the status: see ``change_status``)."""
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidField("api-field-not-editable", field=unknown[0])
    today = _today(services)
    async with in_transaction():
        order = await Order.filter(id=order_id).select_for_update().first()
        if order is None:
            raise NotFound("st-order-not-found")
        if order.status in FROZEN:
            raise Conflict("api-order-closed", number=order.number, status=order.status.value)
        values: dict[str, Any] = {}
        for field, value in changes.items():
            if field == "destination":
                values[field] = _destination(str(value))
            elif field in ("departure_date", "return_date", "due_date"):
                values[field] = _future(field, value, today)
            elif field == "price":
                values[field] = _price(int(value))
                if values[field] < order.paid:
                    raise InvalidField("api-price-below-paid", field=field)
            elif field == "prepayment_percent":
                values[field] = _percent(value)
            elif field == "manager_id":
                manager = await manager_of(value)
                values[field] = manager.id if manager else None
        if "departure_date" in values and values["departure_date"] is None:
            raise InvalidField("st-error-date", field="departure_date")
        start = values.get("departure_date", order.departure_date)
        end = values.get("return_date", order.return_date)
        if start is not None and end is not None and end < start:
            raise InvalidField("st-error-date-order", field="return_date")
        changed = {k: v for k, v in values.items() if getattr(order, k) != v}
        if changed:
            # a query update skips auto_now: a CRM syncing by updated_at must see the change
            await Order.filter(id=order_id).update(**changed, updated_at=timezone.now())
            await audit_at(
                actor,
                "order.update",
                at=services.clock.now(),
                subject=f"order:{order.number}",
                details={k: str(v) for k, v in changed.items()},
            )
    return await Order.get(id=order_id)
