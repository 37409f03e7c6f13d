"""``/payments`` (payment links and what became of them) and ``/ledger`` (money entries):
read-only — money moves through the providers' callbacks and staff actions, never here."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from bots.api.pagination import Page, PageQuery, page_of
from bots.api.routing import Call, RouteTable
from bots.api.schemas import Id
from core.errors import NotFound
from core.payments.intents import pay_link
from storage.models import EntryKind, IntentPurpose, IntentStatus, LedgerEntry, PaymentIntent

routes = RouteTable("payments")


class PaymentOut(BaseModel):
    id: int
    client_id: int
    order_id: int | None
    purpose: IntentPurpose
    amount: int = Field(description="minor units")
    currency: str
    provider: str
    status: IntentStatus
    is_prepayment: bool
    url: str = Field(description="our short link the client pays by")
    expires_at: datetime
    paid_at: datetime | None
    created_at: datetime


class PaymentSearch(PageQuery):
    client_id: Id | None = None
    order_id: Id | None = None
    status: IntentStatus | None = None


class LedgerOut(BaseModel):
    id: int
    client_id: int
    amount: int = Field(description="signed, minor units")
    currency: str
    kind: EntryKind
    reference: str = Field(description="unique: the same event is never booked twice")
    order_id: int | None
    payment_id: int | None
    staff_id: int | None
    reason: str
    created_at: datetime


class LedgerSearch(PageQuery):
    client_id: Id | None = None
    order_id: Id | None = None
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")


@routes.get(
    "/payments",
    scope="payments:read",
    summary="Payment links and their outcome",
    query=PaymentSearch,
    response=Page[PaymentOut],
)
async def list_payments(call: Call, query: PaymentSearch) -> Page[PaymentOut]:
    found = PaymentIntent.all()
    if query.client_id is not None:
        found = found.filter(client_id=query.client_id)
    if query.order_id is not None:
        found = found.filter(order_id=query.order_id)
    if query.status is not None:
        found = found.filter(status=query.status)
    return await page_of(found, query, lambda p: payment_out(call, p))


@routes.get(
    "/payments/{payment_id}", scope="payments:read", summary="One payment", response=PaymentOut
)
async def get_payment(call: Call, payment_id: int) -> PaymentOut:
    intent = await PaymentIntent.get_or_none(id=payment_id)
    if intent is None:
        raise NotFound("api-payment-not-found", id=payment_id)
    return payment_out(call, intent)


@routes.get(
    "/ledger",
    scope="payments:read",
    summary="Ledger entries (append-only; a balance is their sum)",
    query=LedgerSearch,
    response=Page[LedgerOut],
)
async def list_ledger(call: Call, query: LedgerSearch) -> Page[LedgerOut]:
    found = LedgerEntry.all()
    if query.client_id is not None:
        found = found.filter(client_id=query.client_id)
    if query.order_id is not None:
        found = found.filter(order_id=query.order_id)
    if query.currency is not None:
        found = found.filter(currency=query.currency)
    return await page_of(found, query, ledger_out)


def payment_out(call: Call, intent: PaymentIntent) -> PaymentOut:
    return PaymentOut(
        id=intent.id,
        client_id=intent.client_id,
        order_id=intent.order_id,
        purpose=IntentPurpose(intent.purpose),
        amount=intent.amount,
        currency=intent.currency,
        provider=intent.provider,
        status=IntentStatus(intent.status),
        is_prepayment=intent.is_prepayment,
        url=pay_link(call.services.settings, intent),
        expires_at=intent.expires_at,
        paid_at=intent.paid_at,
        created_at=intent.created_at,
    )


def ledger_out(entry: LedgerEntry) -> LedgerOut:
    return LedgerOut(
        id=entry.id,
        client_id=entry.client_id,
        amount=entry.amount,
        currency=entry.currency,
        kind=EntryKind(entry.kind),
        reference=entry.reference,
        order_id=entry.order_id,
        payment_id=entry.intent_id,
        staff_id=entry.staff_id,
        reason=entry.reason,
        created_at=entry.created_at,
    )
