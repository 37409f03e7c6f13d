"""What staff look up: orders, clients, debtors, tour requests, the day ahead.

Pure reads; the handlers audit them (see :mod:`core.staff.lookups`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from tortoise.expressions import F, Q
from tortoise.queryset import QuerySet

from core import ledger, paging
from core.clients import normalise_phone
from core.errors import InvalidInput
from core.paging import ItemT, ModelT, Page
from core.rules import Rules
from storage.models import (
    Client,
    FollowUp,
    MessengerAccount,
    Order,
    OrderStatus,
    OutboxMessage,
    RequestStatus,
    Role,
    Staff,
    TourRequest,
)

PAGE_SIZE = 6
ACTIVE = (OrderStatus.BOOKED, OrderStatus.CONFIRMED, OrderStatus.PAID)
OWING = (OrderStatus.BOOKED, OrderStatus.CONFIRMED, OrderStatus.COMPLETED)
FIND_LIMIT = 20
_ORDER_NUMBER = re.compile(r"^([A-Za-z]{1,3})-?(\d{1,8})$")


async def paginate(
    query: QuerySet[ModelT], page: int, size: int = PAGE_SIZE, *order: str
) -> Page[ModelT]:
    return await paging.paginate(query, page, size, *order)


def slice_page(items: Sequence[ItemT], page: int, size: int = PAGE_SIZE) -> Page[ItemT]:
    return paging.slice_page(items, page, size)


# ---- orders -----------------------------------------------------------------------------------


def parse_status(text: str) -> OrderStatus | None:
    """``"booked"`` -> BOOKED; ``""`` / ``"active"`` -> None (the open ones)."""
    value = (text or "").strip().lower()
    if value in ("", "active"):
        return None
    try:
        return OrderStatus(value)
    except ValueError:
        raise InvalidInput("st-error-status") from None


async def orders(status: OrderStatus | None, page: int) -> Page[Order]:
    query = Order.filter(status__in=ACTIVE) if status is None else Order.filter(status=status)
    return await paginate(query.prefetch_related("client"), page, PAGE_SIZE, "-created_at", "-id")


async def order_by_number(text: str) -> Order | None:
    value = (text or "").strip()
    if not value:
        return None
    order = await Order.filter(number__iexact=value).prefetch_related("client", "manager").first()
    if order is None and (match := _ORDER_NUMBER.match(value)):
        number = f"{match[1].upper()}-{int(match[2]):04d}"
        order = await Order.filter(number=number).prefetch_related("client", "manager").first()
    return order


async def order_by_id(order_id: int) -> Order | None:
    return await Order.filter(id=order_id).prefetch_related("client", "manager").first()


# ---- clients ----------------------------------------------------------------------------------


async def find_clients(text: str, region: str) -> list[Client]:
    """Clients matching an order number, a phone (full or its last digits) or a name."""
    query = " ".join((text or "").split())
    if len(query) < 2:
        raise InvalidInput("st-find-too-short")
    order = await order_by_number(query)
    if order is not None:
        return [order.client]
    digits = re.sub(r"\D", "", query)
    if digits and len(digits) >= 4 and not re.search(r"[^\d\s()+\-]", query):
        try:
            phone = normalise_phone(query, region)
        except InvalidInput:
            phone = None
        if phone is not None:
            exact = await Client.filter(phone=phone)
            if exact:
                return list(exact)
        return list(await Client.filter(phone__contains=digits).order_by("id").limit(FIND_LIMIT))
    condition = Q()
    for word in query.split():
        condition &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    return list(
        await Client.filter(condition).order_by("last_name", "first_name", "id").limit(FIND_LIMIT)
    )


@dataclass(frozen=True, slots=True)
class HistoryLine:
    at: datetime
    incoming: bool
    kind: str
    text: str


@dataclass
class ClientCard:
    client: Client
    manager: Staff | None
    accounts: list[MessengerAccount]
    balances: dict[str, int]
    orders: list[Order]
    order_count: int
    open_follow_ups: int
    history: list[HistoryLine] = field(default_factory=list)


async def client_card(
    client_id: int, *, orders_shown: int = 5, messages: int = 5
) -> ClientCard | None:
    client = await Client.get_or_none(id=client_id)
    if client is None:
        return None
    manager = await Staff.get_or_none(id=client.manager_id) if client.manager_id else None
    accounts = await MessengerAccount.filter(client_id=client.id).order_by("id")
    order_query = Order.filter(client_id=client.id)
    order_count = await order_query.count()
    latest = await order_query.order_by("-created_at", "-id").limit(orders_shown)
    follow_ups = await FollowUp.filter(client_id=client.id, done_at__isnull=True).count()
    rows = await OutboxMessage.filter(client_id=client.id).order_by("-id").limit(messages)
    history = [
        HistoryLine(
            r.not_before or r.created_at,
            r.direction == "in",
            r.kind,
            str((r.body or {}).get("text") or ""),
        )
        for r in rows
    ]
    return ClientCard(
        client=client,
        manager=manager,
        accounts=list(accounts),
        balances=await ledger.balances(client.id),
        orders=list(latest),
        order_count=order_count,
        open_follow_ups=follow_ups,
        history=history,
    )


# ---- debtors ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Debtors:
    page: Page[Order]
    totals: dict[str, int]  # currency -> remaining


async def debtors(page: int) -> Debtors:
    """Orders with money still due, the oldest due date first (no date last)."""
    owing = await Order.filter(status__in=OWING, price__gt=F("paid")).prefetch_related("client")
    owing.sort(key=lambda o: (o.due_date is None, o.due_date or date.max, o.id))
    totals: dict[str, int] = {}
    for order in owing:
        totals[order.currency] = totals.get(order.currency, 0) + order.remaining
    return Debtors(slice_page(owing, page), dict(sorted(totals.items())))


# ---- tour requests ----------------------------------------------------------------------------


async def new_requests(page: int) -> Page[TourRequest]:
    query = TourRequest.filter(status=RequestStatus.NEW)
    return await paginate(query.prefetch_related("client"), page, PAGE_SIZE, "created_at", "id")


async def my_requests(staff: Staff, page: int) -> Page[TourRequest]:
    query = TourRequest.filter(manager_id=staff.id, status=RequestStatus.TAKEN)
    return await paginate(query.prefetch_related("client"), page, PAGE_SIZE, "-taken_at", "-id")


# ---- today ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Today:
    day: date
    departures: list[Order]
    due: list[Order]
    overdue: int
    follow_ups: list[FollowUp]


def local_day(rules: Rules, now: datetime) -> tuple[date, datetime, datetime]:
    """The agency's today, and its start and end as aware datetimes."""
    tz = rules.agency.tz
    day = now.astimezone(tz).date()
    start = datetime.combine(day, time(0, 0), tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)
    return day, start, end


async def today(rules: Rules, now: datetime, staff: Staff) -> Today:
    """Departures, payments due and follow-ups (a member's own; an admin sees everyone's)."""
    day, start, end = local_day(rules, now)
    departures = (
        await Order.filter(departure_date=day, status__in=[*ACTIVE, OrderStatus.COMPLETED])
        .prefetch_related("client")
        .order_by("id")
    )
    due = (
        await Order.filter(due_date=day, status__in=OWING, price__gt=F("paid"))
        .prefetch_related("client")
        .order_by("id")
    )
    overdue = await Order.filter(due_date__lt=day, status__in=OWING, price__gt=F("paid")).count()
    follow_query = FollowUp.filter(due_at__gte=start, due_at__lt=end, done_at__isnull=True)
    if Role(staff.role) is not Role.ADMIN:
        follow_query = follow_query.filter(staff_id=staff.id)
    follow_ups = await follow_query.prefetch_related("client", "staff").order_by("due_at", "id")
    return Today(day, list(departures), list(due), overdue, list(follow_ups))
