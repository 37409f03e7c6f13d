"""Scheduled work as rows in the ``jobs`` table.

``Jobs.schedule`` writes a row (optionally under a unique ``dedupe_key``, so the same reminder
is never planned twice); :class:`JobRunner` claims due rows — several processes may run it, each
row runs once — and calls the handler registered for the row's kind. A row claimed by a process
that died is claimed again when its lease runs out.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from core import metrics
from core.backoff import DEFAULT as DEFAULT_BACKOFF
from core.backoff import BackoffConfig
from core.clock import Clock
from core.settle import Progress
from storage.claims import (
    claim_jobs,
    extend_jobs,
    finish_job,
    finish_jobs,
    new_token,
    reap_jobs,
)
from storage.job_rows import NewJob, insert_job_rows
from storage.models import Job, JobStatus
from storage.savepoint import savepoint

log = logging.getLogger(__name__)

JobHandler = Callable[[Job], Awaitable[None]]
# Optional, per kind: handles all the claimed jobs of that kind at once (idempotently: the batch
# is marked done only when it returns, so a crash redoes all of it). If it raises, each job of
# the batch is run again on its own by the kind's ordinary handler (retries, errors per job).
BatchHandler = Callable[[list[Job]], Awaitable[None]]


class Jobs:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.handlers: dict[str, JobHandler] = {}
        self.batch_handlers: dict[str, BatchHandler] = {}

    def handler(self, kind: str) -> Callable[[JobHandler], JobHandler]:
        def register(func: JobHandler) -> JobHandler:
            self.handlers[kind] = func
            return func

        return register

    def batch_handler(self, kind: str) -> Callable[[BatchHandler], BatchHandler]:
        def register(func: BatchHandler) -> BatchHandler:
            self.batch_handlers[kind] = func
            return func

        return register

    async def schedule(
        self,
        kind: str,
        run_at: datetime,
        payload: dict[str, Any] | None = None,
        *,
        dedupe_key: str | None = None,
    ) -> Job | None:
        """Plan a job; with ``dedupe_key`` a second identical plan is ignored (returns None)."""
        try:
            async with savepoint():  # inside a payment's transaction, a taken key must not abort it
                return await Job.create(
                    kind=kind, run_at=run_at, payload=payload or {}, dedupe_key=dedupe_key
                )
        except IntegrityError:
            if dedupe_key is None:
                raise
            return None

    async def schedule_many(self, jobs: Sequence[NewJob]) -> int:
        """Plan many jobs in a few statements; a dedupe key already used is skipped. Returns
        how many were planned. Not for use inside a transaction that must survive a taken key
        (it skips rather than fails, so it needs no savepoint)."""
        return await insert_job_rows(jobs, self.clock.now())

    async def reschedule(self, dedupe_key: str, run_at: datetime) -> int:
        return await Job.filter(dedupe_key=dedupe_key, status=JobStatus.PENDING).update(
            run_at=run_at
        )

    async def cancel(self, dedupe_prefix: str) -> int:
        return await Job.filter(
            dedupe_key__startswith=dedupe_prefix, status=JobStatus.PENDING
        ).update(status=JobStatus.CANCELLED)


class JobRunner:
    """Claims due jobs in small fenced batches and runs them.

    Each claim gets a token; while the batch runs its lease is extended, and a job is marked
    done (or retried) only by ``UPDATE … WHERE claim_token = ?`` — so a batch that outlived
    its lease and was re-claimed elsewhere is not recorded twice, and the rest of a batch whose
    claim was lost is not run.
    """

    def __init__(
        self,
        jobs: Jobs,
        worker_id: str,
        *,
        lease: timedelta = timedelta(seconds=60),
        batch: int = 100,
        max_attempts: int = 5,
        retry: BackoffConfig = DEFAULT_BACKOFF,
        lanes: int = 1,
        progress: Progress | None = None,
    ) -> None:
        self.jobs = jobs
        # ticked after each round that ran something (core/settle.py)
        self.progress = progress
        # claim-and-run loops of this process: a batch spends most of its time waiting for
        # the database, so while one waits another runs (each claims its own rows)
        self.lanes = max(1, lanes)
        self.worker_id = worker_id
        self.lease = lease
        self.batch = batch
        self.max_attempts = max_attempts
        self.retry = retry
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def run_once(self) -> int:
        clock = self.jobs.clock
        await reap_jobs(clock.now())
        token = new_token()
        ids = await claim_jobs(
            self.worker_id, token, clock.now(), clock.now() + self.lease, self.batch
        )
        if not ids:
            return 0
        beat = asyncio.create_task(self._heartbeat(token))
        try:
            claimed = await Job.filter(id__in=ids, claim_token=token).order_by("run_at", "id")
            if self.jobs.batch_handlers:
                claimed = await self._run_batches(claimed, token)
            for job in claimed:
                if not await self._still_held(job, token):
                    log.warning("job %s: claim lost (lease ran out); not running it", job.id)
                    continue
                await self._run(job, token)
        finally:
            beat.cancel()
        return len(ids)

    async def _heartbeat(self, token: str) -> None:
        period = max(self.lease.total_seconds() / 3, 0.05)
        while True:
            await asyncio.sleep(period)
            try:
                await extend_jobs(token, self.jobs.clock.now() + self.lease)
            except Exception:
                log.exception("extending job leases failed")

    async def _still_held(self, job: Job, token: str) -> bool:
        return await Job.filter(id=job.id, claim_token=token, status=JobStatus.RUNNING).exists()

    async def _run_batches(self, claimed: list[Job], token: str) -> list[Job]:
        """Run the kinds that have a batch handler; returns the other jobs, in order."""
        batches: dict[str, list[Job]] = {}
        rest: list[Job] = []
        for job in claimed:
            if job.kind in self.jobs.batch_handlers:
                batches.setdefault(job.kind, []).append(job)
            else:
                rest.append(job)
        for kind, group in batches.items():
            try:
                await self.jobs.batch_handlers[kind](group)
            except Exception:
                log.exception(
                    "batch of %d %s jobs failed; running them one by one", len(group), kind
                )
                for job in group:
                    await self._run(job, token)
                continue
            metrics.JOBS.labels(kind, "done").inc(len(group))
            await finish_jobs([j.id for j in group], token, self.jobs.clock.now())
        return rest

    async def drain(self, rounds: int = 1000) -> int:
        total = 0
        for _ in range(rounds):
            claimed = await self.run_once()
            total += claimed
            if not claimed:
                break
        return total

    def start(self, *, poll_seconds: float = 1.0) -> None:
        """The long-running loop of a process (pair with :meth:`stop`)."""
        if not self._tasks:
            self._stopping.clear()
            self._tasks = [
                asyncio.create_task(self._loop(poll_seconds), name=f"jobs-{lane}")
                for lane in range(self.lanes)
            ]

    async def _loop(self, poll_seconds: float) -> None:
        while not self._stopping.is_set():
            try:
                busy = await self.run_once()
            except Exception:
                log.exception("job runner round failed")
                busy = 0
            if busy and self.progress is not None:
                self.progress.tick()
            if not busy:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), poll_seconds)

    async def stop(self, grace: float = 30.0) -> None:
        """Let the running batch finish (its jobs are recorded), then stop."""
        self._stopping.set()
        if self._tasks:
            _, late = await asyncio.wait(self._tasks, timeout=grace)
            for task in late:
                task.cancel()
            self._tasks = []

    async def _run(self, job: Job, token: str) -> None:
        clock = self.jobs.clock
        handler = self.jobs.handlers.get(job.kind)
        try:
            if handler is None:
                raise LookupError(f"no handler for job kind {job.kind!r}")
            await handler(job)
        except Exception as exc:
            log.exception("job %s (%s) failed", job.id, job.kind)
            metrics.JOBS.labels(job.kind, "error").inc()
            error = f"{type(exc).__name__}: {exc}"
            held = Job.filter(id=job.id, claim_token=token, status=JobStatus.RUNNING)
            if job.attempts >= self.max_attempts or handler is None:
                await held.update(
                    status=JobStatus.FAILED, finished_at=clock.now(), error=error, lease_until=None
                )
            else:
                await held.update(
                    status=JobStatus.PENDING,
                    run_at=clock.now() + timedelta(seconds=self.retry.delay(job.attempts)),
                    error=error,
                    lease_until=None,
                    claim_token=None,
                )
            return
        metrics.JOBS.labels(job.kind, "done").inc()
        await finish_job(job.id, token, clock.now())
