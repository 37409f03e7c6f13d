"""The append-only ledger: a client's balance is the sum of their entries in one currency.

Every write happens inside a transaction with the client's row locked (``SELECT … FOR UPDATE``
on PostgreSQL; SQLite transactions are serialised), so a balance check and the entry it allows
can never interleave with another: a balance never goes below zero through a spend or an
adjustment. Every entry has a unique ``reference``; an entry that comes from outside (a
provider's payment) uses the provider's payment id, so it can never be written twice.

Lock order everywhere: payment intent, then client, then order.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from core.audit import audit
from core.errors import DomainError, Forbidden, InvalidInput, NotFound
from core.money import CURRENCIES
from storage.models import (
    Client,
    EntryKind,
    LedgerEntry,
    Order,
    OrderStatus,
    Role,
    Staff,
)

PAYABLE = (OrderStatus.BOOKED, OrderStatus.CONFIRMED)
ADJUSTERS = (Role.ADMIN, Role.ACCOUNTANT)


class InsufficientBalance(DomainError):
    pass


@dataclass(frozen=True, slots=True)
class Settlement:
    """What paying an order did: the charge entry and the order afterwards."""

    entry: LedgerEntry
    order: Order
    amount: int


async def balances(client_id: int) -> dict[str, int]:
    rows = (
        await LedgerEntry.filter(client_id=client_id)
        .annotate(total=Sum("amount"))
        .group_by("currency")
        .values("currency", "total")
    )
    return {str(r["currency"]): int(r["total"] or 0) for r in rows}


async def balance(client_id: int, currency: str) -> int:
    return (await balances(client_id)).get(currency, 0)


async def recent(client_id: int, limit: int = 5) -> list[LedgerEntry]:
    return (
        await LedgerEntry.filter(client_id=client_id)
        .order_by("-created_at", "-id")
        .limit(limit)
        .prefetch_related("order")
    )


async def lock_client(client_id: int) -> Client:
    """The client row, locked until the surrounding transaction ends."""
    client = await Client.filter(id=client_id).select_for_update().first()
    if client is None:
        raise NotFound("pay-client-not-found")
    return client


async def lock_order(order_id: int) -> Order | None:
    return await Order.filter(id=order_id).select_for_update().first()


def prepayment_due(order: Order, default_percent: int) -> int:
    """The amount that confirms a booking: the order's (or the agency's) share, rounded up."""
    percent = order.prepayment_percent or default_percent
    return min(order.price, (order.price * percent + 99) // 100)


def status_after(order: Order, default_percent: int) -> OrderStatus:
    """Order status after ``order.paid`` changed: paid when covered, confirmed from prepayment."""
    if order.status in (OrderStatus.CANCELLED, OrderStatus.COMPLETED):
        return order.status
    if order.paid >= order.price:
        return OrderStatus.PAID
    if order.status is OrderStatus.PAID:  # a refund took money back
        return OrderStatus.CONFIRMED
    if order.paid >= prepayment_due(order, default_percent) and order.status in (
        OrderStatus.DRAFT,
        OrderStatus.BOOKED,
    ):
        return OrderStatus.CONFIRMED
    return order.status


async def reference_used(reference: str) -> bool:
    return await LedgerEntry.filter(reference=reference).exists()


async def append(
    client_id: int,
    amount: int,
    currency: str,
    kind: EntryKind,
    reference: str,
    *,
    order_id: int | None = None,
    intent_id: int | None = None,
    staff_id: int | None = None,
    reason: str = "",
) -> LedgerEntry:
    """Write one entry. Callers hold the client's lock inside a transaction."""
    if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0:
        raise ValueError("a ledger entry is a non-zero int in minor units")
    if currency not in CURRENCIES:
        raise ValueError(f"unknown currency {currency!r}")
    return await LedgerEntry.create(
        client_id=client_id,
        amount=amount,
        currency=currency,
        kind=kind,
        reference=reference,
        order_id=order_id,
        intent_id=intent_id,
        staff_id=staff_id,
        reason=reason,
    )


