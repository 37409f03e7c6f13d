"""Orders staff create and move along, and what the client is told about them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise import timezone
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from core import cancellation, numbers
from core.audit import Actor, audit_at
from core.clients import normalise_phone
from core.contract import Button, Reply, rows
from core.errors import InvalidInput, NotFound
from core.i18n import T
from core.loyalty import hooks as loyalty
from core.money import CURRENCIES, parse_amount
from core.payloads import encode
from core.relay import tell_client
from core.services import Services
from core.webhooks import events as webhook_events
from storage.models import Client, Order, OrderStatus, Staff

ORDER_COUNTER: tuple[str, str] = getattr(numbers, "ORDER", ("order", "T"))
DESTINATION_MAX = 128
MAX_YEARS_AHEAD = 3
SYMBOLS = {"₴": "UAH", "$": "USD", "€": "EUR", "ГРН": "UAH", "UAH": "UAH"}

# Where an order may go from each status (paid is set by payments, never by hand).
TRANSITIONS: dict[OrderStatus, tuple[OrderStatus, ...]] = {
    OrderStatus.DRAFT: (OrderStatus.BOOKED, OrderStatus.CANCELLED),
    OrderStatus.BOOKED: (OrderStatus.CONFIRMED, OrderStatus.CANCELLED),
    OrderStatus.CONFIRMED: (OrderStatus.COMPLETED, OrderStatus.CANCELLED),
    OrderStatus.PAID: (OrderStatus.COMPLETED, OrderStatus.CANCELLED),
    OrderStatus.COMPLETED: (),
    OrderStatus.CANCELLED: (OrderStatus.BOOKED,),
}
TOLD = (OrderStatus.CONFIRMED, OrderStatus.CANCELLED, OrderStatus.COMPLETED)


# ---- parsing what staff type -------------------------------------------------------------------

_DMY = re.compile(r"^(\d{1,2})[./](\d{1,2})(?:[./](\d{2}|\d{4}))?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_RANGE_SPLIT = re.compile(r"\s*(?:—|–|\.\.|\s-\s|\s+to\s+|\s+по\s+|\s+до\s+)\s*", re.I)


def parse_date(text: str, today: date) -> date:
    """``25.03.2027``, ``25.03.27``, ``2027-03-25`` or ``25.03`` (the next such day)."""
    value = (text or "").strip()
    try:
        if m := _ISO.match(value):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DMY.match(value):
            day, month = int(m[1]), int(m[2])
            if m[3] is None:
                candidate = date(today.year, month, day)
                return candidate if candidate >= today else date(today.year + 1, month, day)
            year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
            return date(year, month, day)
    except ValueError:
        pass
    raise InvalidInput("st-error-date")


def parse_future_date(text: str, today: date) -> date:
    value = parse_date(text, today)
    if value < today:
        raise InvalidInput("st-error-date-past")
    if value.year > today.year + MAX_YEARS_AHEAD:
        raise InvalidInput("st-error-date")
    return value


def parse_dates(text: str, today: date) -> tuple[date, date | None]:
    """A departure date, or ``departure - return``."""
    value = (text or "").strip()
    parts = _RANGE_SPLIT.split(value) if _RANGE_SPLIT.search(value) else [value]
    if len(parts) == 1 and value.count("-") == 1 and not _ISO.match(value):
        parts = value.split("-")
    if len(parts) > 2:
        raise InvalidInput("st-error-date")
    start = parse_future_date(parts[0], today)
    end = parse_future_date(parts[1], today) if len(parts) == 2 else None
    if end is not None and end < start:
        raise InvalidInput("st-error-date-order")
    return start, end


def parse_price(text: str, default_currency: str) -> tuple[int, str]:
    """``45000``, ``45 000 UAH``, ``1200 EUR``, ``€1200`` -> (minor units, currency)."""
    value = (text or "").strip().upper()
    currency = default_currency
    for token, code in (*SYMBOLS.items(), *((c, c) for c in CURRENCIES)):
        if token in value:
            currency = code
            value = value.replace(token, " ")
            break
    if re.search(r"[A-ZА-ЯІЇЄҐ]", value):
        raise InvalidInput("st-error-price", currencies=", ".join(CURRENCIES))
    return parse_amount(value, currency), currency


def parse_percent(text: str) -> int:
    value = (text or "").strip().rstrip("%").strip()
    if not value.isdigit() or not 1 <= int(value) <= 100:
        raise InvalidInput("st-error-percent")
    return int(value)


def parse_destination(text: str) -> str:
    value = " ".join((text or "").split())
    if len(value) < 2 or len(value) > DESTINATION_MAX or not any(c.isalpha() for c in value):
        raise InvalidInput("st-error-destination", max=DESTINATION_MAX)
    return value


async def client_by_phone(text: str, region: str) -> tuple[Client, bool]:
    """The client with this phone, or a new client record (``created``) when there is none."""
    phone = normalise_phone(text, region)
    client = await Client.get_or_none(phone=phone)
    if client is not None:
        return client, False
    client, created = await Client.get_or_create(phone=phone)
    return client, created


# ---- creating an order ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class OrderDraft:
    client_id: int
    destination: str
    departure: date
    return_date: date | None
    price: int
    currency: str
    due_date: date | None
    prepayment_percent: int


def dates_text(t: T, start: date | None, end: date | None) -> str:
    if start and end:
        return t("st-dates-range", start=t.date(start), end=t.date(end))
    if start:
        return t("st-dates-from", start=t.date(start))
    return t("st-dates-unknown")


async def insert_order(
    conn: BaseDBAsyncClient,
    client_id: int,
    manager_id: int | None,
    draft: OrderDraft,
    now: datetime,
    **extra: Any,
) -> Order:
    """A booked order with the next free number, inside the caller's transaction ``conn``;
    ``manager_id`` is the staff member it is assigned to (whose sale it is); ``extra``: more
    order fields (its tour request, country, supplier)."""
    number = await numbers.next_number(*ORDER_COUNTER, conn)
    while await Order.filter(number=number).using_db(conn).exists():  # imported numbers
        number = await numbers.next_number(*ORDER_COUNTER, conn)
    return await Order.create(
        number=number,
        client_id=client_id,
        manager_id=manager_id,
        destination=draft.destination,
        departure_date=draft.departure,
        return_date=draft.return_date,
        price=draft.price,
        currency=draft.currency,
        due_date=draft.due_date,
        prepayment_percent=draft.prepayment_percent,
        status=OrderStatus.BOOKED,
        created_at=now,
        using_db=conn,
        **extra,
    )


async def create_order(
    services: Services, staff: Actor, draft: OrderDraft, *, manager: Staff | None = None
) -> tuple[Order, bool]:
    """Create a booked order and tell the client; the flag says whether the client could be
    told (they have a messenger we can write to). Its manager is ``manager``, else the staff
    member creating it (an API key names the manager, or leaves the order without one)."""
    client = await Client.get_or_none(id=draft.client_id)
    if client is None:
        raise NotFound("st-client-not-found")
    if manager is None and isinstance(staff, Staff):
        manager = staff
    now = services.clock.now()
    async with in_transaction() as conn:
        order = await insert_order(conn, client.id, manager.id if manager else None, draft, now)
        if client.manager_id is None and manager is not None:
            await Client.filter(id=client.id, manager_id__isnull=True).update(manager_id=manager.id)
        await webhook_events.order_created(services, order)
        await audit_at(
            staff,
            "staff.order.create",
            at=now,
            subject=f"order:{order.number}",
            details={
                "client": client.id,
                "price": draft.price,
                "currency": draft.currency,
                "destination": draft.destination,
            },
        )
    name = manager.name if manager is not None else services.rules.agency.name
    told = await tell_client(
        services,
        client,
        lambda t: order_created_message(t, order, name),
        kind="order-created",
        dedupe_key=f"order-created:{order.id}",
    )
    return order, told is not None


def order_created_message(t: T, order: Order, manager: str) -> Reply:
    lines = [
        t(
            "st-client-order-created",
            manager=manager,
            number=order.number,
            destination=order.destination,
        ),
        dates_text(t, order.departure_date, order.return_date),
        t("st-client-order-price", price=t.money(order.price, order.currency)),
    ]
    if order.due_date is not None:
        lines.append(t("st-client-order-due", due=t.date(order.due_date)))
    return Reply(
        "\n".join(lines), rows([Button(t("st-client-open-trip"), encode("trip", order.id))])
    )


# ---- changing the status ----------------------------------------------------------------------


def targets(order: Order) -> tuple[OrderStatus, ...]:
    return TRANSITIONS[OrderStatus(order.status)]


async def change_status(
    services: Services, staff: Actor, order_id: int, target: OrderStatus
) -> Order:
    """Move the order to ``target`` if allowed from where it is now; tell the client when it
    matters (confirmed, cancelled, completed)."""
    order = await Order.get_or_none(id=order_id)
    if order is None:
        raise NotFound("st-order-not-found")
    current = OrderStatus(order.status)
    if target not in TRANSITIONS[current]:
        raise InvalidInput("st-status-not-allowed", number=order.number)
    if target is OrderStatus.CANCELLED:  # never ignores the money: it stays on the balance
        choice = cancellation.MoneyChoice.KEEP if order.paid > 0 else cancellation.MoneyChoice.NONE
        return (await cancellation.cancel_order(services, staff, order.id, choice)).order
    now = services.clock.now()
    async with in_transaction():
        touched = timezone.now()  # what auto_now writes; a query update skips it
        changed = await Order.filter(id=order.id, status=current).update(
            status=target, updated_at=touched
        )
        if not changed:  # someone else moved it a moment ago
            raise InvalidInput("st-status-not-allowed", number=order.number)
        await audit_at(
            staff,
            "staff.order.status",
            at=now,
            subject=f"order:{order.number}",
            details={"from": current.value, "to": target.value, "client": order.client_id},
        )
        order.status, order.updated_at = target, touched
        await webhook_events.order_status_changed(
            services, order, current, f"staff:{webhook_events.moment(now)}"
        )
    if target is OrderStatus.COMPLETED:
        await loyalty.on_completed(services, order.id)  # when points accrue on completion
    if target in TOLD:
        client = await Client.get(id=order.client_id)
        await tell_client(
            services,
            client,
            lambda t: status_message(t, order),
            kind=f"order-{target.value}",
            dedupe_key=f"order-status:{order.id}:{target.value}:{int(now.timestamp())}",
        )
    return order


def status_message(t: T, order: Order) -> Reply:
    text = t(
        f"st-client-order-{OrderStatus(order.status).value}",
        number=order.number,
        destination=order.destination,
    )
    return Reply(text, rows([Button(t("st-client-open-trip"), encode("trip", order.id))]))
