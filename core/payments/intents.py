"""Payment intents: what we ask a client to pay, behind our short link ``/pay/{token}``.

An intent pays an order (the remaining amount, the prepayment share, or an amount staff chose)
or tops up the balance. It carries a unique ``token`` (our link), a unique ``reference`` (the
provider's order id) and ``expires_at``; creating one plans its reminder and expiry jobs in
the same transaction.
"""

from __future__ import annotations

import asyncio
import secrets
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Literal
from weakref import WeakKeyDictionary

from tortoise.transactions import in_transaction

from core.contract import AnyButton, Button, ChannelName, LinkButton, Reply
from core.errors import DomainError, InvalidInput
from core.i18n import T
from core.jobs import Jobs
from core.ledger import PAYABLE, prepayment_due
from core.money import CURRENCIES
from core.payloads import PayloadError, decode, encode
from core.payments.base import CheckoutRequest
from core.payments.registry import payment_providers, public_base
from core.services import Services
from core.settings import Settings
from storage.models import (
    Client,
    IntentPurpose,
    IntentStatus,
    Job,
    JobStatus,
    Order,
    OrderStatus,
    PaymentIntent,
    Staff,
)

Share = Literal["remaining", "prepayment"]

REMIND = "payments.remind"
EXPIRE = "payments.expire"
RECONCILE = "payments.reconcile"
REUSE_MARGIN = timedelta(minutes=5)


def pay_link(settings: Settings, intent: PaymentIntent) -> str:
    return f"{public_base(settings)}/pay/{intent.token}"


async def pay_button(
    services: Services, channel: ChannelName, order: Order, label: str
) -> Button | LinkButton:
    """The Pay button of a message about ``order`` on ``channel``: the chat's own button (it
    opens the order's Pay screen) in a chat, else a link paying what is left (a channel that
    reaches people by an address, e-mail or SMS, has no chat to press a button in: a reusable
    link, never a booking deadline of its own)."""
    info = services.channels.get(channel)
    button = Button(label, encode("pay", order.id))
    if info is None or info.capabilities.address is None:
        return button
    try:
        intent = await create_order_intent(
            services, order, share="remaining", is_prepayment=False, remind=False
        )
    except DomainError:  # no payment provider here, nothing payable: the label alone
        return button
    return LinkButton(label, pay_link(services.settings, intent))


async def with_pay_links(services: Services, channel: ChannelName, reply: Reply) -> Reply:
    """``reply`` for ``channel``: where the channel has no chat (e-mail, SMS), each chat Pay
    button becomes a link paying what is left of its order (a message that falls back from a
    blocked messenger keeps a way to pay); other buttons and other channels are unchanged."""
    info = services.channels.get(channel)
    if info is None or info.capabilities.address is None:
        return reply
    changed = False
    new_rows: list[tuple[AnyButton, ...]] = []
    for row in reply.buttons:
        out: list[AnyButton] = []
        for button in row:
            order_id = _paid_order(button)
            order = await Order.get_or_none(id=order_id) if order_id is not None else None
            if order is not None:
                button = await pay_button(services, channel, order, button.label)
                changed = True
            out.append(button)
        new_rows.append(tuple(out))
    return replace(reply, buttons=tuple(new_rows)) if changed else reply


def _paid_order(button: AnyButton) -> int | None:
    """The order a chat "pay" button opens, or None."""
    if not isinstance(button, Button):
        return None
    try:
        payload = decode(button.payload)
        return payload.int_arg(0) if payload.action == "pay" else None
    except PayloadError:
        return None


def callback_url(settings: Settings, provider: str) -> str:
    return f"{public_base(settings)}/payments/{provider}/callback"


def job_prefix(intent_id: int) -> str:
    return f"payments:{intent_id}:"


async def cancel_jobs(intent_id: int) -> int:
    """Drop the reminder and expiry of a settled link (exact keys: the unique index serves)."""
    prefix = job_prefix(intent_id)
    return await Job.filter(
        dedupe_key__in=[prefix + "remind", prefix + "expire"], status=JobStatus.PENDING
    ).update(status=JobStatus.CANCELLED)


def share_amount(order: Order, share: Share, default_percent: int) -> int:
    """What the client pays now: the remaining amount, or what is still missing of the
    prepayment (the remaining amount once the prepayment is covered)."""
    if share == "prepayment":
        missing = prepayment_due(order, default_percent) - order.paid
        if missing > 0:
            return min(missing, order.remaining)
    return order.remaining


