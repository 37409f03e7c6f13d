"""Waiting until the work already due has been done: the scripted console demo.

Typed by hand, a line is read long after the messages the last one caused were pushed. A piped
script is read at once, so without a wait a pushed message (a held client message handed to the
manager who just joined, a receipt) would be printed after the next line had already been
taken — and that line could not press the pushed message's buttons. :func:`settle` waits until
nothing is due: no outbox row of the given channels due and unsent, no job due and not done.

It waits on :class:`Progress`, ticked by the delivery worker after each send it finished and by
the job runner after each round that ran something, and looks again after each tick — never a
fixed sleep; the caller bounds the wait (work failing and retrying later is no longer due).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from core.clock import Clock
from storage.models import Job, JobStatus, OutboxMessage, OutboxStatus

UNSENT = (OutboxStatus.PENDING, OutboxStatus.SENDING)


class Progress:
    """A tick made whenever a worker finished a piece of work; each tick wakes every waiter."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def tick(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    def next_tick(self) -> asyncio.Event:
        """The event of the next tick (take it BEFORE looking, so no tick is missed)."""
        return self._event


async def due_work(clock: Clock, channels: Sequence[str]) -> bool:
    """Whether an outbox row for ``channels`` or a job is due now and not finished."""
    now = clock.now()
    if await OutboxMessage.filter(
        channel__in=list(channels), status__in=UNSENT, not_before__lte=now
    ).exists():
        return True
    if await Job.filter(status=JobStatus.RUNNING).exists():
        return True
    return await Job.filter(status=JobStatus.PENDING, run_at__lte=now).exists()


async def settle(progress: Progress, clock: Clock, channels: Sequence[str]) -> None:
    """Return once :func:`due_work` finds nothing; the caller bounds it (``asyncio.timeout``)."""
    while True:
        tick = progress.next_tick()
        if not await due_work(clock, channels):
            return
        await tick.wait()
