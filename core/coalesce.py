"""Many concurrent calls, one round trip: calls that arrive while a flush is on its way wait
and leave together in the next one.

The delivery engine keeps dozens of sends in flight; each one confirms its claim before the
request and records the outcome after it. Done one statement per message, the database round
trips cost more than the sends. A :class:`Coalescer` wraps a function that handles a list of
items in one statement (or one Redis script): the first call leaves at once (no added latency
when idle), and every call made meanwhile joins the next flush, up to ``max_batch`` items.
Each caller gets its own item's result; an error of the flush is raised to every caller of it.

Under steady load the flushes would shrink to a call or two each (a round trip is about as long
as the gap between calls), every one paying a socket write and read: with ``linger`` a flush
that finds calls already waiting when the previous one returns waits that long for more
before it leaves. An idle coalescer never waits: the first call after a pause leaves at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Coalescer(Generic[T, R]):
    def __init__(
        self,
        flush: Callable[[list[T]], Awaitable[Sequence[R]]],
        *,
        max_batch: int = 500,
        linger: float = 0.0,
    ) -> None:
        self._flush = flush
        self._max = max(1, max_batch)
        self._linger = linger
        self._waiting: list[tuple[T, asyncio.Future[R]]] = []
        self._runner: asyncio.Task[None] | None = None

    async def __call__(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._runner is None or self._runner.done():
            self._runner = asyncio.create_task(self._run())
        return await future

    async def _run(self) -> None:
        while self._waiting:
            batch, self._waiting = self._waiting[: self._max], self._waiting[self._max :]
            try:
                results = await self._flush([item for item, _ in batch])
            except BaseException as exc:  # every caller of this flush learns of it
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                if isinstance(exc, asyncio.CancelledError):
                    raise
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)
            if self._linger and 0 < len(self._waiting) < self._max:
                await asyncio.sleep(self._linger)  # busy: let the next flush fill up
