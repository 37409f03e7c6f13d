"""Refunds through a payment provider, each applied exactly once.

A refund is a :class:`Refund` row: asked for by staff (cancelling an order, money back to the
card) or learnt from a provider's callback (a refund made in the provider's own cabinet). The
balance is debited once per row (ledger reference ``refund:<id>``) when the provider confirms,
in its synchronous answer or in its callback, whichever comes first. Callbacks are keyed by the
provider's refund identity (:attr:`ProviderCallback.dedupe_key`), so several partial refunds of
one payment each count once and a repeated callback counts once; a callback for a refund we
asked for claims our row (same payment, same amount) instead of debiting again. What is
refunded of a payment never exceeds what it paid.
"""

from __future__ import annotations

import logging

from tortoise.transactions import in_transaction

from core import ledger
from core.audit import audit
from core.fiscal import receipts as fiscal
from core.loyalty import hooks as loyalty
from core.payments import notices
from core.payments.base import (
    ProviderCallback,
    ProviderUnavailable,
    RefundAnswer,
    RefundOutcome,
    RefundRequest,
)
from core.payments.intents import cancel_jobs
from core.payments.registry import payment_providers
from core.services import Services
from core.webhooks import events as webhook_events
from storage.models import (
    Client,
    EntryKind,
    IntentStatus,
    LedgerEntry,
    Order,
    PaymentIntent,
    Refund,
    RefundStatus,
)

log = logging.getLogger("tourdesk.payments")

LIVE = (RefundStatus.REQUESTED, RefundStatus.DONE)
# the audit action of each answer to a refund we asked for (one key each: the log's sentences)
REFUND_AUDIT = {
    RefundOutcome.DONE: "refund-done",
    RefundOutcome.PENDING: "refund-pending",
    RefundOutcome.FAILED: "refund-failed",
}


async def refunded_total(intent_id: int, statuses: tuple[RefundStatus, ...] = LIVE) -> int:
    """What of this payment is refunded or being refunded."""
    amounts = await Refund.filter(intent_id=intent_id, status__in=statuses).values_list(
        "amount", flat=True
    )
    return sum(int(a) for a in amounts)  # type: ignore[call-overload]


def payment_reference(intent: PaymentIntent, payment_id: str) -> str:
    """The ledger reference of the payment a refund returns."""
    return f"{intent.provider}:{intent.provider_payment_id or payment_id}"


def refund_key(provider: str, payment_id: str, refund_id: str) -> str:
    """The same key a callback of this refund carries (:attr:`ProviderCallback.dedupe_key`)."""
    return f"{provider}:{payment_id}:refund:{refund_id}"[:191]


async def cover(
    services: Services,
    client_id: int,
    amount: int,
    currency: str,
    prefer_order: int | None,
    reference: str,
) -> None:
    """Make room on the balance for a refund by reversing what it paid for.

    Money spent on orders comes back from them (the refund's order first), so the balance
    stays the sum of what really happened and does not go below zero.
    """
    shortfall = amount - await ledger.balance(client_id, currency)
    if shortfall <= 0:
        return
    candidates = await Order.filter(client_id=client_id, currency=currency, paid__gt=0).order_by(
        "-id"
    )
    candidates.sort(key=lambda o: o.id != prefer_order)
    percent = services.rules.payments.prepayment_percent
    for candidate in candidates:
        order = await ledger.lock_order(candidate.id)
        if order is None or order.paid <= 0:
            continue
        back = min(shortfall, order.paid)
        before = order.status
        await ledger.append(
            client_id,
            back,
            currency,
            EntryKind.ORDER_CHARGE,
            f"{reference}:unsettle:{order.id}",
            order_id=order.id,
            reason="reversed: payment refunded",
        )
        order.paid -= back
        order.status = ledger.status_after(order, percent)
        await order.save(update_fields=["paid", "status", "updated_at"])
        await webhook_events.order_status_changed(
            services, order, before, f"{reference}:unsettle:{order.id}"
        )
        shortfall -= back
        if shortfall <= 0:
            return


