"""Provider callbacks (and reconciliation answers) applied exactly once.

1. The signature is verified on the raw body; a forgery gets 403 and changes nothing, and
   junk of any kind gets a 4xx with a short reason (never a 5xx the provider would retry).
2. The body is stored before anything is applied (:class:`ProviderEvent`, the audit trail):
   whole when verified, else a short prefix with its size and sha256.
3. The amount and currency must match the intent; a mismatch is refused and staff alerted.
4. The transition runs in ONE transaction with the intent row locked: it writes the event's
   unique ``dedupe_key`` (``provider:payment_id:status_class``), the ledger entries (unique
   references), the order and intent changes and the outgoing messages. A duplicate finds the
   key taken and changes nothing; a crash rolls everything back for the provider's retry.

Out of order: a success after a failure credits; a failure after a success is ignored; a
refund before its success writes both entries so the late success can never credit. Money
that arrives late (link expired, booking cancelled, order already paid) goes to the balance and
staff are alerted to resolve it.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core import ledger, metrics
from core.audit import audit
from core.fiscal import receipts as fiscal
from core.loyalty import hooks as loyalty
from core.payments import group as group_commit
from core.payments import notices, refunds
from core.payments.base import (
    MalformedCallback,
    PaymentStatus,
    Provider,
    ProviderCallback,
    SignatureError,
)
from core.payments.intents import cancel_jobs, ensure_reconcile, pay_link, retry_intent_locked
from core.payments.registry import payment_providers
from core.payments.sandbox import SandboxProvider
from core.services import Services
from core.webhooks import events as webhook_events
from core.wire import MAX_INT, is_storable
from storage.models import (
    Client,
    EntryKind,
    IntentPurpose,
    IntentStatus,
    Order,
    OrderStatus,
    PaymentIntent,
    ProviderEvent,
)
from storage.payment_batch import EventRow

log = logging.getLogger("tourdesk.payments")


@dataclass(frozen=True, slots=True)
class CallbackResponse:
    status: int
    body: bytes = b""
    content_type: str = "text/plain"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Applied:
    outcome: str
    http_status: int = 200

    @property
    def accepted(self) -> bool:
        return self.http_status == 200


def raw_text(body: bytes) -> str:
    """The body as stored text: exact for UTF-8; other bytes (and NUL) as escapes."""
    return body.decode("utf-8", errors="backslashreplace").replace("\x00", "\\x00")


async def _note(event_id: int, **values: object) -> None:
    await ProviderEvent.filter(id=event_id).update(**values)


UNVERIFIED_PREFIX = 2048  # bytes of an unverified body kept as evidence
MAX_PAYMENT_ID = 128  # intent.provider_payment_id; also keeps the unique keys under 191


def evidence(body: bytes, *, verified: bool) -> tuple[str, int, str]:
    """What is stored of a body: whole when verified, else a prefix; its size and sha256."""
    kept = body if verified else body[:UNVERIFIED_PREFIX]
    return raw_text(kept), len(body), hashlib.sha256(body).hexdigest()


def unprocessable(callback: ProviderCallback) -> str | None:
    """Why a verified callback cannot be applied (ids too long for our keys, invalid text)."""
    texts = (callback.payment_id, callback.reference, callback.raw_status, callback.currency)
    if not all(is_storable(text) for text in texts):
        return "invalid text"
    if not callback.payment_id or len(callback.payment_id) > MAX_PAYMENT_ID:
        return "payment id too long"
    if len(callback.reference) > 64 or len(callback.currency) != 3:
        return "order reference or currency invalid"
    if not -MAX_INT <= callback.amount <= MAX_INT:
        return "amount out of range"
    return None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What verifying a body found: the callback, or why not (``reason``) and the outcome."""

    callback: ProviderCallback | None
    outcome: str = "received"
    status: int = 200
    reason: str = ""
    signature_valid: bool = False


def verify(provider: Provider, body: bytes, headers: Mapping[str, str]) -> Verdict:
    """Signature first, then shape; every way a body can be wrong is a 4xx verdict."""
    try:
        callback = provider.parse_callback(body, headers)
    except SignatureError as exc:
        return Verdict(None, "bad_signature", 403, f"bad signature: {exc}")
    except MalformedCallback as exc:
        return Verdict(None, "malformed", 400, f"malformed: {exc}", exc.signature_valid)
    except RecursionError:
        return Verdict(None, "malformed", 400, "malformed: nested too deeply")
    except (ValueError, TypeError, KeyError, OverflowError, AttributeError) as exc:
        return Verdict(None, "malformed", 400, f"malformed: {type(exc).__name__}")
    problem = unprocessable(callback)
    if problem is not None:
        return Verdict(None, "malformed", 400, f"malformed: {problem}", True)
    return Verdict(callback, signature_valid=True)


