"""Memory footprint of one tourdesk process on a large agency: peak RSS while it serves updates,
plans reminders and runs the daily digest and the lost-clients report over 100,000 clients.

The database (its own temporary PostgreSQL one) is seeded with COPY: N clients, each with a
Telegram account, one order (due dates, departures and returns spread around today, half of
them owing, half managed by a manager who, with an admin, reads the digest and the
lost-clients report) and one ledger entry; a third have a birthday in the planner's window of days,
a third are old enough to count as lost. A child process then starts as ``tourdesk run``
would (web app + Telegram webhook against a fake Bot API in this process, Redis for state) and
reports its RSS once started — the baseline, measured in the same run — and its peak after
planning every reminder rule, building the digest and the lost-clients report while this
process posts updates to its webhook.

    .venv/bin/python bench/footprint.py --clients 100000
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
import asyncpg  # noqa: E402

from bench.table import Row, render  # noqa: E402
from storage.db import close_db, migrate  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram, TgUser  # noqa: E402
from tests.support import backends  # noqa: E402

SECRET = "footprint-secret"

CHILD = """
import asyncio, json, sys
from datetime import timedelta
from pydantic import SecretStr
from bots.app import Runtime, build_services
from bots.telegram.settings import telegram_settings
from core.reminders import RULES
from core.reminders.base import Env, Planned
from core.reminders.planner import plan_all
from core.reminders.staff import Digest, LostClients
from core.rules import Rules
from core.settings import Settings
from storage.db import close_db, init_db

