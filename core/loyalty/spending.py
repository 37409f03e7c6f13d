"""Paying part of an order with points.

The client sees a quote (points, what they are worth, the rest by link) and confirms. The
points are then *reserved* against the payment link of the rest (``spend:intent:<id>``, one
reservation per link) and become money only when that link is paid: in the payment's own
transaction a money-ledger credit ``points:intent:<id>`` pays the order, right before the card
money does (:func:`convert`). A link that ends unpaid (expired, cancelled, failed) gives the
points back (``return:<spend entry id>``) from a job planned with the reservation, so nothing is
lost on restart. When points cover everything left, they pay at once (no link).

At most ``[loyalty] spend_cap_percent`` of an order's price may be paid with points.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from core import ledger
from core.errors import DomainError, Forbidden, InvalidInput
from core.loyalty import points
from core.loyalty.earning import POINTS_MONEY, plan_lot
from core.payments.intents import create_order_intent
from core.services import Services
from storage.models import (
    Client,
    EntryKind,
    IntentStatus,
    Order,
    PaymentIntent,
    PointsEntry,
    PointsKind,
)

RELEASE = "loyalty.release"
RELEASE_AFTER = timedelta(minutes=5)  # after the link's expiry: its expiry job goes first


@dataclass(frozen=True, slots=True)
class Quote:
    points: int  # to spend
    value: int  # what they pay, minor units of the order's currency
    rest: int  # left to pay by link (0: the points pay everything left)
    available: int  # the client's points before


@dataclass(frozen=True, slots=True)
class Spent:
    quote: Quote
    order: Order
    intent: PaymentIntent | None  # the link for the rest; None when points paid it all


async def used_on(order_id: int) -> int:
    """Minor units of the order paid or reserved with points (returns deducted)."""
    total = 0
    for kind, sign in ((PointsKind.SPEND, 1), (PointsKind.RETURN, -1)):
        rows = (
            await PointsEntry.filter(order_id=order_id, kind=kind, value__gt=0)
            .annotate(total=Sum("value"))
            .values("total")
        )
        total += sign * int((rows[0]["total"] if rows else 0) or 0)
    return total


async def quote(services: Services, client_id: int, order: Order) -> Quote | None:
    """What points can pay of ``order`` now; None when nothing."""
    rules = services.rules.loyalty
    if not rules.enabled or order.status not in ledger.PAYABLE or order.remaining <= 0:
        return None
    available = await points.balance(client_id)
    now = services.clock.now()
    expired = sum(
        lot.left for lot in await points.lots(client_id) if lot.expires_at and lot.expires_at <= now
    )
    available -= expired
    cap = order.price * rules.spend_cap_percent // 100 - await used_on(order.id)
    most = min(cap, order.remaining) // rules.point_value
    spend = min(available, most)
    if spend <= 0:
        return None
    value = spend * rules.point_value
    return Quote(spend, value, order.remaining - value, available)


async def spend(services: Services, client: Client, order_id: int, expected: int) -> Spent:
    """Spend the quoted points on the order; ``expected`` is the quote the client confirmed:
    if the numbers moved since, nothing happens (``loyalty-quote-changed``)."""
    order = await Order.get_or_none(id=order_id)
    if order is None or order.client_id != client.id:
        raise Forbidden("pay-order-not-found")
    if order.status not in ledger.PAYABLE or order.remaining <= 0:
        raise DomainError("pay-order-closed")
    first = await quote(services, client.id, order)
    if first is None or first.points != expected:
        raise InvalidInput("loyalty-quote-changed")
    intent = None
    if first.rest > 0:
        intent = await create_order_intent(services, order, amount=first.rest)
    now = services.clock.now()
    async with in_transaction():
        if intent is not None:  # lock order: intent, client, order
            intent = await PaymentIntent.filter(id=intent.id).select_for_update().get()
        await ledger.lock_client(client.id)
        locked = await ledger.lock_order(order_id)
        assert locked is not None
        await points.expire_due(client.id, now)
        again = await quote(services, client.id, locked)
        if intent is not None:
            reserved = await PointsEntry.get_or_none(reference=f"spend:intent:{intent.id}")
            if reserved is not None:  # pressed twice: the same link, the same reservation
                return Spent(first, locked, intent)
        if again is None or again != first:
            raise InvalidInput("loyalty-quote-changed")
        soonest = await points.lots(client.id)
        entry = await points.append(
            client.id,
            -first.points,
            PointsKind.SPEND,
            f"spend:intent:{intent.id}" if intent else f"spend:order:{order_id}:{uuid.uuid4().hex}",
            now=now,
            order_id=order_id,
            intent_id=intent.id if intent else None,
            lot_id=soonest[0].entry_id if soonest else None,
            value=first.value,
            currency=locked.currency,
            reason="paid with points" if intent is None else "reserved for a payment link",
        )
        assert entry is not None
        if intent is None:
            locked = await _pay(
                services, client.id, locked, entry, f"{POINTS_MONEY}spend:{entry.id}"
            )
            from core.loyalty import hooks  # the order may be paid in full now

            await hooks.after_settled(services, client.id, locked)
        else:
            await services.jobs.schedule(
                RELEASE,
                intent.expires_at + RELEASE_AFTER,
                {"intent": intent.id},
                dedupe_key=f"loyalty:release:{intent.id}",
            )
    return Spent(first, locked, intent)


async def _pay(
    services: Services, client_id: int, order: Order, entry: PointsEntry, reference: str
) -> Order:
    """The points' value becomes money on the balance and pays the order (all locked)."""
    await ledger.append(
        client_id,
        entry.value,
        order.currency,
        EntryKind.BONUS,
        reference,
        order_id=order.id,
        intent_id=entry.intent_id,
        reason=f"{-entry.points} points",
    )
    settled = await ledger.charge_order_locked(
        client_id,
        order,
        entry.value,
        f"{reference}:order",
        default_percent=services.rules.payments.prepayment_percent,
        intent_id=entry.intent_id,
        reason="paid with points",
    )
    return settled.order


