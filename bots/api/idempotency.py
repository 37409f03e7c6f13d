"""``Idempotency-Key`` on POST: the same key with the same request gets the same response.

The first request with a key inserts an unanswered record (unique per caller and key: the
database decides who does the work when two arrive at once), does the work, then stores the
response. A repeat with the same request replays it (``Idempotent-Replayed: true``); a repeat
with a different request is refused (422); a repeat while the first is still running waits a
little for its answer, then gets 409. A record whose request crashed lapses after
:data:`LOCK`, so the key can be retried; a 5xx answer is not kept. Records are kept
``[api] idempotency_hours``; every new key removes a few expired ones (:func:`prune`).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from bots.api.problems import ApiProblem
from storage.models import IdempotencyRecord

LOCK = timedelta(seconds=60)
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.05
KEY_MAX = 255
PRUNE_BATCH = 20


@dataclass(frozen=True, slots=True)
class Stored:
    status: int
    body: Any


def request_hash(method: str, path: str, body: bytes) -> str:
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), body):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def check_key(key: str) -> str:
    if not 1 <= len(key) <= KEY_MAX or not key.isascii() or not key.isprintable():
        raise ApiProblem(
            400, "bad-request", f"an Idempotency-Key is 1-{KEY_MAX} printable ASCII characters"
        )
    return key


async def begin(owner: str, key: str, digest: str, now: datetime, keep: timedelta) -> int | Stored:
    """The record id to answer under (this request does the work), or the stored answer."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        try:
            record = await IdempotencyRecord.create(
                owner=owner, key=key, request_hash=digest, locked_until=now + LOCK, created_at=now
            )
            await prune(now - keep)
            return record.id
        except IntegrityError:
            pass
        found = await IdempotencyRecord.get_or_none(owner=owner, key=key)
        if found is None:
            continue  # abandoned a moment ago: try to take it again
        if found.created_at < now - keep:  # expired: the key is free again
            await IdempotencyRecord.filter(id=found.id, created_at=found.created_at).delete()
            continue
        if found.request_hash != digest:
            raise ApiProblem(
                422,
                "idempotency-key-reused",
                "this Idempotency-Key was sent before with a different request",
            )
        if found.status is not None:
            return Stored(found.status, found.response)
        lapsed = found.locked_until is None or found.locked_until < now
        if lapsed and await IdempotencyRecord.filter(
            id=found.id, status__isnull=True, locked_until=found.locked_until
        ).update(locked_until=now + LOCK):
            return found.id  # its first request died; this one does the work
        if time.monotonic() >= deadline:
            raise ApiProblem(
                409,
                "in-progress",
                "a request with this Idempotency-Key is still being answered; retry shortly",
                headers={"Retry-After": "1"},
            )
        await asyncio.sleep(POLL_SECONDS)


async def prune(before: datetime, batch: int = PRUNE_BATCH) -> int:
    """Forget a few expired records; each new key pays for the cleaning of a few old ones, so
    the table stays as large as a day's keys without a separate job."""
    ids = (
        await IdempotencyRecord.filter(created_at__lt=before)
        .limit(batch)
        .values_list("id", flat=True)
    )
    if not ids:
        return 0
    return await IdempotencyRecord.filter(id__in=list(ids), created_at__lt=before).delete()


async def finish(record_id: int, status: int, body: Any) -> None:
    await IdempotencyRecord.filter(id=record_id).update(
        status=status, response=body, locked_until=None
    )


async def abandon(record_id: int) -> None:
    """The request failed on our side: forget the key, so a retry does the work."""
    await IdempotencyRecord.filter(id=record_id, status__isnull=True).delete()
