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
from collections import Counter, deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import aiohttp
import asyncpg

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


async def seed(n: int, label: str, workers: int = 8) -> list[PaymentIntent]:
    """``n`` clients, each with a messenger account, an order and a LiqPay link to pay it
    (``workers`` at a time: seeding is not what is measured)."""
    settings = load_settings()
    services = await build_services(settings, Rules(), clock=Clock())
    intents: list[PaymentIntent | None] = [None] * n
    todo = iter(range(n))

    async def one(i: int) -> None:
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
        intents[i] = await create_order_intent(services, order, provider="liqpay")

    async def worker() -> None:
        for i in todo:
            await one(i)

    await asyncio.gather(*(worker() for _ in range(workers)))
    return [i for i in intents if i is not None]


@dataclass
class Blast:
    """What posting a list of bodies gave: the rate, the answers, and CPU per callback of the
    load generator (this process does nothing else meanwhile), of the server processes, and
    of the PostgreSQL backends serving this database (less noisy than rates on a shared
    machine: other work slows a run down but does not add to these)."""

    rate: float
    statuses: Counter[int]
    client_cpu_ms: float
    server_cpu_ms: float = 0.0
    pg_cpu_ms: float = 0.0


TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


async def backend_pids(url: str) -> list[int]:
    """The PostgreSQL backends connected to this bench's database."""
    conn = await asyncpg.connect(backends.POSTGRES_ADMIN_URL)
    try:
        rows = await conn.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = $1", url.rsplit("/", 1)[1]
        )
    finally:
        await conn.close()
    return [int(r["pid"]) for r in rows]


async def cpu_snapshot(servers: Servers, url: str) -> tuple[float, dict[int, float]]:
    return sum(cpu_seconds(p.pid) for p in servers.procs), {
        pid: cpu_seconds(pid) for pid in await backend_pids(url)
    }