def describe(t: T, intent: PaymentIntent, order: Order | None) -> str:
    if order is not None:
        return t("pay-what-order", number=order.number, destination=order.destination)
    return t("pay-what-topup")


def checkout_request(
    services: Services, intent: PaymentIntent, order: Order | None, locale: str
) -> CheckoutRequest:
    settings = services.settings
    return CheckoutRequest(
        reference=intent.reference,
        amount=intent.amount,
        currency=intent.currency,
        description=describe(services.translator(locale), intent, order),
        created_at=intent.created_at,
        expires_at=intent.expires_at,
        now=services.clock.now(),
        locale=locale,
        server_url=callback_url(settings, intent.provider),
        result_url=f"{pay_link(settings, intent)}/done",
    )


async def _reusable(
    client_id: int,
    order_id: int | None,
    purpose: IntentPurpose,
    amount: int,
    currency: str,
    provider: str,
    now: datetime,
) -> PaymentIntent | None:
    """A live link for exactly this payment: pressing Pay twice gives the same link."""
    return (
        await PaymentIntent.filter(
            client_id=client_id,
            order_id=order_id,
            purpose=purpose,
            amount=amount,
            currency=currency,
            provider=provider,
            status=IntentStatus.PENDING,
            expires_at__gt=now + REUSE_MARGIN,
        )
        .order_by("-expires_at")
        .first()
    )


async def _create(
    services: Services,
    *,
    client_id: int,
    order_id: int | None,
    purpose: IntentPurpose,
    amount: int,
    currency: str,
    provider: str,
    is_prepayment: bool,
    staff_id: int | None,
    expires_at: datetime,
    remind: bool = True,
) -> PaymentIntent:
    """Insert the intent and plan its reminder (unless ``remind`` is off) and expiry (call
    inside a transaction)."""
    now = services.clock.now()
    intent = await PaymentIntent.create(
        created_at=now,  # our clock: reconciliation and the provider's order date read it
        token=secrets.token_urlsafe(12),
        reference=f"td{secrets.token_hex(8)}",
        client_id=client_id,
        order_id=order_id,
        purpose=purpose,
        amount=amount,
        currency=currency,
        provider=provider,
        is_prepayment=is_prepayment,
        created_by_id=staff_id,
        expires_at=expires_at,
    )
    rules = services.rules.payments
    prefix = job_prefix(intent.id)
    if remind and rules.expiry_reminder_hours > 0:
        remind_at = expires_at - timedelta(hours=rules.expiry_reminder_hours)
        if remind_at > now:
            await services.jobs.schedule(
                REMIND, remind_at, {"intent": intent.id}, dedupe_key=prefix + "remind"
            )
    await services.jobs.schedule(
        EXPIRE, expires_at, {"intent": intent.id}, dedupe_key=prefix + "expire"
    )
    return intent