def status_mb(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0

def rss_mb():
    return status_mb("VmRSS")

async def main(url, redis_url, prefix, api, token, secret):
    settings = Settings()
    settings.database.database_url = url
    settings.redis.redis_url = redis_url
    settings.redis.redis_prefix = prefix
    tg = telegram_settings(settings)
    tg.token, tg.api_url, tg.mode = SecretStr(token), api, "webhook"
    tg.webhook_secret = SecretStr(secret)
    await init_db(url)
    services = await build_services(settings, Rules())
    runtime = Runtime(services)
    await runtime.start_web("127.0.0.1", 0)
    settings.web.public_url = f"http://127.0.0.1:{runtime.bound_port}"
    await runtime.start_channels()
    await asyncio.wait_for(runtime.channels[0].ready.wait(), 60)
    print(json.dumps({"port": runtime.bound_port, "rss": rss_mb()}), flush=True)
    sys.stdin.readline()  # the parent starts posting updates, then says go
    now = services.clock.now()
    started = asyncio.get_running_loop().time()
    report = await plan_all(services, RULES, now)
    env = Env(services, now)
    digest = await Digest().messages(env, Planned("bench:digest", now, {}), env.today)
    lost = await LostClients().messages(env, Planned("bench:lost", now, {}), env.today)
    took = asyncio.get_running_loop().time() - started
    sys.stdin.readline()  # the parent's updates are answered
    # VmHWM: this program's own peak. Not ru_maxrss, which on Linux carries over the peak of
    # the forked parent (the bench, holding every seeded row) across exec
    peak = status_mb("VmHWM")
    print(json.dumps({"peak": peak, "planned": report.planned, "digest": len(digest),
                      "lost": len(lost), "seconds": took}), flush=True)
    await runtime.stop()
    await close_db()

asyncio.run(main(*sys.argv[1:]))
"""


def _copy_rows(n: int, today: date) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    rng = random.Random(15)
    now = datetime.now(UTC)
    old = now - timedelta(days=400)
    clients, accounts, orders, entries = [], [], [], []
    staff = [(1, "Boss", "admin", "uk", True, old), (2, "Iryna", "manager", "uk", True, old)]
    for i in range(1, n + 1):
        lost = i % 3 == 0
        created = old if lost else now - timedelta(days=rng.randint(0, 300))
        birthday = today.replace(year=1985) if i % 3 == 1 else date(1980, 1 + i % 12, 1 + i % 28)
        clients.append(
            (i, f"+38067{i:07d}", f"Client{i}", "", birthday, "uk", True, 0, "[]", created)
        )
        accounts.append(
            (i, "telegram", str(1_000_000 + i), f"Client{i}", i, True, False, created, None)
        )
        due = today + timedelta(days=rng.randint(-30, 30))
        depart = today + timedelta(days=rng.randint(-60, 60))
        status = "booked" if i % 2 else "paid"
        paid = 0 if status == "booked" else 100_000
        orders.append(
            (i, f"F{i}", i, "Egypt", "EG", depart, depart + timedelta(days=7), 100_000, "UAH",
             paid, due, status, old if lost else created, now, 2 if i % 2 else None)
        )  # fmt: skip
        entries.append((i, i, 100_000, "UAH", "payment", f"bench:{i}", i, "", old))
    for sid, name, *_ in staff:  # the digest's and the lost-clients report's readers
        accounts.append((n + sid, "telegram", str(900 + sid), name, None, True, False, old, sid))
    return {
        "staff": (["id", "name", "role", "locale", "active", "created_at"], staff),
        "clients": (
            ["id", "phone", "first_name", "last_name", "birthday", "locale", "marketing_consent",
             "bonus_points", "tags", "created_at"],
            clients,
        ),
        "messenger_accounts": (
            ["id", "channel", "external_id", "name", "client_id", "subscribed", "blocked",
             "created_at", "staff_id"],
            accounts,
        ),
        "orders": (
            ["id", "number", "client_id", "destination", "country", "departure_date",
             "return_date", "price", "currency", "paid", "due_date", "status", "created_at",
             "updated_at", "manager_id"],
            orders,
        ),
        "ledger_entries": (
            ["id", "client_id", "amount", "currency", "kind", "reference", "order_id", "reason",
             "created_at"],
            entries,
        ),
    }  # fmt: skip


async def seed(url: str, n: int) -> float:
    """COPY the rows in (seconds taken); sequences moved past the ids used."""
    started = time.perf_counter()
    conn = await asyncpg.connect(url)
    try:
        for table, (columns, rows) in _copy_rows(n, date.today()).items():
            await conn.copy_records_to_table(table, records=rows, columns=columns)
            last = max(r[0] for r in rows)
            await conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {last})")
        await conn.execute("ANALYZE")
    finally:
        await conn.close()
    return time.perf_counter() - started


async def post_updates(fake: FakeTelegram, port: int, users: int, stop: asyncio.Event) -> int:
    """Known users write and press buttons, 16 in flight, until ``stop``; returns how many."""
    url = f"http://127.0.0.1:{port}/webhooks/telegram"
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    sent = 0

    async def one(session: aiohttp.ClientSession, user: TgUser) -> None:
        nonlocal sent
        while not stop.is_set():
            for update in (user.start(), user.text("hello"), user.press("1|menu", 1)):
                async with session.post(url, json=update, headers=headers) as resp:
                    await resp.read()
                sent += 1

    people = [TgUser(fake, 1_000_000 + i, language="uk") for i in range(1, users + 1)]
    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(one(session, p) for p in people))
    return sent


async def measure(n: int) -> dict[str, float]:
    name = await backends.create_pg_database()
    url = backends.pg_url(name)
    fake = await FakeTelegram().start()
    prefix = f"tdfoot:{uuid.uuid4().hex[:8]}:"
    try:
        await migrate(url)
        await close_db()
        seeded = await seed(url, n)
        child = subprocess.Popen(  # noqa: ASYNC220
            [sys.executable, "-c", CHILD, url, backends.REDIS_URL, prefix, fake.url, fake.token,
             SECRET],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env={**os.environ, "LOG_LEVEL": "WARNING"},
        )  # fmt: skip
        assert child.stdin is not None and child.stdout is not None
        ready = json.loads(await asyncio.to_thread(child.stdout.readline))
        stop = asyncio.Event()
        posting = asyncio.create_task(post_updates(fake, ready["port"], 16, stop))
        child.stdin.write("go\n")
        child.stdin.flush()
        await asyncio.sleep(3)  # updates keep coming while it plans and reports
        # the child finishes its work; then the posting stops and it reports its peak
        loop = asyncio.get_running_loop()
        child.stdin.write("done\n")
        child.stdin.flush()
        line = await loop.run_in_executor(None, child.stdout.readline)
        stop.set()
        updates = await posting
        result = json.loads(line)
        await asyncio.to_thread(child.wait)
    finally:
        await fake.close()
        await backends.drop_pg_database(name)
        from redis.asyncio import Redis

        cleaner = Redis.from_url(backends.REDIS_URL)
        keys = [k async for k in cleaner.scan_iter(match=f"{prefix}*")]
        for start in range(0, len(keys), 500):
            await cleaner.delete(*keys[start : start + 500])
        await cleaner.aclose()
    print(f"  seeded {n} clients in {seeded:.1f}s; planned {result['planned']} reminders, "
          f"digest {result['digest']} and lost-clients {result['lost']} messages in "
          f"{result['seconds']:.1f}s; {updates} updates served meanwhile")  # fmt: skip
    return {"idle": ready["rss"], "peak": result["peak"]}


async def rows(clients: int = 20_000) -> list[Row]:
    got = await measure(clients)
    return [
        Row(
            f"footprint: peak RSS, {clients:,} clients (updates + planner + digest)",
            got["peak"],
            "MB",
            got["idle"],
            "the same process just started",
            "target <= 150 MB at 100,000",
        )
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100_000)
    args = parser.parse_args()
    print(render(asyncio.run(rows(args.clients))))
