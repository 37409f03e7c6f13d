"""core/ticks.py: waits for booked slots end together on a grid, never before the slot."""

from __future__ import annotations

import asyncio
import time

from core.ticks import Ticks


async def test_a_wait_ends_at_the_first_tick_at_or_after_its_slot() -> None:
    ticks = Ticks(grid=0.02)
    at = time.monotonic() + 0.013
    tick = await ticks.until(at)
    woke = time.monotonic()
    assert tick >= at and tick - at < 0.02 + 1e-9
    assert round(tick / 0.02, 6).is_integer()
    assert woke >= tick - 0.002  # the loop's clock resolution; never ahead of the slot's tick


async def test_waits_of_one_tick_share_one_timer_and_wake_in_the_same_turn() -> None:
    ticks = Ticks(grid=0.05)
    base = ticks.tick_of(time.monotonic() + 0.06)
    slots = [base - 0.04 + i * 0.004 for i in range(10)]  # all within one tick
    tasks = [asyncio.create_task(ticks.until(at)) for at in slots]
    await asyncio.sleep(0)
    assert len(ticks._waiting) == 1  # one timer for the ten
    woke: list[float] = []
    for task in asyncio.as_completed(tasks):
        assert await task == base
        woke.append(time.monotonic())
    assert max(woke) - min(woke) < 0.01
    assert not ticks._waiting  # fired and forgotten


async def test_a_cancelled_wait_leaves_the_others_of_its_tick_waiting() -> None:
    ticks = Ticks(grid=0.03)
    at = time.monotonic() + 0.05
    gone = asyncio.create_task(ticks.until(at))
    stays = asyncio.create_task(ticks.until(at))
    await asyncio.sleep(0)
    gone.cancel()
    assert await stays == ticks.tick_of(at)
    assert gone.cancelled()


async def test_a_slot_already_past_does_not_wait() -> None:
    ticks = Ticks()
    past = time.monotonic() - 1.0
    assert await ticks.until(past) == ticks.tick_of(past)
    assert not ticks._waiting


async def test_work_due_by_a_time_starts_at_the_tick_before_it() -> None:
    ticks = Ticks(grid=0.02)
    due = ticks.tick_of(time.monotonic() + 0.05) + 0.015  # 15 ms past a tick
    await ticks.by(due)
    woke = time.monotonic()
    assert woke <= due - 0.01  # the tick before, not the one after
    assert woke >= due - 0.015 - 0.002