async def ensure_reconcile(services: Services) -> None:
    """Make sure a reconciliation run is planned (one per time slot, whoever asks)."""
    minutes = services.rules.payments.reconcile_after_minutes
    now = services.clock.now()
    slot = int(now.timestamp() // (minutes * 60)) + 1
    key = f"payments:reconcile:{slot}"
    if _planned.get(services.jobs) == key:
        return  # this process saw the row already; a job row is never deleted before it ran
    lock = _planning.setdefault(services.jobs, asyncio.Lock())
    async with lock:  # the callbacks of a burst ask once, not each with its own query
        if _planned.get(services.jobs) == key:
            return
        if not await Job.filter(dedupe_key=key).exists():
            run_at = datetime.fromtimestamp(slot * minutes * 60, tz=now.tzinfo)
            await services.jobs.schedule(RECONCILE, run_at, {}, dedupe_key=key)
        _planned[services.jobs] = key


# The reconciliation slot each job queue (one per services container) is known to have
# planned: every callback asks, and the answer changes once per slot.
_planned: WeakKeyDictionary[Jobs, str] = WeakKeyDictionary()
_planning: WeakKeyDictionary[Jobs, asyncio.Lock] = WeakKeyDictionary()


async def create_order_intent(
    services: Services,
    order: Order,
    *,
    share: Share = "remaining",
    amount: int | None = None,
    provider: str | None = None,
    staff: Staff | None = None,
    is_prepayment: bool | None = None,
    remind: bool = True,
) -> PaymentIntent:
    """A link to pay ``order``: ``amount`` (staff), else the ``share`` of it; ``remind`` off:
    no "your link expires soon" message (a link the client did not ask for).

    ``is_prepayment`` (default: the order is an unconfirmed booking) makes the link's expiry the
    booking's deadline: unpaid by then, the booking is cancelled.
    """
    if order.status not in PAYABLE:
        raise DomainError("pay-order-closed")
    percent = services.rules.payments.prepayment_percent
    due = share_amount(order, share, percent) if amount is None else amount
    if due <= 0 or order.remaining <= 0:
        raise InvalidInput("pay-nothing-due")
    if due > order.remaining:
        raise InvalidInput("pay-more-than-due")
    chosen = payment_providers(services).choose(provider)
    now = services.clock.now()
    if is_prepayment is None:
        is_prepayment = order.status is OrderStatus.BOOKED and order.paid < prepayment_due(
            order, percent
        )
    client_id: int = order.client_id
    existing = await _reusable(
        client_id, order.id, IntentPurpose.ORDER, due, order.currency, chosen.name, now
    )
    if existing is not None:
        return existing
    lifetime = timedelta(hours=services.rules.payments.link_lifetime_hours)
    async with in_transaction():
        intent = await _create(
            services,
            client_id=client_id,
            order_id=order.id,
            purpose=IntentPurpose.ORDER,
            amount=due,
            currency=order.currency,
            provider=chosen.name,
            is_prepayment=is_prepayment,
            staff_id=staff.id if staff else None,
            expires_at=now + lifetime,
            remind=remind,
        )
    await ensure_reconcile(services)
    return intent


def check_topup(services: Services, amount: int) -> None:
    rules = services.rules.payments
    if amount in rules.topup_presets:
        return
    if not rules.topup_min <= amount <= rules.topup_max:
        raise InvalidInput("topup-out-of-range")


async def create_topup_intent(
    services: Services,
    client: Client,
    amount: int,
    *,
    currency: str | None = None,
    provider: str | None = None,
    staff: Staff | None = None,
) -> PaymentIntent:
    """A link to add ``amount`` to the client's balance (a preset, or within the bounds)."""
    currency = currency or services.rules.agency.currency
    if currency not in CURRENCIES:
        raise InvalidInput("error-amount")
    check_topup(services, amount)
    chosen = payment_providers(services).choose(provider)
    now = services.clock.now()
    existing = await _reusable(
        client.id, None, IntentPurpose.TOPUP, amount, currency, chosen.name, now
    )
    if existing is not None:
        return existing
    lifetime = timedelta(hours=services.rules.payments.link_lifetime_hours)
    async with in_transaction():
        intent = await _create(
            services,
            client_id=client.id,
            order_id=None,
            purpose=IntentPurpose.TOPUP,
            amount=amount,
            currency=currency,
            provider=chosen.name,
            is_prepayment=False,
            staff_id=staff.id if staff else None,
            expires_at=now + lifetime,
        )
    await ensure_reconcile(services)
    return intent


async def retry_intent_locked(services: Services, failed: PaymentIntent) -> PaymentIntent | None:
    """A fresh link after a failed attempt (inside the callback's transaction).

    A booking's deadline does not move: a prepayment retry expires when the failed link would
    have. Returns None when there is nothing left to pay or no time left.
    """
    now = services.clock.now()
    if failed.provider not in payment_providers(services).names():
        return None
    amount = failed.amount
    if failed.is_prepayment:
        expires_at = failed.expires_at
    else:
        expires_at = now + timedelta(hours=services.rules.payments.link_lifetime_hours)
    if expires_at <= now + timedelta(minutes=1):
        return None
    order_id: int | None = failed.order_id
    if failed.purpose is IntentPurpose.ORDER:
        order = await Order.get_or_none(id=order_id) if order_id else None
        if order is None or order.status not in PAYABLE or order.remaining <= 0:
            return None
        amount = min(amount, order.remaining)
    return await _create(
        services,
        client_id=failed.client_id,
        order_id=order_id,
        purpose=failed.purpose,
        amount=amount,
        currency=failed.currency,
        provider=failed.provider,
        is_prepayment=failed.is_prepayment,
        staff_id=failed.created_by_id,
        expires_at=expires_at,
    )
