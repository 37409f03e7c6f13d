"""Tour requests, orders and the follow-ups staff plan around them."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class RequestStatus(StrEnum):
    NEW = "new"
    TAKEN = "taken"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class OrderStatus(StrEnum):
    DRAFT = "draft"
    BOOKED = "booked"  # waiting for prepayment
    CONFIRMED = "confirmed"
    PAID = "paid"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class TourRequest(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=16, unique=True)
    client = fields.ForeignKeyField("models.Client", related_name="tour_requests")
    manager = fields.ForeignKeyField(
        "models.Staff", related_name="tour_requests", null=True, on_delete=fields.SET_NULL
    )
    destination = fields.CharField(max_length=128)
    when = fields.JSONField(default=dict)  # {"month": "2027-03"} | {"from":…, "to":…} | {}
    nights_min = fields.IntField(null=True)
    nights_max = fields.IntField(null=True)
    adults = fields.IntField(default=2)
    children_ages = fields.JSONField(default=list)
    budget_amount = fields.BigIntField(null=True)  # minor units; None: no limit
    budget_currency = fields.CharField(max_length=3, null=True)
    wishes = fields.TextField(default="")
    status = fields.CharEnumField(RequestStatus, max_length=16, default=RequestStatus.NEW)
    created_at = fields.DatetimeField(auto_now_add=True)
    taken_at = fields.DatetimeField(null=True)

    class Meta:
        table = "tour_requests"


class Order(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=16, unique=True)
    client = fields.ForeignKeyField("models.Client", related_name="orders")
    manager = fields.ForeignKeyField(
        "models.Staff", related_name="orders", null=True, on_delete=fields.SET_NULL
    )
    tour_request = fields.ForeignKeyField(
        "models.TourRequest", related_name="orders", null=True, on_delete=fields.SET_NULL
    )
    destination = fields.CharField(max_length=128)
    country = fields.CharField(max_length=2, null=True)
    departure_date = fields.DateField(null=True)
    return_date = fields.DateField(null=True)
    price = fields.BigIntField()  # minor units
    currency = fields.CharField(max_length=3)
    paid = fields.BigIntField(default=0)  # minor units settled from the ledger
    due_date = fields.DateField(null=True)
    prepayment_percent = fields.IntField(null=True)
    status = fields.CharEnumField(OrderStatus, max_length=16, default=OrderStatus.BOOKED)
    review_rating = fields.IntField(null=True)
    review_comment = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "orders"

    @property
    def remaining(self) -> int:
        return max(self.price - self.paid, 0)


class FollowUp(Model):
    id = fields.IntField(primary_key=True)
    staff = fields.ForeignKeyField("models.Staff", related_name="follow_ups")
    client = fields.ForeignKeyField("models.Client", related_name="follow_ups")
    due_at = fields.DatetimeField()
    note = fields.TextField(default="")
    done_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "follow_ups"
