"""Reminders to staff: the daily digest and the weekly "lost clients" report.

Follow-up reminders are not here: the staff assistant (core/staff/followups.py) plans one
``staff.follow_up`` job per FollowUp and sends it itself — one mechanism, one message. The
digest lists the day's follow-ups.

Staff messages are not held back by the quiet hours (they are work, sent at the agency's
chosen times) and go to every reachable account of the staff member, in their language.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from tortoise.expressions import F, Q, Subquery
from tortoise.queryset import QuerySet

from core.contract import Reply
from core.destinations import destination_label
from core.i18n import T
from core.reminders.base import (
    Env,
    Outgoing,
    Planned,
    Rule,
    staff_message,
    staff_recipients,
)
from core.reminders.client import OWING, TRAVELLING
from core.reminders.timing import day_bounds, local_date
from core.rules import Reminders
from storage.models import (
    Client,
    FollowUp,
    MessengerAccount,
    Order,
    OutboxMessage,
    RequestStatus,
    Role,
    TourRequest,
)

DIGEST_ROLES = (Role.MANAGER, Role.ADMIN)
SECTION_MAX = 15  # lines per digest section; the rest is counted
LOST_MAX = 30


def _client_label(client: Client) -> str:
    return client.display_name or f"#{client.id}"


class _DayRule(Rule):
    """A rule whose subject is a local day (digest, weekly report)."""

    async def candidates(self, env: Env) -> AsyncIterator[list[Any]]:
        low, high = env.day_range()
        yield [low + timedelta(days=i) for i in range((high - low).days + 1)]

    async def load(self, payload: dict[str, Any]) -> date | None:
        try:
            return date.fromisoformat(str(payload.get("day")))
        except ValueError:
            return None


@dataclass(frozen=True, slots=True)
class Section:
    """One part of a digest: the first :data:`SECTION_MAX` rows (their clients attached) and how
    many there are in all — counted by the database, so a large agency's digest never loads its
    thousands of overdue orders."""

    shown: list[Any]
    total: int


@dataclass(frozen=True, slots=True)
class DigestData:
    departures: Section
    payments: Section
    requests: Section
    follow_ups: Section


async def _section(query: QuerySet[Any], *order: str) -> Section:
    total = await query.count()
    return Section(await query.order_by(*order).limit(SECTION_MAX) if total else [], total)


class Digest(_DayRule):
    """Every day at digest_time, to each active manager and admin: an admin sees the agency's
    day, a manager their own orders (and those nobody manages) and their own follow-ups."""

    kind = "reminder.digest"

    def enabled(self, reminders: Reminders) -> bool:
        return reminders.digest

    def wanted(self, subject: date, env: Env) -> list[Planned]:
        at = env.staff_time(subject, env.reminders.digest_time)
        return [Planned(f"rem:digest:{subject.isoformat()}", at, {"day": subject.isoformat()})]

    async def messages(self, env: Env, item: Planned, subject: date) -> list[Outgoing]:
        out = []
        seen: dict[int | None, DigestData] = {}  # admins share one
        for staff, account in await staff_recipients(DIGEST_ROLES):
            manager = None if staff.role == Role.ADMIN else staff.id
            data = seen.get(manager)
            if data is None:
                data = seen[manager] = await self.collect(env, subject, manager)
            t = env.services.translator(staff.locale)
            reply = Reply(self.render(t, env, subject, data))
            out.append(staff_message(self.kind, account, item, reply))
        return out

    async def collect(self, env: Env, day: date, manager: int | None = None) -> DigestData:
        """The day's digest for the agency (``manager`` None) or for one manager."""
        start, end = day_bounds(day, env.tz)
        departures = Order.filter(departure_date=day, status__in=list(TRAVELLING))
        payments = Order.filter(status__in=list(OWING), due_date__lte=day, paid__lt=F("price"))
        follow_ups = FollowUp.filter(done_at__isnull=True, due_at__gte=start, due_at__lt=end)
        if manager is not None:
            mine = Q(manager_id__isnull=True) | Q(manager_id=manager)
            departures, payments = departures.filter(mine), payments.filter(mine)
            follow_ups = follow_ups.filter(staff_id=manager)
        requests = TourRequest.filter(status=RequestStatus.NEW, manager_id__isnull=True)
        data = DigestData(
            await _section(departures, "id"),
            await _section(payments, "due_date", "id"),
            await _section(requests, "created_at", "id"),
            await _section(follow_ups, "due_at", "id"),
        )
        rows = [*data.departures.shown, *data.payments.shown, *data.requests.shown]
        rows += data.follow_ups.shown
        ids = sorted({row.client_id for row in rows})
        clients = {c.id: c for c in await Client.filter(id__in=ids)} if ids else {}
        for row in rows:
            row.client = clients[row.client_id]
        return data

    def render(self, t: T, env: Env, day: date, data: DigestData) -> str:
        parts = [t("reminder-digest-title", date=t.date(day))]
        departures = [
            t(
                "reminder-digest-departure",
                number=o.number,
                destination=o.destination,
                client=_client_label(o.client),
            )
            for o in data.departures.shown
        ]
        payments = [
            t(
                "reminder-digest-payment-today"
                if o.due_date == day
                else "reminder-digest-payment-overdue",
                number=o.number,
                destination=o.destination,
                client=_client_label(o.client),
                remaining=t.money(o.remaining, o.currency),
                due=t.date(o.due_date),
            )
            for o in data.payments.shown
        ]
        requests = [
            t(
                "reminder-digest-request",
                number=r.number,
                destination=destination_label(t, r.destination),
                client=_client_label(r.client),
            )
            for r in data.requests.shown
        ]
        follow_ups = [
            t(
                "reminder-digest-follow-up",
                time=t.time(f.due_at, env.tz),
                client=_client_label(f.client),
                note=f.note or "—",
            )
            for f in data.follow_ups.shown
        ]
        for key, lines, section in (
            ("reminder-digest-departures", departures, data.departures),
            ("reminder-digest-payments", payments, data.payments),
            ("reminder-digest-requests", requests, data.requests),
            ("reminder-digest-follow-ups", follow_ups, data.follow_ups),
        ):
            if section.total:
                more = section.total - len(lines)
                tail = [t("reminder-digest-more", count=more)] if more > 0 else []
                parts.append("\n".join([t(key, count=section.total), *lines, *tail]))
        if len(parts) == 1:
            parts.append(t("reminder-digest-nothing"))
        return "\n\n".join(parts)


