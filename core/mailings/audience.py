"""A segment as a database query: who gets a mailing, streamed in batches, and its preview.

:func:`audience_query` compiles a :class:`~core.mailings.segments.Segment` into one tortoise
query over clients (subqueries only, no raw SQL: the same on SQLite and PostgreSQL). Always on
top: marketing consent given, no pending "forget me", and a way to reach them: a reachable
messenger account, or the field (e-mail, phone) a configured fallback channel reaches them by
(``[delivery] fallback``). Which account each one gets the mailing on is decided per batch by
the one rule of :func:`core.fallback.reach_many`: a messenger first, else the first fallback
channel that reaches them (a person who opted out there is skipped). :func:`client_batches`
walks the result by id, ``batch`` rows at a time, so a large audience is never held in memory.
"""

from __future__ import annotations

import calendar
import operator
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tortoise.expressions import F, Q, Subquery
from tortoise.functions import Count, Sum
from tortoise.queryset import QuerySet

from core import fallback
from core.clients import mask_phone
from core.mailings.segments import AGE_MAX, Segment, Term
from core.money import minor_digits
from core.services import Services
from storage.models import Client, LedgerEntry, MessengerAccount, Order, OrderStatus

# Orders that count as "an order" (lead / customer / repeat / visited a country / trips).
COUNTED = (OrderStatus.BOOKED, OrderStatus.CONFIRMED, OrderStatus.PAID, OrderStatus.COMPLETED)
OWING = (OrderStatus.BOOKED, OrderStatus.CONFIRMED)  # orders whose unpaid rest is a debt

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}
_LOOKUP = {"=": "", ">": "__gt", ">=": "__gte", "<": "__lt", "<=": "__lte"}
_NEGATE = {"=": "__not", ">": "__lte", ">=": "__lt", "<": "__gte", "<=": "__gt"}


@dataclass(frozen=True, slots=True)
class Scope:
    """What a query depends on besides the segment: today's local date and the currency."""

    today: date
    currency: str
    # the configured fallback channels that are on, in order, with the client field each
    # reaches by (core/fallback.py): ``(("mail", "email"),)``
    fallback: tuple[tuple[str, str], ...] = ()
    # every channel that reaches clients by a field: its accounts are no messenger accounts
    addressed: tuple[str, ...] = ()


def _reachable(scope: Scope, channels: tuple[str, ...] | None = None) -> Q:
    """Clients a mailing can reach (on ``channels`` when given): a reachable messenger account,
    or the field a fallback channel reaches them by."""
    accounts = MessengerAccount.filter(client_id__isnull=False, subscribed=True, blocked=False)
    if scope.addressed:
        accounts = accounts.exclude(channel__in=list(scope.addressed))
    if channels:
        accounts = accounts.filter(channel__in=list(channels))
    reached = Q(id__in=Subquery(accounts.values("client_id")))
    for channel, field_name in scope.fallback:
        if channels and channel not in channels:
            continue
        present: dict[str, Any] = {f"{field_name}__isnull": False}
        blank: dict[str, Any] = {field_name: ""}
        reached |= Q(**present) & ~Q(**blank)
    return reached


def _counted_orders() -> QuerySet[Order]:
    return Order.filter(status__in=[s.value for s in COUNTED])


def _aggregate(base: QuerySet[Any], aggregate: Any, op: str, value: int) -> Q:
    """Clients whose aggregate over ``base`` compares to ``value`` (no rows count as 0)."""
    grouped = base.annotate(total=aggregate).group_by("client_id")
    if _OPS[op](0, value):  # zero matches: everyone except those whose total does not
        return ~Q(
            id__in=Subquery(grouped.filter(**{f"total{_NEGATE[op]}": value}).values("client_id"))
        )
    return Q(id__in=Subquery(grouped.filter(**{f"total{_LOOKUP[op]}": value}).values("client_id")))


def _minor(amount: Decimal, currency: str) -> int:
    return int(amount.scaleb(minor_digits(currency)))


def _years_before(day: date, years: int) -> date:
    year = day.year - years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def _age(first: int, last: int, today: date) -> Q:
    # age >= first: born on or before today minus `first` years;
    # age <= last: born after today minus `last + 1` years
    return Q(
        birthday__lte=_years_before(today, first),
        birthday__gt=_years_before(today, last + 1),
    )


def _birthday_within(days: int, today: date) -> Q:
    """Birthday today or in the next ``days`` days (29 February counts as 28 in common years)."""
    if days >= 365:
        return Q(birthday__isnull=False)
    wanted: set[tuple[int, int]] = set()
    for offset in range(days + 1):
        day = today + timedelta(days=offset)
        wanted.add((day.month, day.day))
        if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
            wanted.add((2, 29))
    ranges: list[Q] = []
    for year in range(today.year - AGE_MAX, today.year + 1):
        for first, last in _runs(year, wanted):
            ranges.append(Q(birthday__gte=first, birthday__lte=last))
    return Q(*ranges, join_type=Q.OR)