async def _debit(services: Services, refund: Refund, intent: PaymentIntent, reason: str) -> None:
    """The provider returned the money: take it off the balance, once (client locked)."""
    reference = f"refund:{refund.id}"
    await cover(
        services, refund.client_id, refund.amount, refund.currency, refund.order_id, reference
    )
    await ledger.append(
        refund.client_id,
        -refund.amount,
        refund.currency,
        EntryKind.REFUND,
        reference,
        order_id=refund.order_id,
        intent_id=intent.id,
        staff_id=refund.staff_id,
        reason=reason,
    )
    refund.status = RefundStatus.DONE
    await refund.save(update_fields=["status", "provider_key", "note", "updated_at"])
    await webhook_events.payment_refunded(services, refund)
    order = await Order.get_or_none(id=refund.order_id) if refund.order_id else None
    await fiscal.plan_return(
        services,
        reference=reference,
        client_id=refund.client_id,
        order_id=refund.order_id,
        order_number=order.number if order else None,
        amount=refund.amount,
        currency=refund.currency,
    )
    await loyalty.on_refund(services, refund)  # points and the manager's commission
    if await refunded_total(intent.id, (RefundStatus.DONE,)) >= intent.amount:
        intent.status = IntentStatus.REFUNDED
        await intent.save(update_fields=["status", "updated_at"])
    await cancel_jobs(intent.id)


async def on_callback(services: Services, intent: PaymentIntent, cb: ProviderCallback) -> str:
    """A provider says money of ``intent`` went back (intent row locked by the caller)."""
    client = await ledger.lock_client(intent.client_id)
    paid = payment_reference(intent, cb.payment_id)
    if not await ledger.reference_used(paid):
        # The refund overtook its success: record the payment now so it can never credit later.
        await ledger.append(
            client.id,
            intent.amount,
            intent.currency,
            EntryKind.PAYMENT,
            paid,
            order_id=intent.order_id,
            intent_id=intent.id,
            reason=f"{cb.provider} payment known from its refund",
        )
        await webhook_events.payment_succeeded(
            services,
            intent,
            reference=paid,
            amount=intent.amount,
            currency=intent.currency,
            provider=cb.provider,
            payment_id=cb.payment_id,
            order=await Order.get_or_none(id=intent.order_id) if intent.order_id else None,
        )
    key = cb.dedupe_key
    if await Refund.filter(provider_key=key).exists():
        return "duplicate"
    if await _adopt_legacy(intent, client, cb, paid):
        return "duplicate"
    reason = f"{cb.provider} {cb.raw_status}"
    ours = (
        await Refund.filter(
            intent_id=intent.id, provider_key__isnull=True, amount=cb.amount, status__in=LIVE
        )
        .select_for_update()
        .order_by("id")
        .first()
    )
    if ours is not None:  # the callback of a refund we asked for
        ours.provider_key = key
        if ours.status is RefundStatus.DONE:
            await ours.save(update_fields=["provider_key", "updated_at"])
            return "refund_confirmed"
        await _debit(services, ours, intent, reason)
        await notices.tell_staff(
            services,
            notices.staff_text(
                "money-staff-refund-confirmed",
                amount=(cb.amount, cb.currency),
                provider=cb.provider,
                client=client.display_name,
            ),
            kind="payment-alert",
            dedupe_key=f"pay:{key}:staff",
        )
        return "refunded"
    if await refunded_total(intent.id) + cb.amount > intent.amount:
        await _too_much(services, intent, client, cb)
        return "refund_exceeds_paid"
    refund = await Refund.create(
        intent_id=intent.id,
        client_id=client.id,
        order_id=intent.order_id,
        provider=cb.provider,
        amount=cb.amount,
        currency=cb.currency,
        provider_key=key,
    )
    await _debit(services, refund, intent, reason)
    await _tell_refunded(services, intent, client, cb)
    return "refunded"


async def _adopt_legacy(
    intent: PaymentIntent, client: Client, cb: ProviderCallback, paid: str
) -> bool:
    """A refund recorded before refunds had rows (ledger ``<payment>:refund``) gets its row on
    the first callback that repeats it, so it counts once and towards the cap."""
    if await Refund.filter(intent_id=intent.id).exists():
        return False
    legacy = await LedgerEntry.filter(reference=f"{paid}:refund", kind=EntryKind.REFUND).first()
    if legacy is None:
        return False
    await Refund.create(
        intent_id=intent.id,
        client_id=client.id,
        order_id=legacy.order_id,
        provider=intent.provider,
        amount=-legacy.amount,
        currency=legacy.currency,
        status=RefundStatus.DONE,
        provider_key=cb.dedupe_key if -legacy.amount == cb.amount else f"legacy:{legacy.id}",
        note="recorded before refunds had their own rows",
    )
    return -legacy.amount == cb.amount