async def receive_callback(
    services: Services, provider_name: str, body: bytes, headers: Mapping[str, str]
) -> CallbackResponse:
    """Everything ``POST /payments/{provider}/callback`` does, minus HTTP.

    The body is verified (a pure function) and then stored before anything is applied: whole
    when its signature holds, else only a short prefix with its size and sha256, so junk
    cannot fill the database. A crash after storing leaves the event at ``received`` for
    :func:`core.payments.stuck.retry_stuck`.
    """
    provider = payment_providers(services).get(provider_name)
    if provider is None:
        return CallbackResponse(404, b"unknown payment provider")
    if isinstance(provider, SandboxProvider):
        await provider.ready()
    verdict = verify(provider, body, headers)
    callback = verdict.callback
    text, size, digest = evidence(body, verified=verdict.signature_valid)
    if callback is not None:
        grouped = await _grouped(services, callback, text, size, digest)
        if grouped is not None:
            return _answer(provider, services, callback, grouped)
    event = await ProviderEvent.create(
        provider=provider.name,
        outcome=verdict.outcome,
        signature_valid=verdict.signature_valid,
        status=callback.raw_status[:32] if callback else None,
        received_at=services.clock.now(),
        body=text,
        body_size=size,
        body_sha256=digest,
    )
    if callback is None:
        log.warning(
            "payment callback refused provider=%s event=%s: %s",
            provider.name,
            event.id,
            verdict.reason,
        )
        return CallbackResponse(verdict.status, verdict.reason[:200].encode())
    await ensure_reconcile(services)  # the run that also retries this event should we crash
    metrics.CALLBACKS.labels("alone").inc()
    applied = await apply_callback(services, callback, event.id)
    return _answer(provider, services, callback, (applied, event.id))


async def _grouped(
    services: Services, callback: ProviderCallback, text: str, size: int, digest: str
) -> tuple[Applied, int] | None:
    """A verified callback joins the process's group when one is forming (PostgreSQL, under
    load): applied there, or its stored event applied one by one; None when not grouped."""
    group = group_commit.group_of(services) if group_commit.groupable(callback) else None
    if group is None:
        return None
    await ensure_reconcile(services)  # the run that also retries these events should we crash
    row = EventRow(callback.provider, text, size, digest, callback.raw_status[:32],
                   services.clock.now())  # fmt: skip
    got = await group.submit(callback, row)
    if got is None:
        return None
    if isinstance(got, group_commit.Credited):
        metrics.CALLBACKS.labels("grouped").inc()
        return Applied(got.outcome), got.event_id
    metrics.CALLBACKS.labels("one_by_one").inc()
    return await apply_callback(services, callback, got), got


def _answer(
    provider: Provider, services: Services, callback: ProviderCallback, done: tuple[Applied, int]
) -> CallbackResponse:
    applied, event_id = done
    log.info(
        "payment callback provider=%s payment=%s status=%s outcome=%s event=%s",
        provider.name,
        callback.payment_id,
        callback.raw_status,
        applied.outcome,
        event_id,
    )
    if not applied.accepted:
        return CallbackResponse(applied.http_status, applied.outcome.encode())
    ack = provider.acknowledge(callback, services.clock.now())
    return CallbackResponse(ack.status, ack.body, ack.content_type, ack.headers)


def mismatch(intent: PaymentIntent, callback: ProviderCallback) -> str | None:
    if callback.currency != intent.currency:
        return "currency_mismatch"
    if callback.status is PaymentStatus.REFUND:
        if not 0 < callback.amount <= intent.amount:
            return "amount_mismatch"
    elif callback.amount != intent.amount:
        return "amount_mismatch"
    return None


async def apply_callback(services: Services, callback: ProviderCallback, event_id: int) -> Applied:
    """Apply a verified provider answer (callback or status query) exactly once.

    One transaction: the intent is read already locked, the transition and its messages are
    written, and the event's unique ``dedupe_key`` is set last — a twin that committed first
    makes that fail and everything rolls back."""
    try:
        async with in_transaction():
            intent = await (
                PaymentIntent.filter(reference=callback.reference).select_for_update().first()
            )
            refused = await _refusal(services, intent, callback, event_id)
            if refused is not None or intent is None:
                return refused or Applied("unknown_intent", 404)
            outcome = await TRANSITIONS[callback.status](services, intent, callback)
            await _note(
                event_id, dedupe_key=callback.dedupe_key, intent_id=intent.id, outcome=outcome
            )
    except IntegrityError:
        # Only a twin that committed the same unique key first makes this a duplicate; any
        # other constraint failure is a real error: rolled back, 500, the provider retries.
        if not await ProviderEvent.filter(dedupe_key=callback.dedupe_key).exists():
            raise
        outcome = "duplicate"
        ids = await PaymentIntent.filter(reference=callback.reference).values_list("id", flat=True)
        await _note(event_id, outcome=outcome, intent_id=ids[0] if ids else None)
    return Applied(outcome)


