"""A process that stood still holds its sends as long as it stood still (core/stillness.py)."""

from __future__ import annotations

import asyncio
import time

from core.ratelimit import Limit, MemoryLimiter, Rate
from core.stillness import Stillness


async def test_a_pause_opens_a_hold_as_long_as_itself_and_pushes_the_limits_back() -> None:
    limiter = MemoryLimiter()
    key = Limit("telegram:global", Rate(30, 1.0, burst=1))
    seen: list[float] = []

    async def paused(seconds: float) -> None:
        seen.append(seconds)
        await limiter.block(key.key, seconds)

    still = Stillness(paused, tick=0.005, threshold=0.1)
    watch = asyncio.create_task(still.run())
    try:
        await asyncio.sleep(0.02)  # the watch is running
        time.sleep(0.4)  # noqa: ASYNC251 - the process standing still is the point
        await asyncio.sleep(0.03)  # the watch wakes late and notices
    finally:
        watch.cancel()
    assert seen and seen[-1] > 0.35  # (a loaded box may add a pause of its own first)
    now = time.monotonic()
    woke = still.hold_until - seen[-1]  # the hold runs from the wake for as long as the pause
    assert now - 5 < woke <= now
    assert still.holds(woke + seen[-1] - 0.01)  # a slot inside the hold: a new slot is taken
    assert not still.holds(woke + seen[-1])  # past it: the slot stands
    # the shared limit was pushed back as far: the next slot is the hold's length away
    reservation = await limiter.reserve([key])
    assert reservation.granted and reservation.wait > 0.1


async def test_a_failing_push_back_keeps_the_hold_and_the_watch() -> None:
    calls = 0

    async def failing(seconds: float) -> None:
        nonlocal calls
        calls += 1
        raise ConnectionError("redis is down")

    still = Stillness(failing, tick=0.005, threshold=0.05)
    watch = asyncio.create_task(still.run())
    try:
        await asyncio.sleep(0.02)
        time.sleep(0.1)  # noqa: ASYNC251
        await asyncio.sleep(0.03)
        time.sleep(0.1)  # noqa: ASYNC251
        await asyncio.sleep(0.03)
        assert not watch.done()
    finally:
        watch.cancel()
    assert calls >= 2 and still.pauses == calls  # each pause noticed, the watch still on
