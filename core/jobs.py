"""Scheduled work as rows in the ``jobs`` table.

``Jobs.schedule`` writes a row (optionally under a unique ``dedupe_key``, so the same reminder
is never planned twice); :class:`JobRunner` claims due rows — several processes may run it, each
row runs once — and calls the handler registered for the row's kind. A row claimed by a process
that died is claimed again when its lease runs out.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from core import metrics
from core.clock import Clock
from core.delivery import backoff
from storage.claims import claim_jobs, finish_job, finish_jobs
from storage.models import Job, JobStatus

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
            return await Job.create(
                kind=kind, run_at=run_at, payload=payload or {}, dedupe_key=dedupe_key
            )
        except IntegrityError:
            if dedupe_key is None:
                raise
            return None

    async def reschedule(self, dedupe_key: str, run_at: datetime) -> int:
        return await Job.filter(dedupe_key=dedupe_key, status=JobStatus.PENDING).update(
            run_at=run_at
        )

    async def cancel(self, dedupe_prefix: str) -> int:
        return await Job.filter(
            dedupe_key__startswith=dedupe_prefix, status=JobStatus.PENDING
        ).update(status=JobStatus.CANCELLED)


class JobRunner:
    def __init__(
        self,
        jobs: Jobs,
        worker_id: str,
        *,
        lease: timedelta = timedelta(seconds=60),
        batch: int = 100,
        max_attempts: int = 5,
    ) -> None:
        self.jobs = jobs
        self.worker_id = worker_id
        self.lease = lease
        self.batch = batch
        self.max_attempts = max_attempts

    async def run_once(self) -> int:
        clock = self.jobs.clock
        ids = await claim_jobs(self.worker_id, clock.now(), self.lease, self.batch)
        claimed = await Job.filter(id__in=ids, claimed_by=self.worker_id).order_by("run_at", "id")
        if self.jobs.batch_handlers:
            claimed = await self._run_batches(claimed)
        for job in claimed:
            await self._run(job)
        return len(ids)

    async def _run_batches(self, claimed: list[Job]) -> list[Job]:
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
                    await self._run(job)
                continue
            metrics.JOBS.labels(kind, "done").inc(len(group))
            await finish_jobs([j.id for j in group], self.worker_id, self.jobs.clock.now())
        return rest

    async def drain(self, rounds: int = 1000) -> int:
        total = 0
        for _ in range(rounds):
            claimed = await self.run_once()
            total += claimed
            if not claimed:
                break
        return total

    async def _run(self, job: Job) -> None:
        clock = self.jobs.clock
        handler = self.jobs.handlers.get(job.kind)
        try:
            if handler is None:
                raise LookupError(f"no handler for job kind {job.kind!r}")
            await handler(job)
        except Exception as exc:
            log.exception("job %s (%s) failed", job.id, job.kind)
            metrics.JOBS.labels(job.kind, "error").inc()
            job.error = f"{type(exc).__name__}: {exc}"
            if job.attempts >= self.max_attempts or handler is None:
                job.status = JobStatus.FAILED
                job.finished_at = clock.now()
            else:
                job.status = JobStatus.PENDING
                job.run_at = clock.now() + timedelta(seconds=backoff(job.attempts))
            job.lease_until = None
            await job.save()
            return
        metrics.JOBS.labels(job.kind, "done").inc()
        await finish_job(job.id, self.worker_id, clock.now())