async def _refusal(
    services: Services, intent: PaymentIntent | None, callback: ProviderCallback, event_id: int
) -> Applied | None:
    """Why this answer changes no money (unknown intent, a pending status, a mismatch), noted
    on the event with staff told where they must look; None to apply it."""
    if intent is None or intent.provider != callback.provider:
        await _note(event_id, outcome="unknown_intent")
        await notices.tell_staff(
            services,
            notices.staff_text(
                "pay-staff-unknown",
                provider=callback.provider,
                reference=callback.reference,
                amount=(callback.amount, callback.currency),
                status=callback.raw_status,
            ),
            kind="payment-alert",
            dedupe_key=f"pay:unknown:{callback.dedupe_key}",
        )
        return Applied("unknown_intent", 404)
    if callback.status in (PaymentStatus.PENDING, PaymentStatus.IGNORED):
        await _note(event_id, outcome="noted", intent_id=intent.id)
        return Applied("noted")
    problem = mismatch(intent, callback)
    if problem is not None:
        await _note(event_id, outcome=problem, intent_id=intent.id)
        await notices.tell_staff(
            services,
            notices.staff_text(
                "pay-staff-mismatch",
                provider=callback.provider,
                reference=intent.reference,
                got=(callback.amount, callback.currency),
                expected=(intent.amount, intent.currency),
            ),
            kind="payment-alert",
            dedupe_key=f"pay:mismatch:{callback.dedupe_key}",
        )
        return Applied(problem, 409)
    return None


async def _order_of(intent: PaymentIntent) -> Order | None:
    order_id = intent.order_id
    if intent.purpose is not IntentPurpose.ORDER or not order_id:
        return None
    return await ledger.lock_order(order_id)


async def _success(services: Services, intent: PaymentIntent, cb: ProviderCallback) -> str:
    now = services.clock.now()
    client = await ledger.lock_client(intent.client_id)
    reference = cb.ledger_reference
    if await ledger.reference_used(reference):
        return "already_recorded"  # its refund came first and recorded it
    previous = intent.status
    order = await _order_of(intent)
    await ledger.append(
        client.id,
        cb.amount,
        cb.currency,
        EntryKind.PAYMENT,
        reference,
        order_id=order.id if order else None,
        intent_id=intent.id,
        reason=f"{cb.provider} {cb.raw_status}",
    )
    intent.status = IntentStatus.PAID
    intent.paid_at = now
    intent.provider_payment_id = cb.payment_id[:128]
    await intent.save(update_fields=["status", "paid_at", "provider_payment_id", "updated_at"])
    await cancel_jobs(intent.id)
    key = f"pay:{cb.dedupe_key}"
    percent = services.rules.payments.prepayment_percent
    settled = None
    order = await loyalty.before_charge(services, intent, order) or order  # reserved points
    # Only this payment's money goes to the order (and never more than the balance holds, in
    # case an earlier refund left the client in debt).
    balance = await ledger.balance(client.id, cb.currency)  # with this payment; client locked
    charge = min(cb.amount, balance)
    before = order.status if order is not None else None
    if order is not None and order.status in ledger.PAYABLE and order.remaining > 0 and charge > 0:
        settled = await ledger.charge_order_locked(
            client.id,
            order,
            min(charge, order.remaining),
            f"{reference}:order:{order.id}",
            default_percent=percent,
            intent_id=intent.id,
            reason="paid by provider",
            available=balance,
        )
    earned = None
    if settled is not None:
        balance -= settled.amount
        await retire_siblings(services, intent, settled.order)
        earned = await loyalty.after_payment(
            services, client.id, settled.order, settled.amount, reference
        )
    await webhook_events.payment_succeeded(
        services,
        intent,
        reference=reference,
        amount=cb.amount,
        currency=cb.currency,
        provider=cb.provider,
        payment_id=cb.payment_id,
        order=order,
    )
    if settled is not None and before is not None:
        await webhook_events.order_status_changed(services, settled.order, before, reference)
    await fiscal.plan_sell(
        services,
        reference=reference,
        client_id=client.id,
        order_id=order.id if order else None,
        order_number=order.number if order else None,
        amount=cb.amount,
        currency=cb.currency,
    )
    if intent.purpose is IntentPurpose.TOPUP:
        render = notices.receipt_topup(cb.amount, cb.currency, balance)
    elif settled is not None:
        render = notices.receipt_order(services, cb.amount, cb.currency, settled.order)
    else:
        render = notices.receipt_kept(cb.amount, cb.currency, order, balance)
    render = loyalty.with_earned(render, earned)
    await notices.tell_client(services, client, render, kind="payment-receipt", dedupe_key=key)
    await notices.tell_staff(
        services,
        notices.staff_text(
            "pay-staff-received",
            amount=(cb.amount, cb.currency),
            client=client.display_name,
            what=lambda t: notices.what(t, order),
            provider=cb.provider,
        ),
        kind="payment-received",
        dedupe_key=f"{key}:staff",
        client=client,
        order=order,
        details={"amount": cb.amount, "currency": cb.currency, "provider": cb.provider},
    )
    problem = _late_reason(previous, order, settled is not None, intent.purpose)
    if problem is not None:
        await notices.tell_staff(
            services,
            notices.staff_text(
                problem,
                amount=(cb.amount, cb.currency),
                client=client.display_name,
                what=lambda t: notices.what(t, order),
                balance=(balance, cb.currency),
            ),
            kind="payment-alert",
            dedupe_key=f"{key}:alert",
        )
        await audit(
            "system",
            "payment-needs-attention",
            subject=f"intent:{intent.id}",
            details={"reason": problem, "payment": reference},
        )
        return "credited_to_balance" if settled is None else "credited_late"
    return "credited"


