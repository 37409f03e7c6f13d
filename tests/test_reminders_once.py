"""Thousands of due reminders, several workers: each reminder reaches its client exactly once —
also when a worker process dies holding a claimed batch (its jobs are redone after the lease).
The worker processes are tests/support/reminder_worker.py.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from core.clock import ManualClock
from core.delivery import DeliveryWorker
from core.jobs import JobRunner, Jobs
from core.rules import QuietHours, Rules
from core.services import Services
from storage.models import (
    Client,
    Job,
    JobStatus,
    MessengerAccount,
    Order,
    OrderStatus,
    OutboxMessage,
    OutboxStatus,
)
from tests.support import backends
from tests.support.channels import Channel
from tests.support.procs import ROOT, clean_env, stop, wait_until
from tests.support.reminder_worker import LoggingPlatform

postgres_only = pytest.mark.skipif(
    not backends.is_postgres(),
    reason="several processes claim rows with SKIP LOCKED on PostgreSQL; SQLite runs one process",
)
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


async def seed_due_reminders(n: int, now: datetime, due: date) -> None:
    """``n`` clients, each with an order due ``due`` and its "on the day" reminder job due now."""
    await Client.bulk_create(
        [Client(phone=f"+38050{i:07d}", first_name=f"C{i}", locale="uk") for i in range(n)],
        batch_size=1000,
    )
    clients = await Client.all().order_by("id").values_list("id", flat=True)
    await MessengerAccount.bulk_create(
        [
            MessengerAccount(channel="console", external_id=f"c{cid}", client_id=cid)
            for cid in clients
        ],
        batch_size=1000,
    )
    await Order.bulk_create(
        [
            Order(
                number=f"T-{cid:06d}",
                client_id=cid,
                destination="Hurghada",
                price=2_000_000,
                paid=500_000,
                currency="UAH",
                due_date=due,
                status=OrderStatus.CONFIRMED,
                created_at=LONG_AGO,
            )
            for cid in clients
        ],
        batch_size=1000,
    )
    orders = await Order.all().values_list("id", flat=True)
    await Job.bulk_create(
        [
            Job(
                kind="reminder.payment_due",
                run_at=now - timedelta(seconds=1),
                payload={"order": oid, "days": 0},
                dedupe_key=f"rem:due:{oid}:{due.isoformat()}:0",
            )
            for oid in orders
        ],
        batch_size=1000,
    )


def spawn(db_url: str, log: Path, name: str, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.reminder_worker",
            "--db",
            db_url,
            "--log",
            str(log),
            "--name",
            name,
            *extra,
        ],
        cwd=ROOT,
        env=clean_env(),
    )


def received(log: Path) -> Counter[str]:
    return Counter(log.read_text().split()) if log.exists() else Counter()


async def all_sent(n: int) -> bool:
    """Every reminder job done and every message it wrote delivered."""
    return (
        await Job.filter(status=JobStatus.DONE).count() == n
        and await OutboxMessage.filter(status=OutboxStatus.SENT).count() == n
    )


def kyiv_today() -> date:
    return datetime.now(UTC).astimezone(Rules().agency.tz).date()


@postgres_only
async def test_two_processes_send_each_of_thousands_of_reminders_once(
    db_url: str, tmp_path: Path
) -> None:
    n = 3000
    await seed_due_reminders(n, datetime.now(UTC), kyiv_today())
    log = tmp_path / "received.log"
    procs = [spawn(db_url, log, f"w{i}", "--batch", "50") for i in range(2)]
    await wait_until(lambda: all_sent(n), procs)
    for proc in procs:
        assert await stop(proc) == 0
    seen = received(log)
    assert len(seen) == n and max(seen.values()) == 1
    assert await Job.filter(status=JobStatus.DONE).count() == n
    assert await OutboxMessage.filter(status=OutboxStatus.SENT).count() == n
    assert {j.claimed_by for j in await Job.all()} <= {"w0", "w1"}


@postgres_only
async def test_a_process_killed_mid_batch_its_reminders_are_redone_once(
    db_url: str, tmp_path: Path
) -> None:
    n = 300
    await seed_due_reminders(n, datetime.now(UTC), kyiv_today())
    log = tmp_path / "received.log"
    doomed = spawn(
        db_url, log, "doomed", "--jobs-only", "--die-after", "10", "--lease", "2", "--batch", "100"
    )
    assert await asyncio.to_thread(doomed.wait, 60) == 9
    # it wrote 10 reminders to the outbox, then died before marking any of its batch done
    assert await Job.filter(status=JobStatus.RUNNING, claimed_by="doomed").count() == 100
    assert await OutboxMessage.all().count() == 10
    survivor = spawn(db_url, log, "survivor", "--lease", "2")
    await wait_until(lambda: all_sent(n), [survivor])
    assert await stop(survivor) == 0
    seen = received(log)
    assert len(seen) == n and max(seen.values()) == 1
    assert await Job.filter(status=JobStatus.DONE).count() == n
    assert await OutboxMessage.filter(status=OutboxStatus.SENT).count() == n


async def test_concurrent_workers_in_one_process_send_each_reminder_once(
    services: Services, clock: ManualClock, tmp_path: Path
) -> None:
    n = 400
    services.rules = Rules(quiet_hours=QuietHours(enabled=False))
    await seed_due_reminders(
        n, clock.now(), clock.now().astimezone(services.rules.agency.tz).date()
    )
    log = tmp_path / "received.log"
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    runners = [JobRunner(services.jobs, f"w{i}", batch=20) for i in range(3)]
    await asyncio.gather(*(r.drain() for r in runners))
    platform = LoggingPlatform(fd)
    workers = [DeliveryWorker(clock, {Channel.CONSOLE: platform}, f"d{i}") for i in range(2)]
    await asyncio.gather(*(w.drain() for w in workers))
    os.close(fd)
    seen = received(log)
    assert len(seen) == n and max(seen.values()) == 1


async def test_the_one_job_handler_is_idempotent_too(
    services: Services, clock: ManualClock
) -> None:
    """The per-job path (used when a batch fails) re-checks and dedupes just the same."""
    services.rules = Rules(quiet_hours=QuietHours(enabled=False))
    await seed_due_reminders(
        5, clock.now(), clock.now().astimezone(services.rules.agency.tz).date()
    )
    one = services.jobs.handlers["reminder.payment_due"]
    jobs = await Job.all()
    for job in [*jobs, *jobs]:
        await one(job)
    assert await OutboxMessage.filter(kind="reminder.payment_due").count() == 5
    first = await Order.get(id=jobs[0].payload["order"])
    await Order.filter(id=first.id).update(paid=first.price, status=OrderStatus.PAID)
    await OutboxMessage.all().delete()
    for job in jobs:
        await one(job)
    assert await OutboxMessage.filter(kind="reminder.payment_due").count() == 4  # paid: skipped


async def test_a_failing_batch_falls_back_to_one_job_at_a_time(
    services: Services, clock: ManualClock
) -> None:
    jobs = Jobs(clock)
    handled: list[int] = []

    @jobs.batch_handler("probe")
    async def broken(batch: list[Job]) -> None:
        raise RuntimeError("batch path down")

    @jobs.handler("probe")
    async def one(job: Job) -> None:
        handled.append(job.payload["n"])

    for n in range(5):
        await jobs.schedule("probe", clock.now(), {"n": n})
    await JobRunner(jobs, "w").drain()
    assert sorted(handled) == [0, 1, 2, 3, 4]
    assert await Job.filter(status=JobStatus.DONE).count() == 5