async def convert(services: Services, intent: PaymentIntent, order: Order | None) -> Order | None:
    """The link of the rest is paid: its reserved points pay their part of the order first
    (intent, client and order locked, in the payment's transaction). Returns the order after,
    or None when there was nothing to convert."""
    entry = await PointsEntry.get_or_none(reference=f"spend:intent:{intent.id}")
    if entry is None or await points.reference_used(f"return:{entry.id}"):
        return None
    reference = f"{POINTS_MONEY}intent:{intent.id}"
    if await ledger.reference_used(reference):
        return None
    if order is None or order.status not in ledger.PAYABLE or order.remaining < entry.value:
        await give_back(services, entry, "the order takes no more")
        return None
    return await _pay(services, intent.client_id, order, entry, reference)


async def give_back(services: Services, entry: PointsEntry, reason: str) -> PointsEntry | None:
    """Return reserved or spent points (client locked), once: ``return:<spend entry>``.

    As airline and retail programmes reinstate points on a refund, the points come back as
    they were: one lot per lot they were spent from, each with that lot's own expiry (points
    that never expire come back never expiring). A part whose expiry passed meanwhile comes
    back and lapses at once (its expiry job runs now): a return never extends a date. The
    extra parts are ``return:<spend entry>:<lot>``, written with the main one in the same
    transaction, so the main reference alone says whether it was given back."""
    main = f"return:{entry.id}"
    if await points.reference_used(main):
        return None
    parts = await points.drawn(entry.client_id, entry.id)
    if sum(p.left for p in parts) != -entry.points:  # cannot be replayed: as one lot
        lot = await PointsEntry.get_or_none(id=entry.lot_id) if entry.lot_id else None
        parts = [points.Lot(entry.lot_id or 0, -entry.points, lot.expires_at if lot else None)]
    back: PointsEntry | None = None
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        written = await points.append(
            entry.client_id,
            part.left,
            PointsKind.RETURN,
            main if last else f"{main}:{part.entry_id}",
            now=services.clock.now(),
            expires_at=part.expires_at,
            order_id=entry.order_id,
            intent_id=entry.intent_id,
            lot_id=entry.id,  # the spend it gives back
            value=entry.value if last else 0,
            currency=entry.currency,
            reason=reason,
        )
        if written is not None:
            await plan_lot(services, written)
            back = written if last else back
    return back


async def release(services: Services, intent_id: int) -> PointsEntry | None:
    """A link that will not be paid gives its reserved points back, once."""
    async with in_transaction():
        intent = await PaymentIntent.filter(id=intent_id).select_for_update().first()
        if intent is None or intent.status in (IntentStatus.PENDING, IntentStatus.PAID):
            return None
        if intent.status is IntentStatus.REFUNDED:
            return None
        await ledger.lock_client(intent.client_id)
        entry = await PointsEntry.get_or_none(reference=f"spend:intent:{intent.id}")
        if entry is None or await ledger.reference_used(f"{POINTS_MONEY}intent:{intent.id}"):
            return None
        return await give_back(services, entry, f"payment link {intent.status.value}")


async def undo_on_cancel(services: Services, order: Order) -> int:
    """A cancelled order gives back its points (client and order locked, links closed):
    reservations of its unpaid links, and points that paid it — whose money, moved to the
    balance by the cancellation, is taken off again (points never become cash)."""
    returned = 0
    for entry in await PointsEntry.filter(order_id=order.id, kind=PointsKind.SPEND).order_by("id"):
        intent = await PaymentIntent.get_or_none(id=entry.intent_id) if entry.intent_id else None
        money_ref = (
            f"{POINTS_MONEY}intent:{entry.intent_id}"
            if entry.intent_id
            else f"{POINTS_MONEY}spend:{entry.id}"
        )
        converted = await ledger.reference_used(money_ref)
        if not converted and intent is not None and intent.status is IntentStatus.PENDING:
            continue  # still payable? the cancellation closed the links before this
        back = await give_back(services, entry, f"order {order.number} cancelled")
        if back is None or not converted:
            continue
        returned += entry.value
        take = min(entry.value, await ledger.balance(order.client_id, order.currency))
        if take > 0:
            await ledger.append(
                order.client_id,
                -take,
                order.currency,
                EntryKind.BONUS,
                f"{money_ref}:back",
                order_id=order.id,
                reason="points given back as points",
            )
    return returned