def request_bytes(url: str, body: bytes) -> bytes:
    """The whole HTTP/1.1 request for ``body``, built once before the clock starts."""
    parts = urlsplit(url)
    head = (
        f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode() + body


async def _raw_worker(url: str, requests: deque[bytes], statuses: Counter[int]) -> None:
    """One keep-alive connection: send a pre-built request, read the answer, repeat."""
    parts = urlsplit(url)
    reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
    try:
        while requests:
            writer.write(requests.popleft())
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line[:15].lower() == b"content-length:":
                    length = int(line[15:])
                elif line.lower().startswith(b"transfer-encoding"):
                    raise RuntimeError("chunked answers are not expected from these routes")
            if length:
                await reader.readexactly(length)
            statuses[int(head[9:12])] += 1
    finally:
        writer.close()


async def _aiohttp_worker(
    session: aiohttp.ClientSession, url: str, bodies: deque[bytes], statuses: Counter[int]
) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    while bodies:
        async with session.post(url, data=bodies.popleft(), headers=headers) as resp:
            await resp.read()
            statuses[resp.status] += 1


async def blast(
    servers: Servers, url: str, urls: list[str], bodies: list[bytes], concurrency: int,
    client: str,
) -> Blast:  # fmt: skip
    """Post every body (body ``i`` to ``urls[i % len(urls)]``), ``concurrency`` in flight
    (split evenly over the urls), with the CPU the servers and their database backends spent
    (``url``: the database). ``client`` "raw": pre-built requests on keep-alive sockets (the
    cheapest load generator); "aiohttp": an aiohttp session, as before."""
    server_before, pg_before = await cpu_snapshot(servers, url)
    got = await _blast(urls, bodies, concurrency, client)
    server_after, pg_after = await cpu_snapshot(servers, url)
    pg = sum(after - pg_before.get(pid, 0.0) for pid, after in pg_after.items())
    got.server_cpu_ms = 1000 * (server_after - server_before) / len(bodies)
    got.pg_cpu_ms = 1000 * pg / len(bodies)
    return got


async def _blast(urls: list[str], bodies: list[bytes], concurrency: int, client: str) -> Blast:
    statuses: Counter[int] = Counter()
    queues = [deque(bodies[k :: len(urls)]) for k in range(len(urls))]
    if client == "raw":
        queues = [deque(request_bytes(u, b) for b in q) for u, q in zip(urls, queues, strict=True)]
    per_url = max(1, concurrency // len(urls))
    cpu = time.process_time()
    started = time.perf_counter()
    if client == "raw":
        await asyncio.gather(*(
            _raw_worker(url, queue, statuses)
            for url, queue in zip(urls, queues, strict=True) for _ in range(per_url)
        ))  # fmt: skip
    else:
        connector = aiohttp.TCPConnector(limit=concurrency)
        async with aiohttp.ClientSession(connector=connector) as session:
            await asyncio.gather(*(
                _aiohttp_worker(session, url, queue, statuses)
                for url, queue in zip(urls, queues, strict=True) for _ in range(per_url)
            ))  # fmt: skip
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    return Blast(len(bodies) / elapsed, statuses, 1000 * cpu / len(bodies))


async def group_stats(urls: list[str]) -> dict[str, float]:
    """The servers' own count of how callbacks were applied (``GET /metrics``), summed."""
    got: dict[str, float] = Counter()
    async with aiohttp.ClientSession() as session:
        for url in urls:
            async with session.get(url.split("/payments/")[0] + "/metrics") as resp:
                text = await resp.text()
            for line in text.splitlines():
                if line.startswith("tourdesk_payment_callbacks_total{"):
                    path = line.split('path="')[1].split('"')[0]
                    got[path] += float(line.rsplit(" ", 1)[1])
                elif line.startswith("tourdesk_payment_callback_group_size_sum "):
                    got["group_sum"] += float(line.rsplit(" ", 1)[1])
                elif line.startswith("tourdesk_payment_callback_group_size_count "):
                    got["groups"] += float(line.rsplit(" ", 1)[1])
    return got


def describe(stats: dict[str, float], before: dict[str, float] | None = None) -> str:
    """ "grouped 950, one_by_one 10, alone 40; 80 groups, mean 12.0" (since ``before``)."""
    d = {k: stats.get(k, 0) - (before or {}).get(k, 0) for k in set(stats) | set(before or {})}
    mean = d.get("group_sum", 0) / d["groups"] if d.get("groups") else 0
    paths = ", ".join(f"{k} {d.get(k, 0):.0f}" for k in ("grouped", "one_by_one", "alone"))
    return f"{paths}; {d.get('groups', 0):.0f} groups, mean size {mean:.1f}"


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

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}/payments/liqpay/callback" for port in self.ports]

    async def __aenter__(self) -> Servers:
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
        return self

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


def per_callback(got: Blast) -> str:
    return (f"CPU a callback: server {got.server_cpu_ms:.2f} ms, PostgreSQL {got.pg_cpu_ms:.2f} ms,"
            f" load generator {got.client_cpu_ms:.3f} ms")  # fmt: skip


async def measure(
    n: int, share: float, concurrency: int, url: str, client: str, warm: int
) -> dict[str, float]:
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
    warm_set = await seed(3 * warm, "40")
    await close_db()
    floor = [signed(i.reference, i.id) for i in unique_set]
    warm_bodies = [signed(i.reference, i.id) for i in warm_set]

    async def warm_up(servers: Servers) -> None:
        """A long-running process is warm: pool connections open, statements prepared. Each
        server first gets ``warm`` callbacks of its own (intents nobody else pays)."""
        if warm:
            take = [warm_bodies.pop() for _ in range(warm * len(servers.ports))]
            await _blast(servers.urls, take, concurrency, client)

    async with Servers(BARE_SERVER, 1) as servers:
        await _blast(servers.urls, floor[:warm], concurrency, client)
        bare = await blast(servers, url, servers.urls, floor, concurrency, client)
    async with Servers(BARE_SERVER, 2) as servers:
        await _blast(servers.urls, floor[: 2 * warm], concurrency, client)
        bare_two = await blast(servers, url, servers.urls, floor, concurrency, client)
    print(f"  bare floor: 1 process {bare.rate:.0f}/s, 2 processes {bare_two.rate / 2:.0f}/s each;"
          f" {per_callback(bare)}", flush=True)  # fmt: skip
    async with Servers(SERVER, 1) as servers:
        await warm_up(servers)
        before = await group_stats(servers.urls)
        unique = await blast(servers, url, servers.urls, floor, concurrency, client)
        after_unique = await group_stats(servers.urls)
        bodies = with_duplicates(one_set, share)
        one = await blast(servers, url, servers.urls, bodies, concurrency, client)
        after_one = await group_stats(servers.urls)
    print(f"  1 process, unique: {unique.rate:.0f}/s ({describe(after_unique, before)});"
          f" {per_callback(unique)}", flush=True)  # fmt: skip
    print(f"  1 process, {share:.0%} duplicates: {one.rate:.0f}/s"
          f" ({describe(after_one, after_unique)}); {per_callback(one)}", flush=True)  # fmt: skip
    async with Servers(SERVER, 2) as servers:
        await warm_up(servers)
        before = await group_stats(servers.urls)
        bodies = with_duplicates(two_set, share)
        two = await blast(servers, url, servers.urls, bodies, concurrency, client)
        after_two = await group_stats(servers.urls)
    print(f"  2 processes, {share:.0%} duplicates: {two.rate / 2:.0f}/s each"
          f" ({describe(after_two, before)}); {per_callback(two)}", flush=True)  # fmt: skip
    await init_db(url)
    double, missing = await books(unique_set + one_set + two_set + warm_set)
    overpaid = await Order.filter(paid__gt=PRICE).count()
    paid_ok = await Order.filter(paid=PRICE, status=OrderStatus.PAID).count()
    outcomes = Counter(e["outcome"] for e in await ProviderEvent.all().values("outcome"))
    await close_db()
    print(f"  statuses: unique {dict(unique.statuses)}, 1 process {dict(one.statuses)}, "
          f"2 processes {dict(two.statuses)}; event outcomes {dict(outcomes)}; "
          f"orders paid exactly once {paid_ok}/{3 * n + 3 * warm}")  # fmt: skip
    return {
        "bare": bare.rate,
        "bare_two_per_process": bare_two.rate / 2,
        "bare_cpu": bare.server_cpu_ms + bare.pg_cpu_ms,
        "unique": unique.rate,
        "unique_cpu": unique.server_cpu_ms + unique.pg_cpu_ms,
        "one": one.rate,
        "two_per_process": two.rate / 2,
        "double": double + overpaid,
        "missing": missing,
    }


async def rows(
    intents: int = 300,
    share: float = 0.2,
    concurrency: int = 64,
    client: str = "raw",
    warm: int = 100,
) -> list[Row]:
    name = await backends.create_pg_database()
    url = backends.pg_url(name)
    try:
        await migrate(url)
        await close_db()
        got = await measure(intents, share, concurrency, url, client, warm)
    finally:
        await backends.drop_pg_database(name)
    floor = "bare aiohttp + 1 INSERT"
    floor_two = "bare, 2 processes, each"
    dups = f"{share:.0%} duplicates"
    return [
        Row("callbacks/s, unique payments, 1 process", got["unique"], "/s", got["bare"], floor,
            "target >= 1,000 per process"),
        Row("callbacks: server + PostgreSQL CPU a callback, unique, 1 process", got["unique_cpu"],
            "ms", got["bare_cpu"], floor, "less noisy than rates on a shared machine"),
        Row(f"callbacks/s per process, {dups}, 1 process", got["one"], "/s", got["bare"], floor),
        Row(f"callbacks/s per process, {dups}, 2 processes", got["two_per_process"], "/s",
            got["bare_two_per_process"], floor_two),
        Row("callbacks: double + missing credits", got["double"] + got["missing"], "", None, "",
            "must be 0"),
    ]  # fmt: skip


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intents", type=int, default=3000)
    parser.add_argument("--duplicates", type=float, default=0.2, help="share of repeats")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument(
        "--client", choices=("raw", "aiohttp"), default="raw",
        help="load generator: pre-built requests on keep-alive sockets, or an aiohttp session",
    )  # fmt: skip
    parser.add_argument("--warm", type=int, default=100, help="callbacks per server first")
    args = parser.parse_args()
    print(render(await rows(args.intents, args.duplicates, args.concurrency, args.client,
                            args.warm)))  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
