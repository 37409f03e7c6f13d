"""Scheduled jobs -> outbox: how late after its due time is a job handed to the outbox, and how
many jobs a second do N worker processes move?

Baseline in the same run: the same number of outbox rows written by one plain bulk insert (the
floor any job path pays). Runs on its own temporary PostgreSQL database (or SQLite with
--sqlite) and cleans up after itself.

    .venv/bin/python bench/jobs.py --jobs 100000 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.contract import Reply  # noqa: E402
from core.delivery import reply_to_json  # noqa: E402
from storage.db import close_db, init_db, migrate  # noqa: E402
from storage.models import Job, JobStatus, MessengerAccount, OutboxMessage  # noqa: E402
from tests.support import backends  # noqa: E402

WORKER = """
import asyncio, sys
from datetime import timedelta
from core.clock import Clock
from core.contract import Reply
from core.delivery import Outbox
from core.jobs import Jobs, JobRunner
from storage.db import init_db, close_db
from storage.models import Job, MessengerAccount

async def main(url, name, until):
    await init_db(url)
    clock = Clock()
    jobs, outbox = Jobs(clock), Outbox(clock)
    account = await MessengerAccount.get(external_id="bench")

    @jobs.handler("remind")
    async def remind(job: Job) -> None:
        await outbox.enqueue(account, Reply("reminder"), kind="reminder",
                             dedupe_key=f"job:{job.id}")

    runner = JobRunner(jobs, name, batch=200, lease=timedelta(seconds=60))
    idle = 0
    loop = asyncio.get_running_loop()
    while loop.time() < until or idle < 5:
        idle = 0 if await runner.run_once() else idle + 1
        if idle:
            await asyncio.sleep(0.02)
    await close_db()

asyncio.run(main(sys.argv[1], sys.argv[2], float(sys.argv[3])))
"""


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * p), len(ordered) - 1)]


async def run(n: int, workers: int, spread: float, url: str) -> None:
    await init_db(url)
    account = await MessengerAccount.create(channel="console", external_id="bench")

    started = time.perf_counter()
    await OutboxMessage.bulk_create(
        [
            OutboxMessage(
                channel="console",
                external_id="bench",
                account_id=account.id,
                body=reply_to_json(Reply("x")),
                not_before=datetime.now(UTC),
                status="cancelled",
            )
            for _ in range(n)
        ],
        batch_size=1000,
    )
    baseline = n / (time.perf_counter() - started)
    await OutboxMessage.all().delete()

    # Due times spread over the first `spread` seconds of the run: the workers meet each job
    # as it falls due, as in production, instead of a backlog that is due all at once.
    t0 = datetime.now(UTC) + timedelta(seconds=2)
    await Job.bulk_create(
        [Job(kind="remind", run_at=t0 + timedelta(seconds=spread * i / n)) for i in range(n)],
        batch_size=1000,
    )
    await close_db()
    until = time.monotonic() + 2 + spread  # loop.time() is monotonic
    wall = time.perf_counter()
    procs = [
        subprocess.Popen(  # noqa: ASYNC220 - started together, awaited in threads below
            [sys.executable, "-c", WORKER, url, f"w{i}", str(until)], cwd=ROOT
        )
        for i in range(workers)
    ]
    for proc in procs:
        await asyncio.to_thread(proc.wait)
    wall = time.perf_counter() - wall

    await init_db(url)
    done = await Job.filter(status=JobStatus.DONE).count()
    rows = await OutboxMessage.all().values("dedupe_key", "created_at")
    jobs = {f"job:{j['id']}": j["run_at"] for j in await Job.all().values("id", "run_at")}
    delays = [(r["created_at"] - jobs[r["dedupe_key"]]).total_seconds() for r in rows]
    duplicates = len(rows) - len({r["dedupe_key"] for r in rows})
    await close_db()
    first = t0
    last = max(r["created_at"] for r in rows)
    db = url.split(":")[0]
    print(f"jobs: {n}, worker processes: {workers}, due over {spread:.0f}s, database: {db}")
    print(f"done: {done}, outbox rows: {len(rows)}, duplicates: {duplicates}")
    print(
        f"due -> outbox delay: median {statistics.median(delays) * 1000:.0f} ms, "
        f"p99 {pct(delays, 0.99) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms"
    )
    print(
        f"throughput: {n / (last - first).total_seconds():.0f} jobs/s over the due window, "
        f"wall {wall:.1f}s"
    )
    print(f"baseline (plain bulk insert of {n} outbox rows): {baseline:.0f} rows/s")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--spread", type=float, default=30.0, help="seconds over which jobs fall due"
    )
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    if args.sqlite:
        path = ROOT / "data" / "bench-jobs.sqlite3"
        path.unlink(missing_ok=True)
        url = f"sqlite://{path}"
        await migrate(url)
        await close_db()
        await run(args.jobs, 1, args.spread, url)
        return
    name = await backends.create_pg_database()
    url = backends.pg_url(name)
    try:
        await migrate(url)
        await close_db()
        await run(args.jobs, args.workers, args.spread, url)
    finally:
        await backends.drop_pg_database(name)


if __name__ == "__main__":
    asyncio.run(main())
