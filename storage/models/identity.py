"""Claims of a phone that already belongs to another client, until they are proven or refused."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model

from storage.models.people import Client, MessengerAccount, Staff


class ClaimStatus(StrEnum):
    PENDING = "pending"  # waiting for a code or a staff member
    PROVEN = "proven"  # the code matched or staff confirmed: the account joined the client
    REJECTED = "rejected"  # staff said no
    CLOSED = "closed"  # replaced by a newer claim, or the person went on without it


class PhoneClaim(Model):
    """A messenger account says it is the client who owns ``phone``.

    The claimant's own client row never holds the phone (it is unique and belongs to the
    target), the number is kept here. The one-time code is stored only as a salted hash.
    """

    id = fields.IntField(primary_key=True)
    account: fields.ForeignKeyRelation[MessengerAccount] = fields.ForeignKeyField(
        "models.MessengerAccount", related_name="phone_claims", on_delete=fields.CASCADE
    )
    account_id: int
    claimant: fields.ForeignKeyNullableRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="claims_made", null=True, on_delete=fields.SET_NULL
    )
    claimant_id: int | None
    target: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="claims_on", on_delete=fields.CASCADE
    )
    target_id: int
    phone = fields.CharField(max_length=20)
    status = fields.CharEnumField(ClaimStatus, max_length=16, default=ClaimStatus.PENDING)
    code_hash = fields.CharField(max_length=64, null=True)
    code_salt = fields.CharField(max_length=32, null=True)
    code_expires_at = fields.DatetimeField(null=True)
    code_sent_at = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)
    staff_asked_at = fields.DatetimeField(null=True)
    decided_by: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="claims_decided", null=True, on_delete=fields.SET_NULL
    )
    decided_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "phone_claims"
        indexes = (("phone", "created_at"), ("account_id", "created_at"))
