"""Bonus points, referrals and managers' commissions: ledgers of their own, separate from money.

Both ledgers are append-only with a unique ``reference`` per entry, so an event that arrives
twice (a duplicated callback, a job run again after a crash) can never be counted twice; a
balance is the sum of the entries.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from storage.models.money import PaymentIntent
    from storage.models.people import Client, Staff
    from storage.models.trips import Order


class PointsKind(StrEnum):
    ACCRUE = "accrue"  # earned on a paid (or completed) order
    REFERRAL = "referral"  # an invited friend paid their first order
    ADJUST = "adjust"  # a staff correction, with a reason
    SPEND = "spend"  # reserved for a payment (negative)
    RETURN = "return"  # a reservation given back (its link expired unpaid, order cancelled)
    REVERSE = "reverse"  # an accrual taken back (refund, cancellation)
    EXPIRE = "expire"  # what was left of a lot when it expired


class PointsEntry(Model):
    """One movement of a client's points. A positive entry is a *lot* that expires at
    ``expires_at`` (None: never); negative entries use the oldest lots first."""

    id = fields.IntField(primary_key=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="points"
    )
    client_id: int
    points = fields.BigIntField()  # signed
    kind = fields.CharEnumField(PointsKind, max_length=16)
    reference = fields.CharField(max_length=191, unique=True)  # accrue:order:<id>, spend:<intent>
    order: fields.ForeignKeyNullableRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="points", null=True, on_delete=fields.SET_NULL
    )
    order_id: int | None
    intent: fields.ForeignKeyNullableRelation[PaymentIntent] = fields.ForeignKeyField(
        "models.PaymentIntent", related_name="points", null=True, on_delete=fields.SET_NULL
    )
    intent_id: int | None
    staff: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="points_entries", null=True, on_delete=fields.SET_NULL
    )
    staff_id: int | None
    # the lot a negative entry is about (an expiry; the reservation a return gives back)
    lot_id = fields.IntField(null=True)
    value = fields.BigIntField(default=0)  # minor units the points were worth (spends)
    currency = fields.CharField(max_length=3, default="")
    expires_at = fields.DatetimeField(null=True)
    reason = fields.TextField(default="")
    created_at = fields.DatetimeField()

    class Meta:
        table = "points_entries"
        indexes = (("client_id", "created_at"), ("order_id",), ("intent_id",))


class ReferralCode(Model):
    """A client's own invite code (the deep link a friend opens)."""

    id = fields.IntField(primary_key=True)
    client: fields.OneToOneRelation[Client] = fields.OneToOneField(
        "models.Client", related_name="referral_code"
    )
    client_id: int
    code = fields.CharField(max_length=32, unique=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "referral_codes"


class Referral(Model):
    """Who invited whom: one per invited client (unique), never re-linked. ``rewarded_at`` is
    set in the transaction that writes both bonuses (``referral:<id>:friend|inviter``)."""

    id = fields.IntField(primary_key=True)
    inviter: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="invited"
    )
    inviter_id: int
    friend: fields.OneToOneRelation[Client] = fields.OneToOneField(
        "models.Client", related_name="invited_by"
    )
    friend_id: int
    rewarded_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField()

    class Meta:
        table = "referrals"


class CommissionRule(Model):
    """A manager's own commission rule (without one, ``[commissions]`` applies)."""

    id = fields.IntField(primary_key=True)
    staff: fields.OneToOneRelation[Staff] = fields.OneToOneField(
        "models.Staff", related_name="commission_rule"
    )
    staff_id: int
    # hundredths of a percent (250 = 2.5 %), exact integers
    paid_bp = fields.IntField(default=0)
    margin_bp = fields.IntField(default=0)
    set_by: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="+", null=True, on_delete=fields.SET_NULL
    )
    set_by_id: int | None
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "commission_rules"


class CommissionEntry(Model):
    """One accrual (or reversal) of a manager's commission, in the order's currency."""

    id = fields.IntField(primary_key=True)
    staff: fields.ForeignKeyRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="commissions"
    )
    staff_id: int
    order: fields.ForeignKeyNullableRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="commissions", null=True, on_delete=fields.SET_NULL
    )
    order_id: int | None
    amount = fields.BigIntField()  # signed, minor units
    currency = fields.CharField(max_length=3)
    base = fields.BigIntField()  # what the percent was taken of (payment, or its margin share)
    basis = fields.CharField(max_length=8)  # "paid" | "margin"
    rate_bp = fields.IntField()
    reference = fields.CharField(max_length=191, unique=True)  # commission:<payment reference>
    created_at = fields.DatetimeField()

    class Meta:
        table = "commission_entries"
        indexes = (("staff_id", "created_at"),)
