"""Reminders to tourists: payment due, pre-departure, review request, birthday greeting.

All are non-urgent: planned outside the quiet hours, and sent to the client's most recently
active reachable account in the client's language. Each re-checks its subject when it fires.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from babel import Locale
from tortoise.expressions import F

from core import fallback
from core.contract import Button, Reply, column, rows
from core.i18n import T
from core.payloads import encode
from core.payments.intents import pay_button
from core.reminders.base import (
    Env,
    Outgoing,
    Planned,
    Rule,
    client_messages,
    days_between,
    latest,
    reachable_clients,
)
from core.reminders.memos import MAX_CHARS, load_memo, split_text
from core.reminders.timing import birthday_in
from core.rules import Reminders
from storage.batches import model_batches, value_batches
from storage.models import Client, MessengerAccount, Order, OrderStatus

OWING = (OrderStatus.BOOKED, OrderStatus.CONFIRMED)  # may still have money to pay
TRAVELLING = (OrderStatus.BOOKED, OrderStatus.CONFIRMED, OrderStatus.PAID)
TRAVELLED = (*TRAVELLING, OrderStatus.COMPLETED)


@dataclass(slots=True)
class OrderSubject:
    order: Order
    client: Client
    reachable: bool  # the client has an account we may write to (not blocked, subscribed)
    account: MessengerAccount | None = None  # loaded when the reminder fires
    accounts: list[MessengerAccount] | None = None  # all the client's, when the reminder fires


@dataclass(slots=True)
class ClientSubject:
    client: Client
    reachable: bool
    account: MessengerAccount | None = None


def _t(env: Env, client: Client) -> T:
    return env.services.translator(client.locale)


async def _order_subjects(orders: list[Order]) -> list[OrderSubject]:
    reachable = await reachable_clients(sorted({o.client_id for o in orders}))
    return [OrderSubject(o, o.client, o.client_id in reachable) for o in orders]


async def _load_order(payload: dict[str, Any]) -> OrderSubject | None:
    order = await Order.get_or_none(id=int(payload.get("order", 0))).select_related("client")
    if order is None:
        return None
    accounts = await MessengerAccount.filter(client_id=order.client_id)
    account = latest(accounts)
    return OrderSubject(order, order.client, account is not None, account, accounts)


async def _load_orders(payloads: list[dict[str, Any]]) -> list[OrderSubject | None]:
    ids = [int(p.get("order", 0)) for p in payloads]
    orders = {o.id: o for o in await Order.filter(id__in=ids).select_related("client")}
    client_ids = sorted({o.client_id for o in orders.values()})
    accounts = await _accounts_by_client(client_ids)
    subjects: list[OrderSubject | None] = []
    for order_id in ids:
        order = orders.get(order_id)
        if order is None:
            subjects.append(None)
            continue
        mine = accounts.get(order.client_id, [])
        account = latest(mine)
        subjects.append(OrderSubject(order, order.client, account is not None, account, mine))
    return subjects


async def _accounts_by_client(client_ids: list[int]) -> dict[int, list[MessengerAccount]]:
    found: dict[int, list[MessengerAccount]] = {}
    for start in range(0, len(client_ids), 500):
        chunk = client_ids[start : start + 500]
        for account in await MessengerAccount.filter(client_id__in=chunk):
            found.setdefault(int(account.client_id), []).append(account)  # type: ignore[arg-type]
    return found


def _mine(subject: OrderSubject, item: Planned) -> bool:
    return subject.order.created_at is None or item.run_at >= subject.order.created_at


class _OrderRule(Rule):
    """A rule whose subject is one order (with its client and reachable account)."""

    async def load(self, payload: dict[str, Any]) -> OrderSubject | None:
        return await _load_order(payload)

    async def load_many(self, payloads: list[dict[str, Any]]) -> list[Any | None]:
        return list(await _load_orders(payloads))


class PaymentDue(_OrderRule):
    """N days before an order's due date and on the day, while money is still owed."""

    kind = "reminder.payment_due"
    client_facing = True

    def enabled(self, reminders: Reminders) -> bool:
        return reminders.payment_due and bool(reminders.payment_due_days)

    async def candidates(self, env: Env) -> AsyncIterator[list[Any]]:
        low, high = env.day_range()
        offsets = env.reminders.payment_due_days or (0,)
        query = Order.filter(
            status__in=list(OWING),
            due_date__gte=low + timedelta(days=min(offsets)),
            due_date__lte=high + timedelta(days=max(offsets)),
            paid__lt=F("price"),
        ).select_related("client")
        async for orders in model_batches(query):
            yield await _order_subjects(orders)

    def wanted(self, subject: OrderSubject, env: Env) -> list[Planned]:
        order = subject.order
        reachable = subject.reachable or fallback.could_reach(env.services, subject.client)
        if not reachable or order.due_date is None:
            return []
        if order.status not in OWING or order.remaining <= 0:
            return []
        items = []
        for days in sorted(set(env.reminders.payment_due_days), reverse=True):
            at = env.client_time(order.due_date - timedelta(days=days), env.reminders.send_time)
            item = Planned(
                f"rem:due:{order.id}:{order.due_date.isoformat()}:{days}",
                at,
                {"order": order.id, "days": days},
            )
            if _mine(subject, item):  # a moment that passed before the order existed is skipped
                items.append(item)
        return items

    async def prepare(self, env: Env, subjects: list[Any]) -> None:
        """Each client's account as :func:`fallback.reach` finds it: a messenger among the
        accounts loaded with the batch, else the first fallback channel reaching them."""
        unknown: dict[int, Client] = {}
        for subject in subjects:
            client = subject.client
            if client.id in env.reached or client.id in unknown:
                continue  # another order of theirs in the batch
            if subject.accounts is None:
                unknown[client.id] = client
                continue
            found = fallback.messenger_among(env.services, subject.accounts)
            if found is None:
                found = await fallback.first_reachable(env.services, client)
            env.reached[client.id] = found
        if unknown:
            reached = await fallback.reach_many(env.services, list(unknown.values()))
            env.reached.update({cid: reached.get(cid) for cid in unknown})

    async def messages(self, env: Env, item: Planned, subject: OrderSubject) -> list[Outgoing]:
        order, client = subject.order, subject.client
        assert order.due_date is not None
        # a messenger, else the first fallback channel reaching the client
        if client.id in env.reached:
            account = env.reached[client.id]
        else:
            account = await fallback.reach(env.services, client)
        if account is None:
            return []
        t = _t(env, client)
        remaining = t.money(order.remaining, order.currency)
        args = {
            "number": order.number,
            "destination": order.destination,
            "remaining": remaining,
            "due": t.date(order.due_date),
            "days": int(item.payload.get("days", 0)),
        }
        key = "reminder-payment-due-today" if args["days"] == 0 else "reminder-payment-due"
        text = "\n\n".join([t(key, **args), t("reminder-payment-due-hint")])
        label = t("reminder-pay-button", amount=remaining)
        button = await pay_button(env.services, account.channel, order, label)
        return client_messages(env, self.kind, account, item, [Reply(text, column(button))])