async def retire_siblings(services: Services, paid: PaymentIntent, order: Order) -> None:
    """Other open links of this order that paying now would only overpay are cancelled."""
    # SKIP LOCKED: a sibling busy with its own callback (which locks intent, then client) is
    # left alone rather than waited for, so the two can never deadlock.
    siblings = (
        await PaymentIntent.filter(order_id=order.id, status=IntentStatus.PENDING)
        .exclude(id=paid.id)
        .select_for_update(skip_locked=True)
    )
    for sibling in siblings:
        moot = sibling.is_prepayment and order.status is not OrderStatus.BOOKED
        if sibling.amount > order.remaining or moot:
            await PaymentIntent.filter(id=sibling.id, status=IntentStatus.PENDING).update(
                status=IntentStatus.CANCELLED
            )
            await cancel_jobs(sibling.id)


def _late_reason(
    previous: IntentStatus, order: Order | None, settled: bool, purpose: IntentPurpose
) -> str | None:
    """Why staff must look at this payment, or None when it went where it should."""
    if previous is IntentStatus.PAID:
        return "pay-staff-paid-twice"
    if purpose is IntentPurpose.ORDER and not settled:
        return "pay-staff-unapplied"
    if previous in (IntentStatus.EXPIRED, IntentStatus.CANCELLED):
        return "pay-staff-late"
    return None


async def _failure(services: Services, intent: PaymentIntent, cb: ProviderCallback) -> str:
    if intent.status is not IntentStatus.PENDING:
        return "ignored"  # failure after success, after expiry, or a second failure
    intent.status = IntentStatus.FAILED
    await intent.save(update_fields=["status", "updated_at"])
    retry = await retry_intent_locked(services, intent)
    order_id = intent.order_id
    order = await Order.get_or_none(id=order_id) if order_id else None
    client = await Client.get(id=intent.client_id)
    link = pay_link(services.settings, retry) if retry is not None else None
    await notices.tell_client(
        services,
        client,
        notices.failed(services, intent, order, link),
        kind="payment-failed",
        dedupe_key=f"pay:{cb.dedupe_key}",
    )
    return "failed"


TRANSITIONS = {
    PaymentStatus.SUCCESS: _success,
    PaymentStatus.FAILURE: _failure,
    PaymentStatus.REFUND: refunds.on_callback,
}


async def record_answer(
    services: Services, callback: ProviderCallback, raw: str, *, source: str
) -> Applied:
    """A provider's answer we fetched ourselves (reconciliation): stored, then applied."""
    problem = unprocessable(callback)
    event = await ProviderEvent.create(
        provider=callback.provider,
        body=raw if is_storable(raw) else raw_text(raw.encode("utf-8", "backslashreplace")),
        signature_valid=True,
        status=callback.raw_status[:32] if problem is None else None,
        outcome=source if problem is None else "malformed",
        received_at=services.clock.now(),
    )
    if problem is not None:
        log.warning("provider answer refused provider=%s: %s", callback.provider, problem)
        return Applied("malformed", 400)
    return await apply_callback(services, callback, event.id)
