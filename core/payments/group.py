"""Group commit for payment callbacks (PostgreSQL).

Callbacks that arrive while others are being applied wait a moment and are applied together:
each is verified on its own (signature, shape) before it joins, its body is stored with the
others in one statement, and then ONE transaction applies the plain ones set-based — a
success for a pending link of an order, the amount and currency we issued, nothing reserved
against it — with a handful of statements for the whole group:

* the group's payment intents are locked (then their clients, then their orders; each table in
  id order, so two groups — in one process or two — queue instead of deadlocking);
* keys already applied make duplicates (also a twin in the same group), which change nothing
  (read in the statement after the intent locks, so a twin's commit is seen);
* ONE statement writes it all: the ledger entries (the payment and its charge to the order),
  the orders, the intents, their reminder jobs cancelled, the follow-up jobs, and the stored
  events (their unique ``dedupe_key`` set here, as one by one).

What hangs off a payment — commission, loyalty points, referral bonus, webhooks, the fiscal
receipt, the client's receipt and the staff notice — is a ``payments.settled`` job written in
the same transaction, so it exists exactly when the money does and runs once.

Anything else in the group (unknown link, mismatch, failure, refund, late money, a link
already paid, points, a second callback of the same client) and a group whose transaction
fails go one by one through :func:`core.payments.processing.apply_callback`, each with its
stored event, and get the answers they get today. A callback that arrives alone is not
grouped at all when no group of its process is in the database.

Up to ``FLIGHTS`` groups of one process are in the database at once: the next group is
stored and takes its locks while the last one writes and commits (with one, callbacks under
load waited a whole transaction before theirs began). Round trips a group: the bodies
stored; then BEGIN, the intents locked, the keys taken with the clients locked, the orders
locked with the balances, the writes, COMMIT (seven; there were eleven).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, cast
from weakref import WeakKeyDictionary

from tortoise.transactions import in_transaction

from core import ledger, metrics
from core.fiscal import receipts as fiscal
from core.jobs import Jobs
from core.loyalty import hooks as loyalty
from core.payments import notices
from core.payments.base import PaymentStatus, ProviderCallback
from core.payments.intents import job_prefix
from core.services import Services
from core.webhooks import events as webhook_events
from storage import payment_batch as sql
from storage.models import (
    EntryKind,
    IntentPurpose,
    IntentStatus,
    Job,
    JobStatus,
    Order,
    OrderStatus,
    PaymentIntent,
)

log = logging.getLogger("tourdesk.payments")

SETTLED = "payments.settled"
WINDOW = 0.002  # seconds a callback waits for company before its group is applied
MAX_GROUP = 200
FLIGHTS = 2  # groups of one process in the database at once


@dataclass(frozen=True, slots=True)
class Credited:
    """What the group did with one callback: ``outcome`` is "credited" or "duplicate"."""

    outcome: str
    event_id: int


@dataclass(slots=True)
class _Item:
    callback: ProviderCallback
    row: sql.EventRow
    future: asyncio.Future[Credited | int | None]
    event_id: int = 0


@dataclass(slots=True)
class _Plan:
    """The statements one group's transaction runs."""

    entries: list[sql.EntryRow] = field(default_factory=list)
    orders: list[tuple[int, int, str]] = field(default_factory=list)
    intents: list[tuple[int, str]] = field(default_factory=list)
    jobs: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    notes: list[tuple[int, str | None, int | None, str]] = field(default_factory=list)
    paid: dict[int, int] = field(default_factory=dict)  # order id -> intent id paid now