class PreDeparture(_OrderRule):
    """N days before departure: the documents checklist and the destination country's memo."""

    kind = "reminder.pre_departure"
    client_facing = True

    def enabled(self, reminders: Reminders) -> bool:
        return reminders.pre_departure

    async def candidates(self, env: Env) -> AsyncIterator[list[Any]]:
        low, high = env.day_range()
        days = timedelta(days=env.reminders.pre_departure_days)
        query = Order.filter(
            status__in=list(TRAVELLING),
            departure_date__gte=low + days,
            departure_date__lte=high + days,
        ).select_related("client")
        async for orders in model_batches(query):
            yield await _order_subjects(orders)

    def wanted(self, subject: OrderSubject, env: Env) -> list[Planned]:
        order = subject.order
        if not subject.reachable or order.departure_date is None:
            return []
        if order.status not in TRAVELLING:
            return []
        day = order.departure_date - timedelta(days=env.reminders.pre_departure_days)
        item = Planned(
            f"rem:depart:{order.id}:{order.departure_date.isoformat()}",
            env.client_time(day, env.reminders.send_time),
            {"order": order.id},
        )
        return [item] if _mine(subject, item) else []

    async def messages(self, env: Env, item: Planned, subject: OrderSubject) -> list[Outgoing]:
        order, client = subject.order, subject.client
        assert subject.account is not None and order.departure_date is not None
        t = _t(env, client)
        head = t(
            "reminder-departure",
            number=order.number,
            destination=order.destination,
            date=t.date(order.departure_date),
            days=max(days_between(env.today, order.departure_date), 0),
        )
        checklist = t("reminder-departure-checklist")
        memo = load_memo(env.reminders.memos_dir, t.locale, order.country)
        texts = [f"{head}\n\n{checklist}"]
        if memo is not None:
            title = t("reminder-departure-memo", country=country_name(t.locale, order.country))
            memo_text = f"{title}\n\n{memo}"
            if len(texts[0]) + len(memo_text) + 2 <= MAX_CHARS:
                texts = [f"{texts[0]}\n\n{memo_text}"]
            else:
                texts += split_text(memo_text)
        replies = [Reply(text) for text in texts]
        return client_messages(env, self.kind, subject.account, item, replies)


def country_name(locale: str, code: str | None) -> str:
    code = (code or "").upper()
    try:
        return str(Locale.parse(locale).territories.get(code, code))
    except (ValueError, TypeError):
        return code


