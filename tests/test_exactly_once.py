"""Outbox rows and due jobs are each handled once, however many workers run, and the work of a
worker that died is picked up after its lease."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from core.clock import ManualClock
from core.contract import Reply
from core.delivery import DeliveryWorker, reply_to_json
from core.jobs import JobRunner, Jobs
from storage.models import Job, JobStatus, MessengerAccount, OutboxMessage, OutboxStatus
from tests.support import backends
from tests.support.channels import Channel
from tests.support.procs import ROOT, clean_env, stop, wait_until
from tests.support.worker_proc import LoggingSender

N = 2000
postgres_only = pytest.mark.skipif(
    not backends.is_postgres(),
    reason="several processes claim rows with SKIP LOCKED on PostgreSQL; SQLite runs one process",
)


async def seed_outbox(clock: ManualClock, n: int = N) -> None:
    account = await MessengerAccount.create(channel="console", external_id="crowd")
    now = clock.now() - timedelta(seconds=1)
    await OutboxMessage.bulk_create(
        [
            OutboxMessage(
                channel="console",
                external_id="crowd",
                account_id=account.id,
                body=reply_to_json(Reply(f"m{i}")),
                not_before=now,
            )
            for i in range(n)
        ],
        batch_size=500,
    )


async def seed_jobs(clock: ManualClock, n: int = N) -> None:
    now = clock.now() - timedelta(seconds=1)
    await Job.bulk_create(
        [Job(kind="probe", run_at=now, payload={"n": i}) for i in range(n)], batch_size=500
    )


def spawn(db_url: str, mode: str, log: Path, name: str, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.worker_proc",
            "--db",
            db_url,
            "--mode",
            mode,
            "--log",
            str(log),
            "--name",
            name,
            *extra,
        ],
        cwd=ROOT,
        env=clean_env(),
    )


async def all_in(table: type[Job] | type[OutboxMessage], status: object, n: int) -> bool:
    return await table.filter(status=status).count() == n


def counts(log: Path) -> Counter[str]:
    return Counter(log.read_text().split())


@postgres_only
@pytest.mark.parametrize("mode", ["outbox", "jobs"])
async def test_two_processes_handle_each_row_once(
    db_url: str, clock: ManualClock, tmp_path: Path, mode: str
) -> None:
    await (seed_outbox(clock) if mode == "outbox" else seed_jobs(clock))
    log = tmp_path / "handled.log"
    procs = [spawn(db_url, mode, log, f"w{i}", "--batch", "20") for i in range(2)]
    table = OutboxMessage if mode == "outbox" else Job
    finished = OutboxStatus.SENT if mode == "outbox" else JobStatus.DONE
    await wait_until(lambda: all_in(table, finished, N), procs)
    for proc in procs:
        assert await stop(proc) == 0
    seen = counts(log)
    assert len(seen) == N
    assert max(seen.values()) == 1
    assert await table.filter(status=finished).count() == N
    assert {r.claimed_by for r in await table.all()} <= {"w0", "w1"}


@postgres_only
async def test_work_of_a_dead_process_is_redone_after_the_lease(
    db_url: str, clock: ManualClock, tmp_path: Path
) -> None:
    await seed_jobs(clock, 300)
    log = tmp_path / "handled.log"
    doomed = spawn(
        db_url, "jobs", log, "doomed", "--die-after", "10", "--lease", "2", "--batch", "100"
    )
    assert await asyncio.to_thread(doomed.wait, 60) == 9
    stuck = await Job.filter(status=JobStatus.RUNNING, claimed_by="doomed").count()
    assert stuck == 90  # claimed, never finished
    survivor = spawn(db_url, "jobs", log, "survivor", "--lease", "2")
    await wait_until(lambda: all_in(Job, JobStatus.DONE, 300), [survivor])
    assert await stop(survivor) == 0
    seen = counts(log)
    assert len(seen) == 300 and max(seen.values()) == 1
    assert await Job.filter(status=JobStatus.DONE).count() == 300


async def test_concurrent_workers_in_one_process(
    db_url: str, clock: ManualClock, tmp_path: Path
) -> None:
    """SQLite's single writer (and PostgreSQL's row locks) keep two workers from sharing a row."""
    await seed_outbox(clock, 300)
    log = tmp_path / "handled.log"
    import os

    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    workers = [
        DeliveryWorker(clock, {Channel.CONSOLE: LoggingSender(fd, -1)}, f"w{i}", batch=25)
        for i in range(3)
    ]
    await asyncio.gather(*(w.drain() for w in workers))
    seen = counts(log)
    assert len(seen) == 300 and max(seen.values()) == 1


async def test_failed_job_is_retried_with_backoff_then_given_up(
    db_url: str, clock: ManualClock
) -> None:
    jobs = Jobs(clock)
    calls: list[int] = []

    @jobs.handler("flaky")
    async def flaky(job: Job) -> None:
        calls.append(job.attempts)
        raise RuntimeError("provider down")

    await jobs.schedule("flaky", clock.now())
    runner = JobRunner(jobs, "w", max_attempts=3)
    assert await runner.run_once() == 1
    assert await runner.run_once() == 0  # backing off, not due yet
    for _ in range(3):
        clock.advance(timedelta(hours=1))
        await runner.run_once()
    job = await Job.get(kind="flaky")
    assert calls == [1, 2, 3]
    assert job.status == JobStatus.FAILED and "provider down" in (job.error or "")


async def test_same_dedupe_key_plans_once(db_url: str, clock: ManualClock) -> None:
    jobs = Jobs(clock)
    assert await jobs.schedule("x", clock.now(), dedupe_key="due:1:3d") is not None
    assert await jobs.schedule("x", clock.now(), dedupe_key="due:1:3d") is None
    assert await jobs.cancel("due:1:") == 1
    assert await Job.filter(status=JobStatus.CANCELLED).count() == 1
