"""Payment callbacks: how many a second does one tourdesk process apply, and does any payment
get credited twice when providers repeat themselves?

Web-only tourdesk processes (the real aiohttp app, PostgreSQL on its own temporary database)
listen on 127.0.0.1; this process posts LiqPay-signed callbacks, ``--concurrency`` in flight.

1. unique: N intents, each callback once, one process;
2. duplicates: N other intents, 20% of the callbacks a repeat of another (shuffled), one
   process; then the same with two processes sharing the database, callbacks dealt to both
   alternately, so twins race in different processes.
Afterwards the books are checked: one PAYMENT entry per intent, every order paid exactly once.

Baseline in the same run: a bare aiohttp + asyncpg endpoint that stores each body as one row
(one INSERT per request, the same database, the same client): the floor of HTTP + PostgreSQL
on this machine, against which a callback's real work is measured.

    .venv/bin/python bench/callbacks.py --intents 1000 --concurrency 64

``BENCH_PROFILE=/tmp/dir``: each tourdesk server process runs under cProfile and leaves
``callbacks-<port>.prof`` there when it stops.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import hashlib
import json
import os
import random
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.table import Row, render  # noqa: E402
from bots.app import build_services  # noqa: E402
from core.clock import Clock  # noqa: E402
from core.payments.intents import create_order_intent  # noqa: E402
from core.rules import Rules  # noqa: E402
from core.settings import load_settings  # noqa: E402
from storage.db import close_db, init_db, migrate  # noqa: E402
from storage.models import (  # noqa: E402
    Client,
    EntryKind,
    LedgerEntry,
    MessengerAccount,
    Order,
    OrderStatus,
    PaymentIntent,
    ProviderEvent,
)
from tests.support import backends  # noqa: E402

PUBLIC, PRIVATE = "bench_public", "bench_private"
PRICE = 100_000

SERVER = """
import asyncio, signal
from bots.app import Runtime, build_services
from core.rules import Rules
from core.settings import load_settings
from storage.db import close_db, init_db

async def main():
    settings = load_settings()
    await init_db(settings.database.database_url)
    runtime = Runtime(await build_services(settings, Rules()), with_messengers=False)
    await runtime.start_web(settings.web.http_host, settings.web.http_port)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await runtime.stop()
    await close_db()

asyncio.run(main())
"""

BARE_SERVER = """
import asyncio, os, signal
import asyncpg
from aiohttp import web

async def main():
    pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=2, max_size=20)
    await pool.execute("CREATE TABLE IF NOT EXISTS bench_floor (id serial PRIMARY KEY, body text)")

    async def callback(request):
        body = await request.read()
        await pool.execute("INSERT INTO bench_floor (body) VALUES ($1)", body.decode())
        return web.Response(text="ok")

    async def health(request):
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/payments/liqpay/callback", callback)
    app.router.add_get("/healthz", health)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", int(os.environ["HTTP_PORT"])).start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await runner.cleanup()
    await pool.close()

asyncio.run(main())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def signed(reference: str, payment_id: int) -> bytes:
    payload = {
        "action": "pay",
        "payment_id": payment_id,
        "status": "success",
        "version": 3,
        "order_id": reference,
        "amount": PRICE / 100,
        "currency": "UAH",
    }
    data = base64.b64encode(json.dumps(payload).encode()).decode()
    sig = base64.b64encode(hashlib.sha1((PRIVATE + data + PRIVATE).encode()).digest()).decode()
    return urlencode({"data": data, "signature": sig}).encode()


async def seed(n: int, label: str) -> list[PaymentIntent]:
    settings = load_settings()
    services = await build_services(settings, Rules(), clock=Clock())
    intents = []
    for i in range(n):
        client = await Client.create(phone=f"+38067{label}{i:06d}", first_name="Bench")
        # reachable, so each credit enqueues its receipt as in production
        await MessengerAccount.create(channel="telegram", external_id=f"{label}{i}", client=client)
        order = await Order.create(
            number=f"{label}-{i}",
            client=client,
            destination="Egypt",
            price=PRICE,
            currency="UAH",
        )
        intents.append(await create_order_intent(services, order, provider="liqpay"))
    return intents


