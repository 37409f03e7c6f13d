"""Has this platform update been taken already? Answered by a unique key, never a set in memory.

An update is first *in progress* under a short lease, and *done* only once its work committed
(:meth:`done`). A process that dies mid-handling leaves only the lease, which lapses, so the
platform's retry is handled; a twin arriving while the first is still at work is told
:data:`BUSY` (the webhook answers 409, and the platform tries again later).

With Redis: ``SET NX EX lease`` for the claim, then the value ``done`` with a week's expiry
(Telegram keeps updates for 24 h, Viber retries for about an hour). Without: a row in
``processed_updates`` whose unique key refuses a twin; a lapsed claim is taken over by an
update that only matches when the lease has run out.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from storage.models import ProcessedUpdate

TTL_SECONDS = 7 * 24 * 3600
LEASE_SECONDS = 120.0  # longer than any handler runs; short next to the platform's retries

NEW = "new"  # ours to handle now
DONE = "done"  # handled before: skip
BUSY = "busy"  # another process (or task) is handling it right now


def _now() -> datetime:
    return datetime.now(UTC)


class DbUpdateLog:
    def __init__(self, lease_seconds: float = LEASE_SECONDS) -> None:
        self.lease = timedelta(seconds=lease_seconds)

    async def claim(self, channel: str, key: str) -> str:
        now = _now()
        try:
            await ProcessedUpdate.create(
                channel=channel, key=key, done=False, lease_until=now + self.lease
            )
        except IntegrityError:
            taken = await ProcessedUpdate.filter(
                channel=channel, key=key, done=False, lease_until__lt=now
            ).update(lease_until=now + self.lease)
            if taken:
                return NEW  # the previous holder died: its lease ran out
            row = await ProcessedUpdate.get_or_none(channel=channel, key=key)
            return DONE if row is None or row.done else BUSY
        return NEW

    async def done(self, channel: str, key: str) -> None:
        await ProcessedUpdate.filter(channel=channel, key=key).update(done=True, lease_until=None)

    async def forget(self, channel: str, key: str) -> None:
        """Handling failed before it finished: let the platform's retry through."""
        await ProcessedUpdate.filter(channel=channel, key=key).delete()


class RedisUpdateLog:
    def __init__(self, redis: Any, prefix: str, lease_seconds: float = LEASE_SECONDS) -> None:
        self._redis = redis
        self._prefix = prefix
        self.lease_ms = int(lease_seconds * 1000)

    def _key(self, channel: str, key: str) -> str:
        return f"{self._prefix}update:{channel}:{key}"

    async def claim(self, channel: str, key: str) -> str:
        name = self._key(channel, key)
        if await self._redis.set(name, "doing", nx=True, px=self.lease_ms):
            return NEW
        value = await self._redis.get(name)
        if value is None:  # the lease lapsed between the two calls: try once more
            return NEW if await self._redis.set(name, "doing", nx=True, px=self.lease_ms) else BUSY
        return BUSY if value in (b"doing", "doing") else DONE

    async def done(self, channel: str, key: str) -> None:
        await self._redis.set(self._key(channel, key), "done", ex=TTL_SECONDS)

    async def forget(self, channel: str, key: str) -> None:
        await self._redis.delete(self._key(channel, key))
