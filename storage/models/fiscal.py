"""Fiscal receipts (Checkbox): one per ledger reference, made by a job, never twice."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class FiscalStatus(StrEnum):
    PENDING = "pending"  # planned or being made
    DONE = "done"  # fiscalised: fiscal_code known
    FAILED = "failed"  # refused for good (a 4xx with a reason) or out of attempts


class FiscalReceipt(Model):
    id = fields.IntField(primary_key=True)
    uid = fields.CharField(max_length=36, unique=True)  # our receipt UUID, sent to Checkbox
    reference = fields.CharField(max_length=191, unique=True)  # the ledger reference it covers
    is_return = fields.BooleanField(default=False)
    client_id = fields.IntField()
    order_id = fields.IntField(null=True)
    amount = fields.BigIntField()  # minor units
    currency = fields.CharField(max_length=3)
    title = fields.CharField(max_length=128)  # the goods line
    status = fields.CharEnumField(FiscalStatus, max_length=16, default=FiscalStatus.PENDING)
    fiscal_code = fields.CharField(max_length=64, null=True)
    attempts = fields.IntField(default=0)
    error = fields.TextField(null=True)
    alerted = fields.BooleanField(default=False)  # staff were told it keeps failing
    created_at = fields.DatetimeField()
    done_at = fields.DatetimeField(null=True)

    class Meta:
        table = "fiscal_receipts"
        indexes = (("order_id",), ("client_id",), ("status", "created_at"))
