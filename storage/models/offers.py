"""Tour offers: the options a manager sends a client for one tour request.

A request's options are sent together as one *round* (``round``, 1, 2, … when the manager sends
a fresh set later). Exactly one option of a round can be chosen: choosing sets ``chosen_key``
(``"<request id>:<round>"``), which is unique, inside the same transaction that creates the
order — so two presses, on the same option or on two different ones, make one order at most,
whatever process handles them.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from storage.models.people import Client, Staff
    from storage.models.trips import Order, TourRequest


class OfferStatus(StrEnum):
    OPEN = "open"  # sent, waiting for the client
    CHOSEN = "chosen"  # the client picked it: it became an order
    CLOSED = "closed"  # another option of its round was chosen
    EXPIRED = "expired"  # nobody chose within ``[offers] expire_days``


class TourOffer(Model):
    """One option (hotel, dates, price, operator …) offered for a tour request."""

    id = fields.IntField(primary_key=True)
    request: fields.ForeignKeyRelation[TourRequest] = fields.ForeignKeyField(
        "models.TourRequest", related_name="offers", on_delete=fields.CASCADE
    )
    request_id: int
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="offers", on_delete=fields.CASCADE
    )
    client_id: int
    manager: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="offers", null=True, on_delete=fields.SET_NULL
    )
    manager_id: int | None
    round = fields.IntField(default=1)
    position = fields.IntField()  # 1..5 within its round, as the client sees it
    hotel = fields.CharField(max_length=128)
    stars = fields.IntField(null=True)
    country = fields.CharField(max_length=64)
    resort = fields.CharField(max_length=64, default="")
    start_date = fields.DateField()
    end_date = fields.DateField()
    nights = fields.IntField()
    room = fields.CharField(max_length=64)
    meal = fields.CharField(max_length=8)
    price = fields.BigIntField()  # minor units
    currency = fields.CharField(max_length=3)
    operator = fields.CharField(max_length=64)
    photo = fields.CharField(max_length=512, null=True)  # an https URL
    link = fields.CharField(max_length=512, null=True)
    status = fields.CharEnumField(OfferStatus, max_length=16, default=OfferStatus.OPEN)
    expires_at = fields.DatetimeField()
    chosen_key = fields.CharField(max_length=32, null=True, unique=True)
    chosen_at = fields.DatetimeField(null=True)
    order: fields.OneToOneNullableRelation[Order] = fields.OneToOneField(
        "models.Order", related_name="offer", null=True, on_delete=fields.SET_NULL
    )
    order_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "tour_offers"
        unique_together = (("request_id", "round", "position"),)
        indexes = (("status", "expires_at"),)
