"""Mailings: the mailing itself, its snapshot of recipients, and segments saved by name."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from storage.models.delivery import OutboxMessage
    from storage.models.people import Client, MessengerAccount, Staff


class MailingStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    PAUSED = "paused"
    DONE = "done"
    CANCELLED = "cancelled"


class RecipientOutcome(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    DELIVERED = "delivered"
    SEEN = "seen"
    FAILED = "failed"
    BLOCKED = "blocked"
    UNSUBSCRIBED = "unsubscribed"
    CANCELLED = "cancelled"  # the mailing was cancelled before this one left


class Mailing(Model):
    """One mailing: content per language, the segment expression and where sending stands."""

    id = fields.IntField(primary_key=True)
    status = fields.CharEnumField(MailingStatus, max_length=16, default=MailingStatus.DRAFT)
    texts: dict[str, str] = fields.JSONField(default=dict)  # {"default": T, "uk": T, ...}
    picture_url = fields.CharField(max_length=512, null=True)
    links: list[Any] = fields.JSONField(default=list)  # [[label, url], ...] at most three
    segment = fields.TextField(default="")  # the expression, as typed
    rate = fields.IntField(null=True)  # messages per second; None: the lane's own rate
    run_at = fields.DatetimeField(null=True)  # when sending starts (UTC)
    started_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    snapshot_cursor = fields.IntField(default=0)  # last client id copied into the snapshot
    snapshot_done = fields.BooleanField(default=False)
    paced_until = fields.DatetimeField(null=True)  # not_before of the last queued message
    feed_round = fields.IntField(default=0)  # numbers the feed jobs, for their dedupe keys
    created_by: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="mailings", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "mailings"
        indexes = (("status", "created_at"),)


class MailingRecipient(Model):
    """One client of a mailing's audience, snapshotted when sending starts. Unique per mailing."""

    id = fields.IntField(primary_key=True)
    mailing: fields.ForeignKeyRelation[Mailing] = fields.ForeignKeyField(
        "models.Mailing", related_name="recipients", on_delete=fields.CASCADE
    )
    mailing_id: int
    client: fields.ForeignKeyRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="mailings_received", on_delete=fields.CASCADE
    )
    client_id: int
    account: fields.ForeignKeyNullableRelation[MessengerAccount] = fields.ForeignKeyField(
        "models.MessengerAccount", related_name="+", null=True, on_delete=fields.SET_NULL
    )
    account_id: int | None
    outcome = fields.CharEnumField(
        RecipientOutcome, max_length=16, default=RecipientOutcome.PENDING
    )
    outbox: fields.ForeignKeyNullableRelation[OutboxMessage] = fields.ForeignKeyField(
        "models.OutboxMessage", related_name="+", null=True, on_delete=fields.SET_NULL
    )
    outbox_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "mailing_recipients"
        unique_together = (("mailing_id", "client_id"),)
        indexes = (("mailing_id", "outcome"), ("client_id", "created_at"))


class Segment(Model):
    """A segment expression saved under a name, for chat, CLI and API alike."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    expression = fields.TextField()
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "segments"
