"""Payment callbacks under duplicates: how many callbacks a second does the real web app take,
and does any payment get credited twice?

A web-only tourdesk process (the real aiohttp app, PostgreSQL on its own temporary database)
listens on 127.0.0.1; this process posts LiqPay-signed callbacks concurrently.

Baseline in the same run: N callbacks for N intents, each sent once. Then N other intents get
their callback sent D times each, shuffled and concurrent, as a provider retrying would.
Afterwards the books are checked: one PAYMENT entry per intent, every order paid exactly once.

    .venv/bin/python bench/callbacks.py --intents 1000 --dups 10 --concurrency 64
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
        order = await Order.create(
            number=f"{label}-{i}",
            client=client,
            destination="Egypt",
            price=PRICE,
            currency="UAH",
        )
        intents.append(await create_order_intent(services, order, provider="liqpay"))
    return intents


async def blast(url: str, bodies: list[bytes], concurrency: int) -> tuple[float, Counter[int]]:
    statuses: Counter[int] = Counter()
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(body)
    headers = {"Content-Type": "application/x-www-form-urlencoded"}

    async def worker(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            body = queue.get_nowait()
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
        for _ in range(200):
            try:
                async with session.get(f"{base}/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError("bench server did not start")


async def run(n: int, dups: int, concurrency: int, url: str) -> None:
    port = free_port()
    os.environ.update(
        DATABASE_URL=url,
        LIQPAY_PUBLIC_KEY=PUBLIC,
        LIQPAY_PRIVATE_KEY=PRIVATE,
        PUBLIC_URL=f"http://127.0.0.1:{port}",
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("REDIS_URL", None)
    await init_db(url)
    baseline_set = await seed(n, "10")
    dup_set = await seed(n, "20")
    await close_db()

    server = subprocess.Popen([sys.executable, "-c", SERVER], cwd=ROOT)  # noqa: ASYNC220
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_ready(base)
        endpoint = f"{base}/payments/liqpay/callback"
        once = [signed(i.reference, i.id) for i in baseline_set]
        base_rate, base_status = await blast(endpoint, once, concurrency)
        many = [signed(i.reference, i.id) for i in dup_set for _ in range(dups)]
        random.shuffle(many)
        dup_rate, dup_status = await blast(endpoint, many, concurrency)
    finally:
        server.terminate()
        await asyncio.to_thread(server.wait)

    await init_db(url)
    payments = Counter(
        e["intent_id"] for e in await LedgerEntry.filter(kind=EntryKind.PAYMENT).values("intent_id")
    )
    all_ids = [i.id for i in baseline_set + dup_set]
    double = sum(1 for i in all_ids if payments[i] > 1)
    missing = sum(1 for i in all_ids if payments[i] == 0)
    paid_ok = await Order.filter(paid=PRICE, status=OrderStatus.PAID).count()
    overpaid = await Order.filter(paid__gt=PRICE).count()
    outcomes = Counter(e["outcome"] for e in await ProviderEvent.all().values("outcome"))
    await close_db()

    print(f"database: postgres, intents: {n} baseline + {n} duplicated x{dups}, "
          f"concurrency: {concurrency}")  # fmt: skip
    print(
        f"baseline (each callback once): {base_rate:.0f} callbacks/s, statuses {dict(base_status)}"
    )
    print(
        f"with duplicates ({len(many)} callbacks, {dups} per payment, shuffled): "
        f"{dup_rate:.0f} callbacks/s, statuses {dict(dup_status)}"
    )
    print(f"event outcomes: {dict(outcomes)}")
    print(
        f"double credits: {double}, missing credits: {missing}, orders paid exactly once: "
        f"{paid_ok}/{2 * n}, overpaid orders: {overpaid}"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--intents", type=int, default=1000)
    parser.add_argument("--dups", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    name = await backends.create_pg_database()
    url = backends.pg_url(name)
    try:
        await migrate(url)
        await close_db()
        await run(args.intents, args.dups, args.concurrency, url)
    finally:
        await backends.drop_pg_database(name)


if __name__ == "__main__":
    asyncio.run(main())
