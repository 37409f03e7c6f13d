"""A process that stood still pays its burst back.

When a process is held up (a garbage collection, the machine's scheduler, a long socket write),
the requests it had already let go leave together once it runs again: the platform sees them
as a burst, ahead of their slots by as long as the process stood still. Platforms tolerate a
little (Telegram about 0.1 s); past that they answer 429 to the requests that follow, on time
as those are. :class:`Stillness` notices such a pause by how late a short sleep wakes, and opens
a hold as long as the pause: sends whose slot falls inside it take new slots after it, and the
shared limits are pushed back as far (``on_pause``), so that the burst and the hold together
keep the rate.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

TICK = 0.01  # seconds between looks
# a pause longer than this opens a hold: the platform's tolerance (0.1 s) less a tick's burst
# (core.ticks.GRID), a send's own allowed lateness (core.delivery.LATE) and a margin
THRESHOLD = 0.04


class Stillness:
    def __init__(
        self,
        on_pause: Callable[[float], Awaitable[object]],
        *,
        tick: float = TICK,
        threshold: float = THRESHOLD,
    ) -> None:
        self._on_pause = on_pause
        self.tick, self.threshold = tick, threshold
        self.hold_until = 0.0  # time.monotonic() until which no slot may be used
        self.pauses = 0

    def holds(self, at: float) -> bool:
        """Whether a slot at ``at`` (time.monotonic) falls inside a hold."""
        return at < self.hold_until

    async def run(self) -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(self.tick)
            now = time.monotonic()
            pause = now - before - self.tick
            if pause <= self.threshold:
                continue
            self.pauses += 1
            self.hold_until = max(self.hold_until, now + pause)
            try:
                await self._on_pause(pause)
            except Exception:  # the hold of this process still stands
                log.exception("pushing the shared limits back after a pause failed")
