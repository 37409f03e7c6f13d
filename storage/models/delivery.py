"""The outbox (also the per-client message history) and scheduled jobs."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from storage.models.people import Client, MessengerAccount, Staff


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a worker until lease_until
    SENT = "sent"
    FAILED = "failed"  # gave up: error recorded
    BLOCKED = "blocked"  # the user blocked us / unsubscribed: never retried
    CANCELLED = "cancelled"  # its subject changed before it was sent
    RECEIVED = "received"  # an inbound message kept for the history


class OutboxMessage(Model):
    id = fields.IntField(primary_key=True)
    channel = fields.CharField(max_length=16)
    external_id = fields.CharField(max_length=64)
    account: fields.ForeignKeyNullableRelation[MessengerAccount] = fields.ForeignKeyField(
        "models.MessengerAccount", related_name="messages", null=True, on_delete=fields.SET_NULL
    )
    account_id: int | None
    client: fields.ForeignKeyNullableRelation[Client] = fields.ForeignKeyField(
        "models.Client", related_name="messages", null=True, on_delete=fields.SET_NULL
    )
    client_id: int | None
    staff: fields.ForeignKeyNullableRelation[Staff] = fields.ForeignKeyField(
        "models.Staff", related_name="messages", null=True, on_delete=fields.SET_NULL
    )
    staff_id: int | None
    direction = fields.CharField(max_length=3, default="out")  # out | in
    kind = fields.CharField(max_length=32, default="notification")
    body: dict[str, Any] = fields.JSONField()  # a serialised Reply
    meta: dict[str, Any] = fields.JSONField(
        default=dict
    )  # links for replies: {"relay_client": 7, ...}
    status = fields.CharEnumField(OutboxStatus, max_length=16, default=OutboxStatus.PENDING)
    lane = fields.CharField(max_length=8, default="direct")  # direct | bulk (see core/pacing.py)
    dedupe_key = fields.CharField(max_length=191, null=True, unique=True)
    attempts = fields.IntField(default=0)
    not_before = fields.DatetimeField()
    # wall-clock time before which the chat (or channel) may not get this row: pacing and 429s
    paced_until = fields.DatetimeField(null=True)
    lease_until = fields.DatetimeField(null=True)
    claimed_by = fields.CharField(max_length=64, null=True)
    claim_token = fields.CharField(max_length=32, null=True)  # fences every write of a holder
    parts_sent = fields.IntField(default=0)  # parts of a split message already delivered
    # the part whose request is on its way (set right before the request, cleared with the
    # outcome): a row whose holder died with this set may have reached the user (kill -9)
    sending_part = fields.IntField(null=True)
    # rows with the same key carry the same message and may leave in one request (Viber
    # broadcast_message, see core/batching.py); None: always sent one by one
    batch_key = fields.CharField(max_length=48, null=True)
    # rows with the same key show ONE message that each later row edits in place where the
    # channel can (a live progress message); only the newest unsent row is ever sent
    replace_key = fields.CharField(max_length=64, null=True)
    error = fields.TextField(null=True)
    platform_message_id = fields.CharField(max_length=64, null=True)
    sent_at = fields.DatetimeField(null=True)
    delivered_at = fields.DatetimeField(null=True)
    seen_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "outbox"
        indexes = (
            ("status", "not_before"),
            ("channel", "platform_message_id"),
            ("client_id", "created_at"),
            ("status", "lane", "not_before", "id"),
            ("status", "lease_until"),
            ("channel", "external_id", "status"),
            ("staff_id", "status"),
            ("batch_key", "status"),
            ("replace_key", "status"),
        )


class JobStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Job(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=64)
    payload: dict[str, Any] = fields.JSONField(default=dict)
    run_at = fields.DatetimeField()
    status = fields.CharEnumField(JobStatus, max_length=16, default=JobStatus.PENDING)
    dedupe_key = fields.CharField(max_length=191, null=True, unique=True)
    attempts = fields.IntField(default=0)
    lease_until = fields.DatetimeField(null=True)
    claimed_by = fields.CharField(max_length=64, null=True)
    claim_token = fields.CharField(max_length=32, null=True)
    error = fields.TextField(null=True)
    finished_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "jobs"
        indexes = (("status", "run_at"), ("status", "lease_until"))