class CallbackGroup:
    """One per process (per services container): collects concurrent callbacks."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.pending: list[_Item] = []
        self.task: asyncio.Task[None] | None = None

    async def submit(self, callback: ProviderCallback, row: sql.EventRow) -> Credited | int | None:
        """:class:`Credited` when the group applied it; the stored event's id when it must go
        one by one; None when it was not grouped (nothing stored: the caller does it all)."""
        future: asyncio.Future[Credited | int | None] = asyncio.get_running_loop().create_future()
        self.pending.append(_Item(callback, row, future))
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._drain())
        return await asyncio.shield(future)

    async def _drain(self) -> None:
        """Form groups while callbacks wait: up to ``FLIGHTS`` groups in the database at once
        (the next one is stored and locking while the last one commits); a new group forms
        for ``WINDOW`` before it leaves, unless a flight lands first. A lone callback with
        nothing in flight is not grouped."""
        await asyncio.sleep(WINDOW)
        flying: set[asyncio.Task[None]] = set()
        try:
            while self.pending or flying:
                if self.pending and len(flying) < FLIGHTS:
                    group, self.pending = self.pending[:MAX_GROUP], self.pending[MAX_GROUP:]
                    if len(group) == 1 and not flying:
                        _answer(group[0], None)
                        continue
                    flying.add(asyncio.create_task(self._fly(group)))
                if flying:
                    landed, flying = await asyncio.wait(
                        flying,
                        timeout=WINDOW if len(flying) < FLIGHTS else None,
                        return_when=asyncio.FIRST_COMPLETED,
                    )
                    for task in landed:
                        task.result()  # a flight answers its callers itself; re-raise its error
        finally:
            for task in flying:
                task.cancel()

    async def _fly(self, group: list[_Item]) -> None:
        try:
            await self._flush(group)
        except BaseException:
            for item in group:  # never leave a caller waiting
                _answer(item, item.event_id or None)
            raise

    async def _flush(self, group: list[_Item]) -> None:
        metrics.CALLBACK_GROUP.observe(len(group))
        try:
            ids = await sql.store_events([item.row for item in group])
        except Exception:
            log.exception("payment callbacks: storing a group failed, one by one")
            for item in group:
                _answer(item, None)
            return
        for item, event_id in zip(group, ids, strict=True):
            item.event_id = event_id
        try:
            done = await apply_group(self.services, group)
        except Exception:
            log.exception("payment callbacks: a group of %d failed, one by one", len(group))
            done = {}
        for index, item in enumerate(group):
            _answer(item, done.get(index, item.event_id))


def _answer(item: _Item, value: Credited | int | None) -> None:
    if not item.future.done():
        item.future.set_result(value)


_groups: WeakKeyDictionary[Jobs, CallbackGroup | None] = WeakKeyDictionary()


def group_of(services: Services) -> CallbackGroup | None:
    """The process's group for ``services`` (PostgreSQL only; SQLite runs one by one). The
    answer is kept per services container (one database each), not asked per callback."""
    try:
        return _groups[services.jobs]
    except KeyError:
        group = _groups[services.jobs] = CallbackGroup(services) if sql.is_postgres() else None
        return group


def groupable(callback: ProviderCallback) -> bool:
    return callback.status is PaymentStatus.SUCCESS


async def apply_group(services: Services, group: list[_Item]) -> dict[int, Credited]:
    """Apply the plain successes of ``group`` in one transaction; {index: what happened}.
    Indexes left out go one by one.

    Six round trips whatever the group's size: BEGIN; the intents locked; then (seeing
    whatever a twin committed before we had them) the keys and references taken, points
    reserved, and the clients locked; then the orders locked with the clients' balances and
    the orders' other open links; then the writes; then COMMIT."""
    now = services.clock.now()
    done: dict[int, Credited] = {}
    async with in_transaction() as conn:
        intents = {
            str(r["reference"]): r
            for r in await sql.lock_intents(conn, sorted({i.callback.reference for i in group}))
        }
        candidates = [
            intents[i.callback.reference]
            for i in group
            if i.callback.reference in intents and _looks_plain(i.callback, intents)
        ]
        taken = await sql.taken_and_lock_clients(
            conn,
            [i.callback.dedupe_key for i in group],
            [i.callback.ledger_reference for i in group],
            [int(r["id"]) for r in candidates] if services.rules.loyalty.enabled else [],
            [int(r["client_id"]) for r in candidates],
        )
        plain, twins = _plain(group, intents, taken.applied, taken.used)
        plain = [
            i for i in plain if intents[group[i].callback.reference]["id"] not in taken.reserved
        ]
        plan = _Plan()
        siblings: set[int] = set()
        if plain:
            chosen = [intents[group[i].callback.reference] for i in plain]
            locked = await sql.lock_orders_and_read(
                conn,
                [int(r["order_id"]) for r in chosen],
                [int(r["client_id"]) for r in chosen],
                [int(r["id"]) for r in chosen],
                IntentStatus.PENDING.value,
            )
            for index in plain:
                item = group[index]
                intent = intents[item.callback.reference]
                order = locked.orders.get(int(intent["order_id"]))
                if _settle(services, item, intent, order, locked.balances, plan):
                    done[index] = Credited("credited", item.event_id)
            siblings = locked.siblings & set(plan.paid)
        for index, leader in twins.items():
            # applied before, or a twin of one credited now; a twin of one that goes one by
            # one goes one by one too (after it, it finds the key taken)
            if leader is None or leader in done:
                item = group[index]
                intent_row = intents.get(item.callback.reference)
                intent_id = int(intent_row["id"]) if intent_row else None
                plan.notes.append((item.event_id, None, intent_id, "duplicate"))
                done[index] = Credited("duplicate", item.event_id)
        await _write(services, conn, plan, now, siblings)
    return done