async def blast(
    urls: list[str], bodies: list[bytes], concurrency: int
) -> tuple[float, Counter[int]]:
    """Post every body (dealt to ``urls`` in turn); returns (callbacks/s, statuses)."""
    statuses: Counter[int] = Counter()
    queue: asyncio.Queue[tuple[str, bytes]] = asyncio.Queue()
    for i, body in enumerate(bodies):
        queue.put_nowait((urls[i % len(urls)], body))
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    async def worker(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            url, body = queue.get_nowait()
            async with session.post(url, data=body, headers=headers) as resp:
                await resp.read()
                statuses[resp.status] += 1

    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return len(bodies) / elapsed, statuses


async def wait_ready(base: str) -> None:
    async with aiohttp.ClientSession() as session:
        deadline = time.monotonic() + 300  # a loaded machine takes a while to import the app
        while time.monotonic() < deadline:
            try:
                async with session.get(f"{base}/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError("bench server did not start")


class Servers:
    """``count`` server processes (tourdesk, or the bare baseline), stopped on exit."""

    def __init__(self, code: str, count: int) -> None:
        self.code = code
        self.ports = [free_port() for _ in range(count)]
        self.procs: list[subprocess.Popen[bytes]] = []

    async def __aenter__(self) -> list[str]:
        for port in self.ports:
            env = {**os.environ, "HTTP_PORT": str(port), "PUBLIC_URL": f"http://127.0.0.1:{port}"}
            code = self.code
            profile = os.environ.get("BENCH_PROFILE")
            if profile and code is SERVER:
                out = str(Path(profile) / f"callbacks-{port}.prof")
                code = (
                    "import cProfile\n_prof = cProfile.Profile()\n_prof.enable()\n"
                    f"{code}\n_prof.disable()\n_prof.dump_stats({out!r})\n"
                )
            self.procs.append(
                subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)  # noqa: ASYNC220
            )
        try:
            for port in self.ports:
                await wait_ready(f"http://127.0.0.1:{port}")
        except BaseException:
            await self.__aexit__()
            raise
        return [f"http://127.0.0.1:{port}/payments/liqpay/callback" for port in self.ports]

    async def __aexit__(self, *exc: object) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            await asyncio.to_thread(proc.wait)


def with_duplicates(intents: list[PaymentIntent], share: float) -> list[bytes]:
    """One callback per intent plus repeats, so that ``share`` of all callbacks are repeats."""
    bodies = [signed(i.reference, i.id) for i in intents]
    repeats = round(len(bodies) * share / (1 - share))
    bodies += [signed(i.reference, i.id) for i in random.choices(intents, k=repeats)]
    random.shuffle(bodies)
    return bodies


async def books(intents: list[PaymentIntent]) -> tuple[int, int]:
    """(double credits, missing credits) over ``intents``."""
    payments = Counter(
        e["intent_id"] for e in await LedgerEntry.filter(kind=EntryKind.PAYMENT).values("intent_id")
    )
    ids = [i.id for i in intents]
    return sum(1 for i in ids if payments[i] > 1), sum(1 for i in ids if payments[i] == 0)


async def measure(n: int, share: float, concurrency: int, url: str) -> dict[str, float]:
    os.environ.update(
        DATABASE_URL=url,
        LIQPAY_PUBLIC_KEY=PUBLIC,
        LIQPAY_PRIVATE_KEY=PRIVATE,
        HTTP_HOST="127.0.0.1",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    await init_db(url)
    unique_set = await seed(n, "10")
    one_set = await seed(n, "20")
    two_set = await seed(n, "30")
    await close_db()
    floor = [signed(i.reference, i.id) for i in unique_set]
    async with Servers(BARE_SERVER, 1) as urls:
        bare_rate, _ = await blast(urls, floor, concurrency)
    print(f"  bare floor: {bare_rate:.0f}/s", flush=True)
    async with Servers(SERVER, 1) as urls:
        unique_rate, unique_status = await blast(urls, floor, concurrency)
        one_rate, one_status = await blast(urls, with_duplicates(one_set, share), concurrency)
    print(f"  1 process: unique {unique_rate:.0f}/s, with duplicates {one_rate:.0f}/s", flush=True)
    async with Servers(SERVER, 2) as urls:
        two_rate, two_status = await blast(urls, with_duplicates(two_set, share), concurrency)
    await init_db(url)
    double, missing = await books(unique_set + one_set + two_set)
    overpaid = await Order.filter(paid__gt=PRICE).count()
    paid_ok = await Order.filter(paid=PRICE, status=OrderStatus.PAID).count()
    outcomes = Counter(e["outcome"] for e in await ProviderEvent.all().values("outcome"))
    await close_db()
    print(f"  statuses: unique {dict(unique_status)}, 1 process {dict(one_status)}, "
          f"2 processes {dict(two_status)}; event outcomes {dict(outcomes)}; "
          f"orders paid exactly once {paid_ok}/{3 * n}")  # fmt: skip
    return {
        "bare": bare_rate,
        "unique": unique_rate,
        "one": one_rate,
        "two_per_process": two_rate / 2,
        "double": double + overpaid,
        "missing": missing,
    }


async def rows(intents: int = 300, share: float = 0.2, concurrency: int = 64) -> list[Row]:
    name = await backends.create_pg_database()
    url = backends.pg_url(name)
    try:
        await migrate(url)
        await close_db()
        got = await measure(intents, share, concurrency, url)
    finally:
        await backends.drop_pg_database(name)
    floor = "bare aiohttp + 1 INSERT"
    dups = f"{share:.0%} duplicates"
    return [
        Row("callbacks/s, unique payments, 1 process", got["unique"], "/s", got["bare"], floor,
            "target >= 1,000 per process"),
        Row(f"callbacks/s per process, {dups}, 1 process", got["one"], "/s", got["bare"], floor),
        Row(f"callbacks/s per process, {dups}, 2 processes", got["two_per_process"], "/s",
            got["bare"], floor),
        Row("callbacks: double + missing credits", got["double"] + got["missing"], "", None, "",
            "must be 0"),
    ]  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intents", type=int, default=1000)
    parser.add_argument("--duplicates", type=float, default=0.2, help="share of repeats")
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    print(render(await rows(args.intents, args.duplicates, args.concurrency)))


if __name__ == "__main__":
    asyncio.run(main())
