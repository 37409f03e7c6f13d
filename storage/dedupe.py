"""Has this platform update been handled already? Answered by a unique key, never a set in memory.

With Redis: ``SET NX`` with a week's expiry (Telegram keeps updates for 24 h, Viber retries for
about an hour). Without: an insert into ``processed_updates`` whose unique key refuses a twin.
"""

from __future__ import annotations

from typing import Any

from tortoise.exceptions import IntegrityError

from storage.models import ProcessedUpdate

TTL_SECONDS = 7 * 24 * 3600


class DbUpdateLog:
    async def first_time(self, channel: str, key: str) -> bool:
        try:
            await ProcessedUpdate.create(channel=channel, key=key)
        except IntegrityError:
            return False
        return True

    async def forget(self, channel: str, key: str) -> None:
        """Handling failed before it finished: let the platform's retry through."""
        await ProcessedUpdate.filter(channel=channel, key=key).delete()


class RedisUpdateLog:
    def __init__(self, redis: Any, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix

    async def first_time(self, channel: str, key: str) -> bool:
        added = await self._redis.set(
            f"{self._prefix}update:{channel}:{key}", "1", nx=True, ex=TTL_SECONDS
        )
        return bool(added)

    async def forget(self, channel: str, key: str) -> None:
        await self._redis.delete(f"{self._prefix}update:{channel}:{key}")