def _looks_plain(cb: ProviderCallback, intents: dict[str, dict[str, Any]]) -> bool:
    """What its intent row alone says about a callback being plain (the rest needs the keys
    taken): only these have their clients locked."""
    intent = intents[cb.reference]
    return (
        groupable(cb)
        and intent["provider"] == cb.provider
        and intent["status"] == IntentStatus.PENDING.value
        and intent["purpose"] == IntentPurpose.ORDER.value
        and bool(intent["order_id"])
        and cb.amount == int(intent["amount"])
        and cb.currency == intent["currency"]
    )


def _plain(
    group: list[_Item],
    intents: dict[str, dict[str, Any]],
    applied: set[str],
    used: set[str],
) -> tuple[list[int], dict[int, int | None]]:
    """Indexes of the callbacks the group can apply itself, and the duplicates: {index: the
    index of its twin earlier in the group, or None when the key was applied before}."""
    plain: list[int] = []
    twins: dict[int, int | None] = {}
    first: dict[str, int] = {}
    busy: set[tuple[str, int]] = set()  # intents, clients, orders a callback of the group has
    for index, item in enumerate(group):
        cb = item.callback
        if cb.dedupe_key in applied:
            twins[index] = None
            continue
        if cb.dedupe_key in first:
            twins[index] = first[cb.dedupe_key]
            continue
        first[cb.dedupe_key] = index
        intent = intents.get(cb.reference)
        if intent is None or not groupable(cb) or cb.ledger_reference in used:
            continue
        rows = {
            ("intent", int(intent["id"])),
            ("client", int(intent["client_id"])),
            ("order", int(intent["order_id"] or 0)),
        }
        clash = bool(rows & busy)
        busy |= rows
        if not clash and _looks_plain(cb, intents):
            plain.append(index)
    return plain, twins


def _settle(
    services: Services,
    item: _Item,
    intent: dict[str, Any],
    row: dict[str, Any] | None,
    money: dict[tuple[int, str], int],
    plan: _Plan,
) -> bool:
    """Plan one plain payment and its charge to the order; False when it is not plain after
    all (the order takes nothing now, or belongs elsewhere): it goes one by one."""
    cb = item.callback
    client_id = int(intent["client_id"])
    if row is None or int(row["client_id"]) != client_id or row["currency"] != cb.currency:
        return False
    # the fields ledger.status_after reads (a model instance costs more than the rest)
    order = cast(
        Order,
        SimpleNamespace(
            id=int(row["id"]),
            status=OrderStatus(row["status"]),
            price=int(row["price"]),
            paid=int(row["paid"]),
            currency=row["currency"],
            prepayment_percent=row["prepayment_percent"],
        ),
    )
    balance = money.get((client_id, cb.currency), 0) + cb.amount
    charge = min(cb.amount, balance)
    remaining = order.price - order.paid
    if order.status not in ledger.PAYABLE or remaining <= 0 or charge <= 0:
        return False
    settled = min(charge, remaining)
    before = order.status
    order.paid += settled
    order.status = ledger.status_after(order, services.rules.payments.prepayment_percent)
    reference = cb.ledger_reference
    intent_id = int(intent["id"])
    plan.entries += [
        sql.EntryRow(client_id, cb.amount, cb.currency, EntryKind.PAYMENT.value, reference,
                     f"{cb.provider} {cb.raw_status}", order.id, intent_id),
        sql.EntryRow(client_id, -settled, order.currency, EntryKind.ORDER_CHARGE.value,
                     f"{reference}:order:{order.id}", "paid by provider", order.id, intent_id),
    ]  # fmt: skip
    plan.orders.append((order.id, order.paid, order.status.value))
    plan.intents.append((intent_id, cb.payment_id[:128]))
    plan.paid[order.id] = intent_id
    plan.jobs.append(
        (
            f"{SETTLED}:{reference}"[:191],
            {
                "intent": intent_id,
                "reference": reference,
                "key": cb.dedupe_key,
                "amount": cb.amount,
                "currency": cb.currency,
                "provider": cb.provider,
                "payment_id": cb.payment_id,
                "settled": settled,
                "before": before.value,
            },
        )
    )
    plan.notes.append((item.event_id, cb.dedupe_key, intent_id, "credited"))
    return True