async def credit(
    client_id: int,
    amount: int,
    currency: str,
    kind: EntryKind,
    reference: str,
    *,
    reason: str = "",
) -> LedgerEntry | None:
    """Add money from outside (bonus, import) once: None when ``reference`` was used before."""
    if amount <= 0:
        raise ValueError("a credit is positive")
    async with in_transaction():
        await lock_client(client_id)
        if await reference_used(reference):
            return None
        return await append(client_id, amount, currency, kind, reference, reason=reason)


async def charge_order_locked(
    client_id: int,
    order: Order,
    amount: int,
    reference: str,
    *,
    default_percent: int,
    intent_id: int | None = None,
    reason: str = "",
    available: int | None = None,
) -> Settlement:
    """Spend ``amount`` of the balance on ``order`` (client and order rows already locked).

    ``available``: the balance in the order's currency, when the caller just summed it under
    the same lock (saves summing it again)."""
    if amount <= 0:
        raise InvalidInput("pay-nothing-due")
    if order.client_id != client_id:
        raise Forbidden("pay-order-not-found")
    if order.status not in PAYABLE:
        raise DomainError("pay-order-closed")
    if amount > order.remaining:
        raise InvalidInput("pay-more-than-due")
    if available is None:
        available = await balance(client_id, order.currency)
    if available < amount:
        raise InsufficientBalance("balpay-insufficient")
    entry = await append(
        client_id,
        -amount,
        order.currency,
        EntryKind.ORDER_CHARGE,
        reference,
        order_id=order.id,
        intent_id=intent_id,
        reason=reason,
    )
    order.paid += amount
    order.status = status_after(order, default_percent)
    await order.save(update_fields=["paid", "status", "updated_at"])
    return Settlement(entry, order, amount)


async def pay_order_from_balance(
    client_id: int, order_id: int, amount: int, *, default_percent: int
) -> Settlement:
    """The client pays (part of) an order from their balance; refuses to overdraw."""
    async with in_transaction():
        await lock_client(client_id)
        order = await lock_order(order_id)
        if order is None or order.client_id != client_id:
            raise Forbidden("pay-order-not-found")
        settlement = await charge_order_locked(
            client_id,
            order,
            amount,
            f"balance:{order.id}:{uuid.uuid4().hex}",
            default_percent=default_percent,
            reason="paid from balance",
        )
        await audit(
            f"client:{client_id}",
            "order-paid-from-balance",
            subject=f"order:{order.number}",
            details={"amount": amount, "currency": order.currency},
        )
        return settlement


async def adjust(
    client_id: int,
    amount: int,
    currency: str,
    *,
    reason: str,
    staff_id: int,
    reference: str | None = None,
) -> LedgerEntry:
    """A staff correction (admins and accountants only), always with a reason, always audited.

    A negative adjustment may not take the balance below zero. With ``reference`` a repeated
    call (a double press) is refused by the unique reference.
    """
    staff = await Staff.get_or_none(id=staff_id, active=True)
    if staff is None or staff.role not in ADJUSTERS:
        raise Forbidden("ledger-adjust-forbidden")
    if not reason.strip():
        raise InvalidInput("ledger-adjust-reason")
    if amount == 0 or currency not in CURRENCIES:
        raise InvalidInput("error-amount")
    ref = reference or f"adjust:{uuid.uuid4().hex}"
    async with in_transaction():
        await lock_client(client_id)
        if await reference_used(ref):
            raise DomainError("ledger-adjust-duplicate")
        if amount < 0 and await balance(client_id, currency) + amount < 0:
            raise InsufficientBalance("ledger-adjust-negative")
        entry = await append(
            client_id,
            amount,
            currency,
            EntryKind.ADJUSTMENT,
            ref,
            staff_id=staff.id,
            reason=reason.strip(),
        )
        await audit(
            staff,
            "balance-adjust",
            subject=f"client:{client_id}",
            details={"amount": amount, "currency": currency, "reason": reason.strip()},
        )
        return entry
