"""Payment intents, raw provider events and the append-only ledger."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from storage.models.people import Client, Staff
    from storage.models.trips import Order


class IntentPurpose(StrEnum):
    ORDER = "order"
    TOPUP = "topup"


class IntentStatus(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


class PaymentIntent(Model):
    """What we asked a tourist to pay, and the only amount a callback may confirm."""

    id = fields.IntField(primary_key=True)
    token = fields.CharField(max_length=32, unique=True)  # our short link /pay/{token}
    reference = fields.CharField(max_length=64, unique=True)  # order_id sent to the provider
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="payment_intents"
    )
    client_id: int
    order: fields.ForeignKeyNullableRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="payment_intents", null=True, on_delete=fields.SET_NULL
    )
    order_id: int | None
    purpose = fields.CharEnumField(IntentPurpose, max_length=16)
    amount = fields.BigIntField()  # minor units
    currency = fields.CharField(max_length=3)
    provider = fields.CharField(max_length=16)
    provider_payment_id = fields.CharField(max_length=128, null=True)
    status = fields.CharEnumField(IntentStatus, max_length=16, default=IntentStatus.PENDING)
    is_prepayment = fields.BooleanField(default=False)
    created_by: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="payment_intents", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    expires_at = fields.DatetimeField()
    paid_at = fields.DatetimeField(null=True)
    # When reconciliation last asked the provider (null: never), so every open link takes its
    # turn: the least recently checked go first.
    last_checked_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "payment_intents"
        indexes = (("status", "created_at"), ("order_id",))


class ProviderEvent(Model):
    """Every callback as received, stored before anything else (audit trail).

    ``dedupe_key`` (provider, payment id, status) is unique: the transition it describes is
    applied in the same transaction that writes this key, so it happens exactly once.
    """

    id = fields.IntField(primary_key=True)
    provider = fields.CharField(max_length=16)
    body = fields.TextField()  # whole when verified, else only a short prefix
    body_size = fields.IntField(null=True)  # bytes received
    body_sha256 = fields.CharField(max_length=64, null=True)  # of all the bytes received
    signature_valid = fields.BooleanField(default=False)
    intent: fields.ForeignKeyNullableRelation[PaymentIntent] = fields.ForeignKeyField(
        "models.PaymentIntent", related_name="events", null=True, on_delete=fields.SET_NULL
    )
    intent_id: int | None
    status = fields.CharField(max_length=32, null=True)
    dedupe_key = fields.CharField(max_length=191, null=True, unique=True)
    outcome = fields.CharField(max_length=64, default="received")
    received_at = fields.DatetimeField(auto_now_add=True)
    attempts = fields.IntField(default=0)  # retries of an event left at "received"

    class Meta:
        table = "provider_events"
        indexes = (("outcome", "received_at"),)


class EntryKind(StrEnum):
    PAYMENT = "payment"  # money in from a provider
    ORDER_CHARGE = "order_charge"  # balance spent on an order
    REFUND = "refund"  # provider reversed a payment
    ADJUSTMENT = "adjustment"  # staff correction, with reason
    BONUS = "bonus"
    OPENING = "opening"  # carried over from the agency's books by an import (core/imports)


class LedgerEntry(Model):
    """Append-only. A balance is the sum of a client's entries in one currency."""

    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="ledger"
    )
    client_id: int
    amount = fields.BigIntField()  # signed, minor units
    currency = fields.CharField(max_length=3)
    kind = fields.CharEnumField(EntryKind, max_length=16)
    reference = fields.CharField(max_length=191, unique=True)  # e.g. liqpay:<payment_id>
    order: fields.ForeignKeyNullableRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="ledger", null=True, on_delete=fields.SET_NULL
    )
    order_id: int | None
    intent: fields.ForeignKeyNullableRelation[PaymentIntent] = fields.ForeignKeyField(
        "models.PaymentIntent", related_name="ledger", null=True, on_delete=fields.SET_NULL
    )
    intent_id: int | None
    staff: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="ledger", null=True, on_delete=fields.SET_NULL
    )
    staff_id: int | None
    reason = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ledger_entries"
        indexes = (("client_id", "currency"),)