def _runs(year: int, wanted: set[tuple[int, int]]) -> list[tuple[date, date]]:
    """The wanted days of ``year`` as contiguous [first, last] runs."""
    days = sorted(
        date(year, m, d)
        for m, d in wanted
        if not (m == 2 and d == 29 and not calendar.isleap(year))
    )
    runs: list[tuple[date, date]] = []
    for day in days:
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _term(term: Term, scope: Scope) -> Q:
    name, op, value = term.name, term.op, term.value
    if name == "channel":
        return _reachable(scope, value)
    if name == "lang":
        return Q(locale__in=list(value))
    if name == "gender":
        return Q(gender__in=list(value))
    if name == "manager":
        return Q(manager_id__in=list(value))
    if name in ("lead", "customer", "repeat"):
        op, value = {"lead": ("=", 0), "customer": (">=", 1), "repeat": (">=", 2)}[name]
        name = "orders"
    if name == "orders":
        return _aggregate(_counted_orders(), Count("id"), op, value)
    if name == "age":
        return _age(value[0], value[1], scope.today)
    if name == "birthday_within":
        return _birthday_within(value, scope.today)
    if name == "country":
        visited = _counted_orders().filter(country__in=list(value))
        return Q(id__in=Subquery(visited.values("client_id")))
    if name in ("departed", "returning"):
        column = "departure_date" if name == "departed" else "return_date"
        trips = _counted_orders().filter(**{f"{column}__gte": value[0], f"{column}__lte": value[1]})
        return Q(id__in=Subquery(trips.values("client_id")))
    if name == "debt":
        owing = Order.filter(status__in=[s.value for s in OWING], currency=scope.currency)
        return _aggregate(owing, Sum(F("price") - F("paid")), op, _minor(value, scope.currency))
    if name == "balance":
        entries = LedgerEntry.filter(currency=scope.currency)
        return _aggregate(entries, Sum("amount"), op, _minor(value, scope.currency))
    if name == "bonus":
        return Q(**{f"bonus_points{_LOOKUP[op]}": value})
    if name == "last_trip":
        travelled = _counted_orders().filter(departure_date__isnull=False)
        recent = _counted_orders().filter(departure_date__gte=value)
        return Q(id__in=Subquery(travelled.values("client_id"))) & ~Q(
            id__in=Subquery(recent.values("client_id"))
        )
    raise ValueError(f"no query for segment term {name!r}")  # parse() never yields one


def audience_query(segment: Segment, scope: Scope) -> QuerySet[Client]:
    """Every client the segment selects, with marketing consent and a way to reach them."""
    query = Client.filter(
        _reachable(scope), marketing_consent=True, forget_requested_at__isnull=True
    )
    for term in segment.terms:
        query = query.filter(_term(term, scope))
    return query


def channels_of(segment: Segment) -> tuple[str, ...] | None:
    """The channels a segment allows (every ``channel=`` term must hold), None for any."""
    allowed: set[str] | None = None
    for term in segment.terms:
        if term.name == "channel":
            allowed = set(term.value) if allowed is None else allowed & set(term.value)
    return tuple(sorted(allowed)) if allowed is not None else None


async def client_batches(query: QuerySet[Client], batch: int = 500) -> AsyncIterator[list[int]]:
    """The ids of ``query`` in ascending order, ``batch`` at a time (keyset paging)."""
    after = 0
    while True:
        ids = (
            await query.filter(id__gt=after)
            .order_by("id")
            .limit(batch)
            .values_list("id", flat=True)
        )
        if not ids:
            return
        found = [int(i) for i in ids]  # type: ignore[call-overload]
        yield found
        after = found[-1]


@dataclass
class Preview:
    total: int = 0
    per_channel: dict[str, int] = field(default_factory=dict)
    sample: list[str] = field(default_factory=list)


async def preview(
    services: Services, segment: Segment, scope: Scope, *, batch: int = 1000
) -> Preview:
    """How many clients a mailing would reach, per channel they would get it on (the rule of
    :func:`core.fallback.reach_many`, read-only), and five of their names."""
    query = audience_query(segment, scope)
    channels = channels_of(segment)
    result = Preview()
    async for ids in client_batches(query, batch):
        clients = await Client.filter(id__in=ids)
        for channel in (
            await fallback.reach_channels(services, clients, channels=channels)
        ).values():
            result.per_channel[channel] = result.per_channel.get(channel, 0) + 1
            result.total += 1
    for client in await query.order_by("id").limit(5):
        name = " ".join(p for p in (client.first_name, client.last_name) if p)
        result.sample.append(name or mask_phone(client.phone))
    return result