class LostClients(_DayRule):
    """Weekly, to admins: clients with no order and no conversation for lost_client_days."""

    kind = "reminder.lost_clients"

    def enabled(self, reminders: Reminders) -> bool:
        return reminders.lost_clients

    def wanted(self, subject: date, env: Env) -> list[Planned]:
        if subject.isoweekday() != env.reminders.lost_clients_weekday:
            return []
        at = env.staff_time(subject, env.reminders.digest_time)
        return [Planned(f"rem:lost:{subject.isoformat()}", at, {"day": subject.isoformat()})]

    async def messages(self, env: Env, item: Planned, subject: date) -> list[Outgoing]:
        lost = lost_clients(env.now, env.reminders.lost_client_days, env)
        total = await lost.count()
        if not total:
            return []
        shown = await lost.order_by("id").limit(LOST_MAX)
        last_trips = await _last_trips([c.id for c in shown])
        out = []
        for staff, account in await staff_recipients((Role.ADMIN,)):
            t = env.services.translator(staff.locale)
            lines = []
            for client in shown:
                trip = last_trips.get(client.id)
                lines.append(
                    t(
                        "reminder-lost-client",
                        client=_client_label(client),
                        phone=client.phone or "—",
                        trip=_trip_label(t, trip) if trip else t("reminder-lost-no-trips"),
                    )
                )
            if total > LOST_MAX:
                lines.append(t("reminder-digest-more", count=total - LOST_MAX))
            head = t("reminder-lost-title", count=total, days=env.reminders.lost_client_days)
            reply = Reply("\n".join([head, "", *lines]))
            out.append(staff_message(self.kind, account, item, reply))
        return out


def lost_clients(now: datetime, days: int, env: Env) -> QuerySet[Client]:
    """Clients older than ``days`` with no order, no trip and nothing written by them since.

    A conversation is what the client sent: the account's last inbound message and the inbound
    rows of the history; our own reminders do not count. A query, not a list: the report
    needs the count and the first few, and the database works both out without handing every
    client of a large agency to this process.
    """
    since = now - timedelta(days=days)
    since_day = local_date(since, env.tz)
    active = (
        # every subquery without NULLs: one NULL makes ``NOT IN`` exclude everybody
        Order.filter(created_at__gte=since, client_id__isnull=False).values("client_id"),
        Order.filter(return_date__gte=since_day, client_id__isnull=False).values("client_id"),
        MessengerAccount.filter(last_inbound_at__gte=since, client_id__isnull=False).values(
            "client_id"
        ),
        OutboxMessage.filter(direction="in", not_before__gte=since, client_id__isnull=False).values(
            "client_id"
        ),
    )
    query = Client.filter(created_at__lt=since, forget_requested_at__isnull=True)
    for ids in active:
        query = query.filter(id__not_in=Subquery(ids))
    return query


async def _last_trips(client_ids: list[int]) -> dict[int, Order]:
    latest: dict[int, Order] = {}
    orders = await Order.filter(client_id__in=client_ids).order_by("created_at", "id")
    for order in orders:
        latest[order.client_id] = order
    return latest


def _trip_label(t: T, order: Order) -> str:
    return t(
        "reminder-lost-last-trip",
        number=order.number,
        destination=order.destination,
        date=t.date(order.departure_date or order.created_at.date()),
    )
