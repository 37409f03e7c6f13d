"""Importing orders from a tour operator system's export (SAMO, ERP.travel and the like).

Columns (any order; uk / en / ru synonyms in :data:`core.imports.fields.ORDER_FIELDS`):
client phone and order number (required), destination and price (required for a new order),
currency (default: the agency's), departure and return dates, paid amount, payment due date,
country (ISO code), status (only for a new order: cancelled / completed trips of the past),
and the client's name (full name "Surname Name" or first / last) for a phone we do not know.

Rules: an order is unique by its number. A new number creates the order (and the client, by
phone, if needed: the same identity rule as the clients import — agency data, no messenger
linked). A known number updates destination, dates, price and due date from the file, unless
the order is cancelled or completed here; its status is never changed by a file (cancelling
has its own consequences, core/cancellation.py). A number that belongs to another client's
order here is refused.

Money: ``paid`` is the total the client has paid so far. When it is more than the order shows,
the difference is written as two ledger entries — money in (kind ``opening``, reference
``import:paid:<number>:<total>``) and its charge to the order (``…:order``) — so the balance is
unchanged, ``Order.paid`` rises and the status follows (confirmed from the prepayment, paid
when covered), exactly as a provider's payment would move it. Less than the order shows changes
nothing (money is never taken back by a file); the same total again finds its references used.
The payment-due reminders then plan themselves from ``due_date`` like for any order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from typing import Any

from tortoise.transactions import in_transaction

from core.errors import InvalidInput
from core.imports import fields as cells
from core.imports.driver import Progress, import_rows
from core.imports.report import ImportReport, Issue, Mapper
from core.ledger import status_after
from core.services import Services
from storage.models import Client, EntryKind, LedgerEntry, Order, OrderStatus

BATCH = 1000
NUMBER_LIMIT = 16
CLOSED = (OrderStatus.CANCELLED, OrderStatus.COMPLETED)

_STATUSES = {
    OrderStatus.CANCELLED: (
        "cancelled",
        "canceled",
        "анульовано",
        "скасовано",
        "аннулирован",
        "аннулировано",
        "отменен",
        "отменено",
        "відмова",
        "отказ",
    ),
    OrderStatus.COMPLETED: ("completed", "завершено", "завершен", "виконано", "выполнено"),
}
STATUS = {cells.fold(w): status for status, words in _STATUSES.items() for w in words}


@dataclass(slots=True)
class Row:
    line: int
    phone: str
    number: str
    currency: str
    destination: str = ""
    country: str | None = None
    departure: date | None = None
    back: date | None = None
    price: int | None = None
    paid: int | None = None
    due_date: date | None = None
    status: OrderStatus | None = None
    first_name: str = ""
    last_name: str = ""


def parse_row(line: int, values: Mapping[str, Any], *, region: str, currency: str) -> Row | Issue:
    for required in ("phone", "number"):
        if required not in values:
            return Issue(line, required, "import-reason-missing")
    current = "phone"
    try:
        phone = cells.phone(values["phone"], region)
        current = "number"
        number = _number(values["number"])
        current = "currency"
        code = cells.currency(values["currency"]) if "currency" in values else currency
        row = Row(line, phone, number, code)
        for current, value in values.items():
            _take(row, current, value)
    except cells.BadValue as bad:
        return Issue(line, current, bad.key, str(values.get(current, ""))[:60])
    if row.departure and row.back and row.back < row.departure:
        return Issue(line, "return", "import-reason-dates", str(values.get("return", "")))
    return row


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    number = cells.text(value, NUMBER_LIMIT)
    if not number:
        raise cells.BadValue("import-reason-missing")
    return number


def _take(row: Row, name: str, value: Any) -> None:
    if name == "destination":
        row.destination = cells.text(value, 128)
    elif name == "country":
        code = cells.text(value, 2).upper()
        if len(code) != 2 or not code.isalpha():
            raise cells.BadValue("import-reason-country")
        row.country = code
    elif name == "departure":
        row.departure = cells.day(value)
    elif name == "return":
        row.back = cells.day(value)
    elif name == "due_date":
        row.due_date = cells.day(value)
    elif name == "price":
        row.price = cells.money(value, row.currency)
        if row.price == 0:
            raise cells.BadValue("import-reason-amount")
    elif name == "paid":
        row.paid = cells.money(value, row.currency)
    elif name == "status":
        row.status = STATUS.get(cells.fold(str(value)))
    elif name == "first_name":
        row.first_name = cells.text(value, 100)
    elif name == "last_name":
        row.last_name = cells.text(value, 100)
    elif name == "full_name":
        first, last = cells.full_name(value)
        row.first_name = row.first_name or first
        row.last_name = row.last_name or last


async def import_orders(
    services: Services,
    rows: Iterable[Mapping[str, Any]],
    *,
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    headers: list[str] | None = None,
    first_line: int = 2,
    progress: Progress | None = None,
    actor: str = "import",
) -> ImportReport:
    """Import order rows; the same conventions as :func:`core.imports.clients.import_clients`."""
    mapper = Mapper(cells.ORDER_FIELDS, dict(mapping or {}))
    if headers is not None:
        found = set(mapper.fix(headers).values())
        if "phone" not in found:
            raise InvalidInput("import-no-phone-column")
        if "number" not in found:
            raise InvalidInput("import-no-number-column")
    agency = services.rules.agency
    percent = services.rules.payments.prepayment_percent

    async def apply(batch: list[Row], report: ImportReport) -> None:
        await _apply(batch, report, percent=percent, dry_run=dry_run, now=services.clock.now())

    return await import_rows(
        rows,
        mapper,
        parse=partial(parse_row, region=agency.country, currency=agency.currency),
        key_field="number",
        key_of=lambda row: row.number,
        apply=apply,
        batch_size=BATCH,
        dry_run=dry_run,
        first_line=first_line,
        progress=progress,
        actor=actor,
        action="orders-import",
    )


async def _apply(
    batch: list[Row], report: ImportReport, *, percent: int, dry_run: bool, now: datetime
) -> None:
    async with in_transaction():
        query = Order.filter(number__in=[r.number for r in batch])
        orders = {o.number: o for o in await (query if dry_run else query.select_for_update())}
        batch = [r for r in batch if r.number in orders or _complete(r, report)]
        clients = await _clients(batch, report, dry_run=dry_run, now=now)
        created: list[Order] = []
        updated: list[Order] = []
        changed: set[str] = set()
        money: list[tuple[Order, int, str]] = []
        for row in batch:
            client_id = clients.get(row.phone, 0)
            order = orders.get(row.number)
            if order is None:
                order = _new_order(row, client_id, now)
                created.append(order)
                report.new += 1
            elif order.client_id != client_id:
                report.refuse(Issue(row.line, "number", "import-reason-other-client", row.number))
                continue
            elif order.currency != row.currency:
                report.refuse(Issue(row.line, "currency", "import-reason-currency", row.currency))
                continue
            elif _update(order, row):
                updated.append(order)
                changed.add(order.number)
            extra = (row.paid or 0) - order.paid
            if order.status in CLOSED and order.id:
                extra = 0
            if extra > 0:
                money.append((order, extra, f"import:paid:{row.number}:{row.paid}"))
            if order.id:
                if order.number in changed or extra > 0:
                    report.updated += 1
                else:
                    report.unchanged += 1
        report.ledger_entries += 2 * len(money)
        if dry_run:
            return
        await _write(created, updated, money, percent, now)


def _complete(row: Row, report: ImportReport) -> bool:
    """A new order needs its destination and price; a row without them is refused."""
    missing = "destination" if not row.destination else "price" if row.price is None else None
    if missing:
        report.refuse(Issue(row.line, missing, "import-reason-missing"))
    return missing is None


async def _clients(
    batch: list[Row], report: ImportReport, *, dry_run: bool, now: datetime
) -> dict[str, int]:
    """``{phone: client id}``, creating clients for phones we do not know (0 in a dry run)."""
    phones = sorted({r.phone for r in batch})
    known = dict(await Client.filter(phone__in=phones).values_list("phone", "id"))
    missing = [r for r in batch if r.phone not in known]
    fresh: dict[str, Client] = {}
    for row in missing:
        fresh.setdefault(
            row.phone,
            Client(
                phone=row.phone,
                first_name=row.first_name,
                last_name=row.last_name,
                lead_source="import",
                created_at=now,
            ),
        )
    report.clients_created += len(fresh)
    if fresh and not dry_run:
        await Client.bulk_create(list(fresh.values()))
        known.update(await Client.filter(phone__in=list(fresh)).values_list("phone", "id"))
    return {str(p): int(i) for p, i in known.items()} | {p: 0 for p in fresh if p not in known}


def _new_order(row: Row, client_id: int, now: datetime) -> Order:
    assert row.price is not None
    return Order(
        number=row.number,
        client_id=client_id,
        destination=row.destination,
        country=row.country,
        departure_date=row.departure,
        return_date=row.back,
        price=row.price,
        currency=row.currency,
        paid=0,
        due_date=row.due_date,
        status=row.status or OrderStatus.BOOKED,
        created_at=now,
    )


def _update(order: Order, row: Row) -> list[str]:
    if order.status in CLOSED:
        return []
    wanted = {
        "destination": row.destination or None,
        "country": row.country,
        "departure_date": row.departure,
        "return_date": row.back,
        "price": row.price,
        "due_date": row.due_date,
    }
    changed = [k for k, v in wanted.items() if v is not None and getattr(order, k) != v]
    for name in changed:
        setattr(order, name, wanted[name])
    return changed


async def _write(
    created: list[Order],
    updated: list[Order],
    money: list[tuple[Order, int, str]],
    percent: int,
    now: datetime,
) -> None:
    if created:
        await Order.bulk_create(created)
        ids = dict(
            await Order.filter(number__in=[o.number for o in created]).values_list("number", "id")
        )
        for order in created:
            order.id = ids[order.number]
            order._saved_in_db = True
    entries: list[LedgerEntry] = []
    for order, extra, reference in money:
        entries += [
            LedgerEntry(
                client_id=order.client_id,
                order_id=order.id,
                amount=extra,
                currency=order.currency,
                kind=EntryKind.OPENING,
                reference=reference,
                reason="paid before the import",
                created_at=now,
            ),
            LedgerEntry(
                client_id=order.client_id,
                order_id=order.id,
                amount=-extra,
                currency=order.currency,
                kind=EntryKind.ORDER_CHARGE,
                reference=f"{reference}:order",
                reason="paid before the import",
                created_at=now,
            ),
        ]
        order.paid += extra
    # a price or a payment changed: the status follows (confirmed, paid) as it would in chat
    for order in {id(o): o for o in [*updated, *(o for o, _, _ in money)]}.values():
        order.status = status_after(order, percent)
    if entries:
        await LedgerEntry.bulk_create(entries)
    touched = {o.id: o for o in [*updated, *(o for o, _, _ in money)]}
    if touched:
        fields = [
            "destination",
            "country",
            "departure_date",
            "return_date",
            "price",
            "due_date",
            "paid",
            "status",
        ]
        await Order.bulk_update(list(touched.values()), fields=fields)