async def _write(services: Services, conn: Any, plan: _Plan, now: Any, siblings: set[int]) -> None:
    """The group's writes in one statement (:func:`storage.payment_batch.write_group`); the
    other open links of the orders paid now (``siblings``, found while the orders were
    locked; the statement changes none of them) are retired after it, as one by one."""
    keys = [job_prefix(i) + what for i, _ in plan.intents for what in ("remind", "expire")]
    writes = sql.GroupWrites(
        entries=plan.entries,
        orders=plan.orders,
        intents=plan.intents,
        intent_status=IntentStatus.PAID.value,
        cancel_jobs=keys,
        job_statuses=(JobStatus.PENDING.value, JobStatus.CANCELLED.value),
        job_kind=SETTLED,
        jobs=plan.jobs,
        notes=plan.notes,
    )
    await sql.write_group(conn, writes, now)
    await _retire_siblings(services, plan, siblings)


async def _retire_siblings(services: Services, plan: _Plan, orders: set[int]) -> None:
    """Other open links of the orders paid now: as one by one (rare; found in one query)."""
    from core.payments.processing import retire_siblings

    for order_id in sorted(orders):
        paid = await PaymentIntent.get(id=plan.paid[order_id])
        await retire_siblings(services, paid, await Order.get(id=order_id))


async def settled(services: Services, job: Job) -> None:
    """What hangs off a payment the group credited, once: commission and points, webhooks,
    the fiscal receipt, the client's receipt and the staff notice (all keyed by the payment,
    so a job run again after a crash adds nothing)."""
    p = job.payload
    async with in_transaction():
        intent = await PaymentIntent.filter(id=p["intent"]).select_for_update().first()
        if intent is None:
            return
        client = await ledger.lock_client(intent.client_id)
        order = await ledger.lock_order(intent.order_id) if intent.order_id else None
        if order is None:
            return
        reference, amount, currency = p["reference"], int(p["amount"]), p["currency"]
        earned = await loyalty.after_payment(services, client.id, order, int(p["settled"]),
                                             reference)  # fmt: skip
        await webhook_events.payment_succeeded(
            services, intent, reference=reference, amount=amount, currency=currency,
            provider=p["provider"], payment_id=p["payment_id"], order=order,
        )  # fmt: skip
        await webhook_events.order_status_changed(services, order, p["before"], reference)
        await fiscal.plan_sell(
            services, reference=reference, client_id=client.id, order_id=order.id,
            order_number=order.number, amount=amount, currency=currency,
        )  # fmt: skip
        key = f"pay:{p['key']}"
        render = loyalty.with_earned(
            notices.receipt_order(services, amount, currency, order), earned
        )
        await notices.tell_client(services, client, render, kind="payment-receipt", dedupe_key=key)
        await notices.tell_staff(
            services,
            notices.staff_text(
                "pay-staff-received",
                amount=(amount, currency),
                client=client.display_name,
                what=lambda t: notices.what(t, order),
                provider=p["provider"],
            ),
            kind="payment-received",
            dedupe_key=f"{key}:staff",
            client=client,
            order=order,
            details={"amount": amount, "currency": currency, "provider": p["provider"]},
        )


def register(services: Services) -> None:
    async def _settled(job: Job) -> None:
        await settled(services, job)

    services.jobs.handler(SETTLED)(_settled)
