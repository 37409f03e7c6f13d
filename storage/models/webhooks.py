"""Outgoing webhooks: the events we tell the agency's systems about, and every attempt to."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class WebhookEvent(Model):
    """One thing that happened, published once: ``ref`` names its cause (e.g. the payment's
    ledger reference) and is unique, so the same change can never become two events."""

    id = fields.IntField(primary_key=True)
    uid = fields.CharField(max_length=40, unique=True)  # "evt_<hex>": the id receivers see
    type = fields.CharField(max_length=40)
    ref = fields.CharField(max_length=191, unique=True)
    data: dict[str, Any] = fields.JSONField()
    client_id = fields.IntField(null=True)  # whom it is about: erasure scrubs these (core/erasure)
    created_at = fields.DatetimeField()

    class Meta:
        table = "webhook_events"
        indexes = (("type", "created_at"), ("client_id",))


class WebhookDelivery(Model):
    """The delivery log: one row per HTTP attempt, successful or not."""

    id = fields.IntField(primary_key=True)
    event: fields.ForeignKeyRelation[WebhookEvent] = fields.ForeignKeyField(
        "models.WebhookEvent", related_name="deliveries", on_delete=fields.CASCADE
    )
    event_id: int
    endpoint = fields.CharField(max_length=64)
    url = fields.CharField(max_length=500)
    attempt = fields.IntField()
    status_code = fields.IntField(null=True)  # None: no HTTP answer (timeout, refused, DNS)
    ok = fields.BooleanField()
    error = fields.TextField(null=True)
    response = fields.TextField(null=True)  # the first 500 characters of the answer
    duration_ms = fields.IntField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "webhook_deliveries"
        indexes = (("event_id", "created_at"), ("endpoint", "created_at"))
