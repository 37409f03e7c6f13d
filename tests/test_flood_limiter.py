"""The shared rate limiter (core/ratelimit.py): GCRA arithmetic with a controlled clock, and the
Redis implementation shared by two "processes" (PostgreSQL backend only, where Redis runs)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from core.ratelimit import Limit, MemoryLimiter, Rate, RedisLimiter
from tests.support import backends


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def test_pace_one_per_second_per_key() -> None:
    clock = Clock()
    limiter = MemoryLimiter(clock)
    chat = [Limit("chat:1", Rate(1, 1.0))]
    waits = [(await limiter.reserve(chat)).wait for _ in range(3)]
    assert waits == [0.0, 1.0, 2.0]
    assert (await limiter.reserve([Limit("chat:2", Rate(1, 1.0))])).wait == 0.0  # other chat
    clock.now += 10
    assert (await limiter.reserve(chat)).wait == 0.0


async def test_burst_then_rate_and_max_wait_books_nothing() -> None:
    clock = Clock()
    limiter = MemoryLimiter(clock)
    flood = [Limit("flood:u", Rate(3, 30.0))]  # 3 per 30 s
    assert [(await limiter.reserve(flood, max_wait=0)).granted for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    refused = await limiter.reserve(flood, max_wait=0)
    assert not refused.granted and refused.wait == pytest.approx(10.0)
    clock.now += 10  # one slot freed; the refused attempts booked nothing
    assert (await limiter.reserve(flood, max_wait=0)).granted
    assert not (await limiter.reserve(flood, max_wait=0)).granted


async def test_several_limits_at_once_wait_for_the_slowest() -> None:
    clock = Clock()
    limiter = MemoryLimiter(clock)
    global_ = Limit("global", Rate(2, 1.0))  # 2/s, burst 2
    waits = []
    for chat in range(4):
        waits.append((await limiter.reserve([Limit(f"chat:{chat}", Rate(1, 1.0)), global_])).wait)
    assert waits == [0.0, 0.0, 0.5, 1.0]


async def test_once_per_ttl() -> None:
    clock = Clock()
    limiter = MemoryLimiter(clock)
    assert await limiter.once("note:u", 60)
    assert not await limiter.once("note:u", 60)
    clock.now += 61
    assert await limiter.once("note:u", 60)


@pytest.fixture
async def redis() -> AsyncIterator[Any]:
    if not backends.is_postgres():
        pytest.skip("Redis runs with the PostgreSQL backend")
    from redis.asyncio import Redis

    client = Redis.from_url(backends.REDIS_URL)
    yield client
    await client.aclose()


async def test_redis_limiter_is_shared_between_processes(redis: Any) -> None:
    prefix = f"tdtest:{uuid.uuid4().hex[:8]}:"
    one, two = RedisLimiter(redis, prefix), RedisLimiter(redis, prefix)
    flood = [Limit("flood:u", Rate(2, 3600.0))]
    try:
        assert (await one.reserve(flood, max_wait=0)).granted
        assert (await two.reserve(flood, max_wait=0)).granted
        refused = await one.reserve(flood, max_wait=0)
        assert not refused.granted and 1790 < refused.wait <= 1800
        chat = [Limit("chat:9", Rate(1, 1.0))]
        assert (await one.reserve(chat)).wait == 0.0
        second = await two.reserve(chat)
        assert second.granted and 0.0 < second.wait <= 1.0
        assert await one.once("note:u", 60) and not await two.once("note:u", 60)
    finally:
        keys = [k async for k in redis.scan_iter(match=f"{prefix}*")]
        if keys:
            await redis.delete(*keys)
