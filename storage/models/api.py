"""The REST API's own tables: named API keys and the idempotency records of POST requests."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model


class ApiKey(Model):
    """A named key for the agency's CRM / 1C. Only the sha256 of the key is kept: the key
    itself is printed once, when created. Revoking keeps the row (audit entries name it)."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=64, unique=True)
    key_hash = fields.CharField(max_length=64, unique=True)  # sha256 hex of the whole key
    prefix = fields.CharField(max_length=16)  # the key's first characters, to recognise it
    scopes: list[str] = fields.JSONField(default=list)
    rate_per_minute = fields.IntField(null=True)  # None: [api] rate_per_minute
    created_at = fields.DatetimeField(auto_now_add=True)
    last_used_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_keys"


class IdempotencyRecord(Model):
    """One ``Idempotency-Key`` of one caller: the request it came with (a hash) and, once
    answered, the response to replay. The unique (owner, key) pair is what stops two concurrent
    requests with the same key from both doing the work."""

    id = fields.IntField(primary_key=True)
    owner = fields.CharField(max_length=32)  # "admin" or "key:<id>"
    key = fields.CharField(max_length=255)
    request_hash = fields.CharField(max_length=64)
    status = fields.IntField(null=True)  # None: still being answered
    response: Any = fields.JSONField(null=True)
    locked_until = fields.DatetimeField(null=True)  # an unanswered record lapses then
    created_at = fields.DatetimeField()

    class Meta:
        table = "api_idempotency"
        unique_together = (("owner", "key"),)
        indexes = (("created_at",),)


class ImportJob(Model):
    """A client or order file uploaded through the API, imported by the job runner (any
    process: the file is kept here, not on one machine's disk), with its report when done."""

    id = fields.IntField(primary_key=True)
    owner = fields.CharField(max_length=32)  # the API caller: "admin" or "key:<id>"
    actor = fields.CharField(max_length=64)  # how the audit log names them
    kind = fields.CharField(max_length=16)  # clients | orders
    filename = fields.CharField(max_length=128)
    content = fields.BinaryField()
    dry_run = fields.BooleanField(default=False)
    update = fields.BooleanField(default=False)  # clients: fill in fields of known clients
    status = fields.CharField(max_length=16, default="queued")  # queued running done failed
    rows_done = fields.IntField(default=0)
    report: Any = fields.JSONField(null=True)
    error: Any = fields.JSONField(null=True)  # {"key": ..., "args": {...}} of a refusal
    created_at = fields.DatetimeField()
    started_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_imports"