async def _too_much(
    services: Services, intent: PaymentIntent, client: Client, cb: ProviderCallback
) -> None:
    await notices.tell_staff(
        services,
        notices.staff_text(
            "money-staff-refund-too-much",
            amount=(cb.amount, cb.currency),
            client=client.display_name,
            paid=(intent.amount, intent.currency),
            refunded=(await refunded_total(intent.id), intent.currency),
            reference=intent.reference,
        ),
        kind="payment-alert",
        dedupe_key=f"pay:{cb.dedupe_key}:too-much",
    )
    await audit(
        "system",
        "refund-refused",
        subject=f"intent:{intent.id}",
        details={"amount": cb.amount, "currency": cb.currency, "key": cb.dedupe_key},
    )


async def _tell_refunded(
    services: Services, intent: PaymentIntent, client: Client, cb: ProviderCallback
) -> None:
    order = await Order.get_or_none(id=intent.order_id) if intent.order_id else None
    balance = await ledger.balance(client.id, cb.currency)
    key = f"pay:{cb.dedupe_key}"
    await notices.tell_client(
        services,
        client,
        notices.refunded(cb.amount, cb.currency, order),
        kind="payment-refund",
        dedupe_key=key,
    )
    await notices.tell_staff(
        services,
        notices.staff_text(
            "pay-staff-refund" if balance >= 0 else "pay-staff-refund-debt",
            amount=(cb.amount, cb.currency),
            client=client.display_name,
            what=lambda t: notices.what(t, order),
            balance=(balance, cb.currency),
        ),
        kind="payment-alert",
        dedupe_key=f"{key}:staff",
    )
    await audit(
        "system",
        "payment-refunded",
        subject=f"intent:{intent.id}",
        details={"amount": cb.amount, "currency": cb.currency, "key": cb.dedupe_key},
    )


# ---- refunds we ask for --------------------------------------------------------------------


async def request(services: Services, refund_id: int, comment: str) -> Refund:
    """Ask the provider for a requested refund (outside any transaction); apply its answer.

    No answer (timeout, 5xx) leaves the refund requested: its callback settles it later.
    """
    refund = await Refund.get(id=refund_id)
    intent = await PaymentIntent.get(id=refund.intent_id)
    provider = payment_providers(services).get(refund.provider)
    if provider is None or not provider.supports_refund:
        answer = RefundAnswer(RefundOutcome.FAILED, reason="provider not configured")
    else:
        try:
            answer = await provider.refund(
                RefundRequest(
                    reference=intent.reference,
                    payment_id=intent.provider_payment_id or "",
                    amount=refund.amount,
                    currency=refund.currency,
                    comment=comment,
                )
            )
        except ProviderUnavailable as exc:
            log.warning("refund %s via %s: no answer: %s", refund.id, refund.provider, exc)
            await Refund.filter(id=refund.id, status=RefundStatus.REQUESTED).update(
                note=str(exc)[:500]
            )
            return await Refund.get(id=refund.id)
    return await apply_answer(services, refund.id, answer)


async def apply_answer(services: Services, refund_id: int, answer: RefundAnswer) -> Refund:
    """The provider's synchronous answer to our refund request, applied once."""
    async with in_transaction():
        refund = await Refund.get(id=refund_id)
        intent = await PaymentIntent.filter(id=refund.intent_id).select_for_update().get()
        await ledger.lock_client(refund.client_id)
        refund = await Refund.filter(id=refund_id).select_for_update().get()
        if refund.status is not RefundStatus.REQUESTED:
            return refund  # its callback came first
        if answer.outcome is RefundOutcome.DONE:
            if answer.refund_id:
                key = refund_key(
                    refund.provider, intent.provider_payment_id or "", answer.refund_id
                )
                if not await Refund.filter(provider_key=key).exists():
                    refund.provider_key = key
            await _debit(services, refund, intent, f"{refund.provider} refund")
        elif answer.outcome is RefundOutcome.FAILED:
            refund.status = RefundStatus.FAILED
            refund.note = answer.reason[:500]
            await refund.save(update_fields=["status", "note", "updated_at"])
        await audit(
            "system",
            REFUND_AUDIT[answer.outcome],
            subject=f"intent:{intent.id}",
            details={"refund": refund.id, "amount": refund.amount, "reason": answer.reason},
        )
    return refund
