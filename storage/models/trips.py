"""Tour requests, orders and the follow-ups staff plan around them."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from storage.models.people import Client, Staff


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
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="tour_requests"
    )
    client_id: int
    manager: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="tour_requests", null=True, on_delete=fields.SET_NULL
    )
    manager_id: int | None
    destination = fields.CharField(max_length=128)
    when: dict[str, Any] = fields.JSONField(
        default=dict
    )  # {"month": "2027-03"} | {"from":…, "to":…} | {}
    nights_min = fields.IntField(null=True)
    nights_max = fields.IntField(null=True)
    adults = fields.IntField(default=2)
    children_ages: list[Any] = fields.JSONField(default=list)
    budget_amount = fields.BigIntField(null=True)  # minor units; None: no limit
    budget_currency = fields.CharField(max_length=3, null=True)
    wishes = fields.TextField(default="")
    status = fields.CharEnumField(RequestStatus, max_length=16, default=RequestStatus.NEW)
    created_at = fields.DatetimeField(auto_now_add=True)
    taken_at = fields.DatetimeField(null=True)

    class Meta:
        table = "tour_requests"
        indexes = (("status", "created_at"),)


class Order(Model):
    id = fields.IntField(primary_key=True)
    number = fields.CharField(max_length=16, unique=True)
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="orders"
    )
    client_id: int
    manager: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="orders", null=True, on_delete=fields.SET_NULL
    )
    manager_id: int | None
    tour_request: fields.ForeignKeyNullableRelation[TourRequest] = fields.ForeignKeyField(
        "models.TourRequest", related_name="orders", null=True, on_delete=fields.SET_NULL
    )
    tour_request_id: int | None
    destination = fields.CharField(max_length=128)
    country = fields.CharField(max_length=2, null=True)
    departure_date = fields.DateField(null=True)
    return_date = fields.DateField(null=True)
    price = fields.BigIntField()  # minor units
    currency = fields.CharField(max_length=3)
    paid = fields.BigIntField(default=0)  # minor units settled from the ledger
    due_date = fields.DateField(null=True)
    prepayment_percent = fields.IntField(null=True)
    supplier = fields.CharField(max_length=64, null=True)  # the tour operator, when known
    # what the tour operator charges us (minor units, order currency), when staff entered it:
    # a manager's commission can then be a share of the margin
    net_price = fields.BigIntField(null=True)
    status = fields.CharEnumField(OrderStatus, max_length=16, default=OrderStatus.BOOKED)
    review_rating = fields.IntField(null=True)
    review_comment = fields.TextField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "orders"
        indexes = (("client_id", "created_at"), ("status", "due_date"))

    @property
    def remaining(self) -> int:
        return max(self.price - self.paid, 0)


class FollowUp(Model):
    id = fields.IntField(primary_key=True)
    staff: fields.ForeignKeyRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="follow_ups"
    )
    staff_id: int
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="follow_ups"
    )
    client_id: int
    due_at = fields.DatetimeField()
    note = fields.TextField(default="")
    done_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "follow_ups"
