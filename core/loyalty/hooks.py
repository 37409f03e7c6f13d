"""Where money events reach loyalty and commissions: called by core/payments and
core/cancellation inside their own transactions (rows already locked), so points and
commissions change exactly when the money does, and never twice (unique references)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from tortoise.transactions import in_transaction

from core import commissions, ledger
from core.contract import Reply
from core.i18n import T
from core.loyalty import earning, referrals, spending
from core.services import Services
from storage.models import Order, PaymentIntent, PointsEntry, Refund


async def before_charge(
    services: Services, intent: PaymentIntent, order: Order | None
) -> Order | None:
    """A link is paid: points reserved for it pay their part first."""
    return await spending.convert(services, intent, order)


async def after_payment(
    services: Services, client_id: int, order: Order, amount: int, payment_reference: str
) -> PointsEntry | None:
    """``amount`` of a provider payment settled on ``order``; the points it earned, if any."""
    await commissions.on_payment(services, order, amount, payment_reference)
    return await after_settled(services, client_id, order)


async def after_settled(services: Services, client_id: int, order: Order) -> PointsEntry | None:
    """Money (card, balance or points) settled on ``order``."""
    earned = await earning.on_order_paid(services, order)
    await referrals.on_paid(services, client_id, order)
    return earned


def with_earned(render: Callable[[T], Reply], earned: PointsEntry | None) -> Callable[[T], Reply]:
    """The payment receipt, with a line about the points the order earned."""
    if earned is None:
        return render

    def rendered(t: T) -> Reply:
        reply = render(t)
        line = t("loyalty-earned", points=earned.points)
        return replace(reply, text=f"{reply.text}\n{line}")

    return rendered


async def after_balance_payment(services: Services, client_id: int, order_id: int) -> None:
    """The client paid from their balance (its own transaction; idempotent by references)."""
    async with in_transaction():
        await ledger.lock_client(client_id)
        order = await ledger.lock_order(order_id)
        if order is not None:
            await after_settled(services, client_id, order)


async def on_refund(services: Services, refund: Refund) -> None:
    await earning.on_refund(services, refund)
    await commissions.on_refund(services, refund)


async def on_cancelled(services: Services, order: Order, *, released: int) -> None:
    """Client and order locked, links closed, ``released`` of the order's money moved to the
    balance (what the order still holds, the agency keeps)."""
    await spending.undo_on_cancel(services, order)
    await earning.on_cancel(services, order)
    await commissions.on_cancel(services, order, released)


async def on_completed(services: Services, order_id: int) -> None:
    async with in_transaction():
        order = await Order.get(id=order_id)
        await ledger.lock_client(order.client_id)
        locked = await ledger.lock_order(order_id)
        if locked is not None:
            await earning.on_order_completed(services, locked)
