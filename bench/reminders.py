"""Reminder jobs -> outbox with the real reminder handler: how late after its due time is each
payment reminder handed to the outbox, how many a second do N worker processes move, and is
any sent twice?

Each job is a real "payment due today" reminder: the handler loads the order and the client's
accounts, re-checks that the reminder is still wanted, renders it in the client's language and
enqueues it under the job's dedupe key. Due times are spread over ``--spread`` seconds, so the
workers meet the jobs as they fall due, as in production. Runs on its own temporary PostgreSQL
database (or SQLite with --sqlite) and cleans up after itself.

    .venv/bin/python bench/reminders.py --jobs 100000 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tortoise import connections  # noqa: E402

from bench.table import Row  # noqa: E402
from core.contract import Reply  # noqa: E402
from core.delivery import reply_to_json  # noqa: E402
from core.rules import Rules  # noqa: E402
from storage.db import close_db, init_db, migrate  # noqa: E402
from storage.models import (  # noqa: E402
    Client,
    Job,
    JobStatus,
    MessengerAccount,
    Order,
    OrderStatus,
    OutboxMessage,
)
from tests.support import backends  # noqa: E402

WORKER = """
import asyncio, sys
from datetime import timedelta
from bots.app import build_services
from core.clock import Clock
from core.jobs import JobRunner
from core.rules import QuietHours, Rules
from core.settings import Settings
from storage.db import close_db, init_db

async def main(url, name, batch, lanes):
    await init_db(url)
    settings = Settings()
    settings.database.database_url = url
    # quiet hours off: the bench measures the hand-off, whatever the hour it is run at
    services = await build_services(settings, Rules(quiet_hours=QuietHours(enabled=False)),
                                    clock=Clock())
    runner = JobRunner(services.jobs, name, batch=batch, lease=timedelta(seconds=60),
                       lanes=lanes)
    loop = asyncio.get_running_loop()
    # started like a tourdesk process: imports and start-up done before the work falls due
    print("ready", flush=True)
    until = float(await loop.run_in_executor(None, sys.stdin.readline))

    async def lane():  # what JobRunner.start runs, lanes times, with a short poll
        idle = 0
        while loop.time() < until or idle < 5:
            idle = 0 if await runner.run_once() else idle + 1
            if idle:
                await asyncio.sleep(0.02)

    await asyncio.gather(*(lane() for _ in range(runner.lanes)))
    await close_db()

asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
"""

LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * p), len(ordered) - 1)]


async def seed(n: int, t0: datetime, spread: float) -> None:
    due = datetime.now(UTC).astimezone(Rules().agency.tz).date()
    await Client.bulk_create(
        [Client(phone=f"+38050{i:07d}", first_name=f"C{i}", locale="uk") for i in range(n)],
        batch_size=2000,
    )
    ids = await Client.all().order_by("id").values_list("id", flat=True)
    await MessengerAccount.bulk_create(
        [MessengerAccount(channel="console", external_id=f"c{cid}", client_id=cid) for cid in ids],
        batch_size=2000,
    )
    await Order.bulk_create(
        [
            Order(
                number=f"T-{cid:07d}",
                client_id=cid,
                destination="Hurghada",
                country="EG",
                price=4_000_000,
                paid=1_200_000,
                currency="UAH",
                due_date=due,
                status=OrderStatus.CONFIRMED,
                created_at=LONG_AGO,
            )
            for cid in ids
        ],
        batch_size=2000,
    )
    orders = await Order.all().order_by("id").values_list("id", flat=True)
    await Job.bulk_create(
        [
            Job(
                kind="reminder.payment_due",
                run_at=t0 + timedelta(seconds=spread * i / n),
                payload={"order": oid, "days": 0},
                dedupe_key=f"rem:due:{oid}:{due.isoformat()}:0",
            )
            for i, oid in enumerate(orders)
        ],
        batch_size=2000,
    )


async def move_due_times(by: timedelta) -> None:
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        await conn.execute_query("UPDATE jobs SET run_at = run_at - $1::interval", [by])
        return
    rows = await Job.all().values_list("id", "run_at")
    await conn.execute_many(
        "UPDATE jobs SET run_at = ? WHERE id = ?",
        [[(run_at - by).isoformat(sep=" "), job_id] for job_id, run_at in rows],
    )


async def baseline(n: int) -> float:
    account = await MessengerAccount.create(channel="console", external_id="baseline")
    started = time.perf_counter()
    await OutboxMessage.bulk_create(
        [
            OutboxMessage(
                channel="console",
                external_id="baseline",
                account_id=account.id,
                body=reply_to_json(Reply("x")),
                not_before=datetime.now(UTC),
                status="cancelled",
            )
            for _ in range(n)
        ],
        batch_size=1000,
    )
    rate = n / (time.perf_counter() - started)
    await OutboxMessage.all().delete()
    await account.delete()
    return rate


async def run(
    n: int, workers: int, spread: float, batch: int, url: str, lanes: int = 3
) -> dict[str, float]:
    await init_db(url)
    floor = await baseline(n)
    seed_started = time.perf_counter()
    parked = datetime(2100, 1, 1, tzinfo=UTC)  # jobs are written far ahead, then moved to t0
    await seed(n, parked, spread)
    seeded = time.perf_counter() - seed_started
    procs = [
        await asyncio.create_subprocess_exec(
            *(sys.executable, "-c", WORKER, url, f"w{i}", str(batch), str(lanes)),
            cwd=ROOT,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
        )
        for i in range(workers)
    ]
    for proc in procs:  # every worker started (imports, connections) before anything is due
        assert proc.stdout is not None
        await proc.stdout.readline()
    t0 = datetime.now(UTC) + timedelta(seconds=1)
    await move_due_times(parked - t0)
    t0_left = (t0 - datetime.now(UTC)).total_seconds()
    await close_db()
    until = time.monotonic() + max(t0_left, 0) + spread  # loop.time() is monotonic
    wall = time.perf_counter()
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(f"{until}\n".encode())
        await proc.stdin.drain()
    for proc in procs:
        await proc.wait()
    wall = time.perf_counter() - wall

    await init_db(url)
    done = await Job.filter(status=JobStatus.DONE).count()
    rows = await OutboxMessage.filter(kind="reminder.payment_due").values(
        "dedupe_key", "created_at", "client_id"
    )
    jobs = {j["dedupe_key"]: j["run_at"] for j in await Job.all().values("dedupe_key", "run_at")}
    delays = [(r["created_at"] - jobs[r["dedupe_key"]]).total_seconds() for r in rows]
    duplicates = len(rows) - len({r["client_id"] for r in rows})
    await close_db()
    last = max(r["created_at"] for r in rows)
    print(
        f"reminder jobs: {n}, worker processes: {workers} ({lanes} claim loops each), "
        f"batch {batch}, "
        "due over "
        f"{spread:.0f}s, database: {url.split(':')[0]} (seeded in {seeded:.0f}s)"
    )
    print(f"done: {done}, outbox rows: {len(rows)}, duplicates: {duplicates}")
    print(
        f"due -> outbox delay: median {statistics.median(delays) * 1000:.0f} ms, "
        f"p99 {pct(delays, 0.99) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms"
    )
    print(
        f"throughput: {n / (last - t0).total_seconds():.0f} reminders/s from the first due time "
        f"to the last hand-off, wall {wall:.1f}s"
    )
    print(f"baseline (plain bulk insert of {n} outbox rows): {floor:.0f} rows/s")
    return {
        "p99": pct(delays, 0.99),
        "rate": n / (last - t0).total_seconds(),
        "floor": floor,
        "duplicates": duplicates,
        "missing": n - len(rows),
    }


async def rows(jobs: int = 20_000, workers: int = 2, spread: float = 10.0) -> list[Row]:
    name = await backends.create_pg_database()
    url = backends.pg_url(name)
    try:
        await migrate(url)
        await close_db()
        got = await run(jobs, workers, spread, 100, url)
    finally:
        await backends.drop_pg_database(name)
    label = f"reminders: {jobs:,} due, {workers} processes"
    return [
        Row(f"{label}, due -> outbox p99", got["p99"] * 1000, "ms", None, "", "target <= 1,000 ms"),
        Row(f"{label}, reminders/s", got["rate"], "/s", got["floor"], "plain bulk insert rows/s"),
        Row(f"{label}, duplicates + missing", got["duplicates"] + got["missing"], "", None, "",
            "must be 0"),
    ]  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=100, help="jobs per claim (as tourdesk)")
    parser.add_argument(
        "--lanes", type=int, default=3, help="claim loops per process (as tourdesk)"
    )
    parser.add_argument(
        "--spread", type=float, default=30.0, help="seconds over which jobs fall due"
    )
    parser.add_argument("--sqlite", action="store_true")
    args = parser.parse_args()
    if args.sqlite:
        path = ROOT / "data" / "bench-reminders.sqlite3"
        path.unlink(missing_ok=True)
        url = f"sqlite://{path}"
        await migrate(url)
        await close_db()
        await run(args.jobs, 1, args.spread, args.batch, url, 1)
        return
    name = await backends.create_pg_database()
    url = backends.pg_url(name)
    try:
        await migrate(url)
        await close_db()
        await run(args.jobs, args.workers, args.spread, args.batch, url, args.lanes)
    finally:
        await backends.drop_pg_database(name)


if __name__ == "__main__":
    asyncio.run(main())
