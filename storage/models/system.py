"""Conversation state, update dedupe and the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from storage.models.people import Staff


class ConversationState(Model):
    """Where each (channel, user) is in a conversation, when Redis is not configured."""

    id = fields.IntField(primary_key=True)
    channel = fields.CharField(max_length=16)
    external_id = fields.CharField(max_length=64)
    state = fields.CharField(max_length=64, null=True)
    data: dict[str, Any] = fields.JSONField(default=dict)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "conversation_states"
        unique_together = (("channel", "external_id"),)


class ProcessedUpdate(Model):
    """Platform updates taken (Telegram update_id, Viber message_token).

    ``done`` is set once the update's work committed. Until then the row is a claim that lapses
    at ``lease_until``, so the platform's retry after a crash is handled.
    """

    id = fields.IntField(primary_key=True)
    channel = fields.CharField(max_length=16)
    key = fields.CharField(max_length=128)
    done = fields.BooleanField(default=True)
    lease_until = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "processed_updates"
        unique_together = (("channel", "key"),)


class SharedSecret(Model):
    """A secret every process must agree on, generated once (e.g. the sandbox signing key)."""

    name = fields.CharField(max_length=32, primary_key=True)
    value = fields.CharField(max_length=128)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "shared_secrets"


class AuditEntry(Model):
    id = fields.IntField(primary_key=True)
    staff: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="audit", null=True, on_delete=fields.SET_NULL
    )
    staff_id: int | None
    actor = fields.CharField(max_length=64)  # "staff:3", "cli", "system", "client:7"
    action = fields.CharField(max_length=64)
    subject = fields.CharField(max_length=64, default="")  # "client:12", "order:A-17"
    details: dict[str, Any] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "audit_log"
        indexes = (("staff_id", "created_at"),)


class Counter(Model):
    """Human numbers (R-0001, T-0001) handed out without gaps or races."""

    name = fields.CharField(max_length=32, primary_key=True)
    value = fields.BigIntField(default=0)

    class Meta:
        table = "counters"
