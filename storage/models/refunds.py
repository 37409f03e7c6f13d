"""Money returned to a payer through a payment provider, one row per refund."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from storage.models.money import PaymentIntent
    from storage.models.people import Client, Staff
    from storage.models.trips import Order


class RefundStatus(StrEnum):
    REQUESTED = "requested"  # asked of the provider, no final answer yet
    DONE = "done"  # the provider returned the money: the balance was debited once
    FAILED = "failed"  # the provider refused: the money stays on the client's balance


class Refund(Model):
    """A refund of (part of) one provider payment.

    ``provider_key`` is the provider's identity of this refund (provider, payment, refund id)
    once known, unique: a repeated callback of the same refund finds it taken. The balance is
    debited once per row, under the ledger reference ``refund:<id>``.
    """

    id = fields.IntField(primary_key=True)
    intent: fields.ForeignKeyRelation[PaymentIntent] = fields.ForeignKeyField(
        "models.PaymentIntent", related_name="refunds"
    )
    intent_id: int
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="refunds"
    )
    client_id: int
    order: fields.ForeignKeyNullableRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="refunds", null=True, on_delete=fields.SET_NULL
    )
    order_id: int | None
    provider = fields.CharField(max_length=16)
    amount = fields.BigIntField()  # minor units, positive
    currency = fields.CharField(max_length=3)
    status = fields.CharEnumField(RefundStatus, max_length=16, default=RefundStatus.REQUESTED)
    provider_key = fields.CharField(max_length=191, null=True, unique=True)
    staff: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="refunds", null=True, on_delete=fields.SET_NULL
    )
    staff_id: int | None
    note = fields.TextField(default="")  # the provider's reason when it refused
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "refunds"
        indexes = (("intent_id", "status"),)