class ReviewRequest(_OrderRule):
    """The day(s) after return: rate the trip 1-5 (the answer is handled in handlers/review)."""

    kind = "reminder.review"
    client_facing = True

    def enabled(self, reminders: Reminders) -> bool:
        return reminders.review

    async def candidates(self, env: Env) -> AsyncIterator[list[Any]]:
        low, high = env.day_range()
        days = timedelta(days=env.reminders.review_after_days)
        query = Order.filter(
            status__in=list(TRAVELLED),
            review_rating__isnull=True,
            return_date__gte=low - days,
            return_date__lte=high - days,
        ).select_related("client")
        async for orders in model_batches(query):
            yield await _order_subjects(orders)

    def wanted(self, subject: OrderSubject, env: Env) -> list[Planned]:
        order = subject.order
        if not subject.reachable or order.return_date is None:
            return []
        if order.status not in TRAVELLED or order.review_rating is not None:
            return []
        day = order.return_date + timedelta(days=env.reminders.review_after_days)
        item = Planned(
            f"rem:review:{order.id}:{order.return_date.isoformat()}",
            env.client_time(day, env.reminders.send_time),
            {"order": order.id},
        )
        return [item] if _mine(subject, item) else []

    async def messages(self, env: Env, item: Planned, subject: OrderSubject) -> list[Outgoing]:
        order, client = subject.order, subject.client
        assert subject.account is not None
        t = _t(env, client)
        text = t("reminder-review", number=order.number, destination=order.destination)
        stars = [
            Button(t("reminder-review-star", stars=n), encode("review", order.id, n))
            for n in range(1, 6)
        ]
        reply = Reply(text, rows(stars))
        return client_messages(env, self.kind, subject.account, item, [reply])


class Birthday(Rule):
    """A greeting on the client's birthday (29 Feb: 28 Feb in common years), with consent only."""

    kind = "reminder.birthday"
    client_facing = True

    def enabled(self, reminders: Reminders) -> bool:
        return reminders.birthday

    async def candidates(self, env: Env) -> AsyncIterator[list[Any]]:
        low, high = env.day_range()
        days = {low + timedelta(days=i) for i in range((high - low).days + 1)}
        wanted_days = {(d.month, d.day) for d in days}
        if (2, 28) in wanted_days:
            wanted_days.add((2, 29))
        consenting = Client.filter(
            marketing_consent=True, birthday__isnull=False, forget_requested_at__isnull=True
        )
        # a few days' birthdays: every client's birthday is read, a batch at a time, and only
        # the batch's birthday people are loaded
        async for batch in value_batches(consenting, "birthday"):
            ids = [int(cid) for cid, bday in batch if (bday.month, bday.day) in wanted_days]
            reachable = await reachable_clients(ids) if ids else set()
            wanted = [i for i in ids if i in reachable]
            if wanted:
                clients = await Client.filter(id__in=wanted).order_by("id")
                yield [ClientSubject(c, True) for c in clients]

    def wanted(self, subject: ClientSubject, env: Env) -> list[Planned]:
        client = subject.client
        if not subject.reachable or client.birthday is None:
            return []
        if client.marketing_consent is not True or client.forget_requested_at is not None:
            return []
        items = []
        for year in (env.today.year - 1, env.today.year, env.today.year + 1):
            day = birthday_in(client.birthday, year)
            items.append(
                Planned(
                    f"rem:bday:{client.id}:{day.isoformat()}",
                    env.client_time(day, env.reminders.birthday_time),
                    {"client": client.id},
                )
            )
        return items

    async def load(self, payload: dict[str, Any]) -> ClientSubject | None:
        client = await Client.get_or_none(id=int(payload.get("client", 0)))
        if client is None:
            return None
        account = latest(await MessengerAccount.filter(client_id=client.id))
        return ClientSubject(client, account is not None, account)

    async def load_many(self, payloads: list[dict[str, Any]]) -> list[Any | None]:
        ids = [int(p.get("client", 0)) for p in payloads]
        clients = {c.id: c for c in await Client.filter(id__in=ids)}
        accounts = await _accounts_by_client(sorted(clients))
        subjects: list[Any | None] = []
        for client_id in ids:
            client = clients.get(client_id)
            account = latest(accounts.get(client_id, [])) if client else None
            subjects.append(ClientSubject(client, account is not None, account) if client else None)
        return subjects

    async def messages(self, env: Env, item: Planned, subject: ClientSubject) -> list[Outgoing]:
        client = subject.client
        assert subject.account is not None
        t = _t(env, client)
        agency = env.services.rules.agency.name
        name = client.first_name.strip()
        text = (
            t("reminder-birthday", name=name, agency=agency)
            if name
            else t("reminder-birthday-noname", agency=agency)
        )
        buttons = column(
            Button(t("reminder-birthday-find-tour"), encode("tour")),
            Button(t("reminder-birthday-stop"), encode("consent", "0")),
        )
        return client_messages(env, self.kind, subject.account, item, [Reply(text, buttons)])
