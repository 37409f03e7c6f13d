"""Waits for booked slots that end together, on a shared grid of ticks.

At 1000 sends a second, a sleep per send to its own slot woke the process a thousand times a
second for one request each: every request paid a loop turn, a timer and a socket wakeup of
its own, and so did the platform's answer (bench/mailings.py, paced row: 0.72 ms of the
sender's CPU and 0.57 ms of the fake Bot API's per message). Waking on a grid of
:data:`GRID` seconds lets the sends whose slots fall in one tick leave in one loop turn, and
their answers come back together: 0.54 and 0.39 ms measured the same way with a 20 ms grid.

A send never leaves before its slot (a wait ends at the first tick at or after it), so the
platform never sees it early; the sends of one tick arrive as a burst of at most one tick's
worth of the rate, well inside what the platform tolerates (Telegram about 0.1 s; how that
is shared with a late request and a pause: ``core.delivery.LATE``).
"""

from __future__ import annotations

import asyncio
import math
import time

GRID = 0.02  # seconds between ticks


class Ticks:
    """``await ticks.until(at)``: sleep to the first tick at or after ``at``; one timer per
    tick however many wait for it, each waiter cancellable on its own."""

    def __init__(self, grid: float = GRID) -> None:
        self.grid = grid
        self._waiting: dict[int, list[asyncio.Future[None]]] = {}  # by tick number

    async def by(self, at: float) -> None:
        """Wait until the last tick at or before ``at`` (for work that must be done by then,
        such as a claim check due before its slot)."""
        number = math.floor(at / self.grid)
        if number * self.grid > time.monotonic():
            await self._wait(number)

    def tick_of(self, at: float) -> float:
        """The tick at or after ``at``: when a send booked for ``at`` leaves."""
        return math.ceil(at / self.grid) * self.grid

    async def until(self, at: float) -> float:
        """Wait until the tick at or after ``at`` (``time.monotonic``); return the tick."""
        number = math.ceil(at / self.grid)
        tick = number * self.grid
        if tick > time.monotonic():
            await self._wait(number)
        return tick

    async def _wait(self, number: int) -> None:
        loop = asyncio.get_running_loop()
        waiters = self._waiting.get(number)
        if waiters is None:
            waiters = self._waiting[number] = []
            loop.call_later(number * self.grid - time.monotonic(), self._fire, number)
        waiter: asyncio.Future[None] = loop.create_future()
        waiters.append(waiter)
        await waiter

    def _fire(self, number: int) -> None:
        for waiter in self._waiting.pop(number, ()):
            if not waiter.done():  # a cancelled waiter is done already
                waiter.set_result(None)
