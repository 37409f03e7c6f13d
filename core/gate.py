"""A FIFO gate: at most ``n`` holders at once, the others wait in line.

``asyncio.Semaphore`` would do, but on Python 3.11 its ``acquire`` scans every waiter
(``locked()`` walks the queue), so a few hundred sends queued behind a gate cost O(n) each —
a measurable share of a mailing's CPU at 1000 messages a second. Here taking and giving back a
place is O(1); a place given back goes straight to the first waiter in line.
"""

from __future__ import annotations

import asyncio
from collections import deque
from types import TracebackType


class Gate:
    def __init__(self, places: int) -> None:
        if places < 1:
            raise ValueError("a gate needs at least one place")
        self._free = places
        self._line: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        return sum(1 for f in self._line if not f.done())

    async def __aenter__(self) -> None:
        if self._free > 0 and not self._line:
            self._free -= 1
            return
        place: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._line.append(place)
        try:
            await place
        except asyncio.CancelledError:
            if place.done() and not place.cancelled():
                self._give_back()  # handed a place just as we were cancelled: pass it on
            else:
                place.cancel()  # left in line; skipped when its turn comes
            raise

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._give_back()

    def _give_back(self) -> None:
        while self._line:
            place = self._line.popleft()
            if not place.done():
                place.set_result(None)  # the place passes to it: nothing freed
                return
        self._free += 1
