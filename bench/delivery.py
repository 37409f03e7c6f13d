"""The delivery engine against a fake Bot API that answers 429 (with retry_after) whenever
the bot goes over 30 messages/s in total or 1/s in one chat, as Telegram does.

Queues ``--bulk`` reminders spread over ``--chats`` chats plus ``--one-chat`` alerts to a single
chat, then drains them with ``--workers`` delivery workers (each its own claims and in-flight
sends, sharing one rate limiter as processes share Redis) while a receipt (direct lane) is
enqueued every half second. Prints the achieved rate against the cap, 429s, duplicates and
the receipts' lag while the bulk lane is full.

    .venv/bin/python bench/delivery.py                      # small, about a minute
    .venv/bin/python bench/delivery.py --bulk 10000 --chats 2000 --one-chat 300 --workers 2
    .venv/bin/python bench/delivery.py --postgres postgres://postgres:postgres@127.0.0.1/postgres \
        --processes 2 --kill 8          # two processes sharing Redis; kill -9 one mid-drain
    .venv/bin/python bench/delivery.py --postgres ... --lanes 100000   # receipt behind bulk
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiogram import Bot  # noqa: E402
from aiogram.client.session.aiohttp import AiohttpSession  # noqa: E402
from aiogram.client.telegram import TelegramAPIServer  # noqa: E402
from tortoise import connections  # noqa: E402

from bots.telegram.render import Renderer  # noqa: E402
from bots.telegram.sender import TelegramSender  # noqa: E402
from core.clock import Clock  # noqa: E402
from core.contract import Reply  # noqa: E402
from core.delivery import DeliveryWorker, Outbox, reply_to_json  # noqa: E402
from core.pacing import ChannelPace, steady  # noqa: E402
from core.ratelimit import MemoryLimiter, RedisLimiter  # noqa: E402
from storage.db import close_db, init_db, migrate  # noqa: E402
from storage.models import MessengerAccount, OutboxMessage, OutboxStatus  # noqa: E402
from tests.fakes.telegram_api import TOKEN, FakeTelegram  # noqa: E402
from tests.support.channels import Channel  # noqa: E402

CAP = 30.0


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * p), len(ordered) - 1)] if ordered else float("nan")


async def seed(bulk: int, chats: int, one_chat: int) -> None:
    now = datetime.now(UTC)
    await MessengerAccount.bulk_create(
        [MessengerAccount(channel="telegram", external_id=str(10_000 + i)) for i in range(chats)]
        + [MessengerAccount(channel="telegram", external_id="99")]
        + [MessengerAccount(channel="telegram", external_id=str(70_000 + i)) for i in range(200)],
        batch_size=2000,
    )
    ids = dict(await MessengerAccount.all().values_list("external_id", "id"))
    rows = [
        OutboxMessage(
            channel="telegram",
            external_id="99",
            account_id=ids["99"],
            lane="direct",
            kind="staff.alert",
            body=reply_to_json(Reply(f"alert {i}")),
            not_before=now,
        )
        for i in range(one_chat)
    ] + [
        OutboxMessage(
            channel="telegram",
            external_id=str(10_000 + i % chats),
            account_id=ids[str(10_000 + i % chats)],
            lane="bulk",
            kind="reminder",
            body=reply_to_json(Reply(f"reminder {i}")),
            not_before=now,
        )
        for i in range(bulk)
    ]
    await OutboxMessage.bulk_create(rows, batch_size=2000)


async def fresh_db(args: argparse.Namespace) -> str:
    """A temporary SQLite file, or (--postgres ADMIN_URL) a new database of its own."""
    if not args.postgres:
        return args.db or f"sqlite://{tempfile.mkdtemp()}/bench.sqlite3"
    import asyncpg

    name = f"bench_delivery_{os.getpid()}"
    conn = await asyncpg.connect(args.postgres)
    await conn.execute(f"DROP DATABASE IF EXISTS {name}")
    await conn.execute(f"CREATE DATABASE {name}")
    await conn.close()
    return args.postgres.rsplit("/", 1)[0] + "/" + name


async def drop_db(args: argparse.Namespace, url: str) -> None:
    if args.postgres:
        import asyncpg

        conn = await asyncpg.connect(args.postgres)
        await conn.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")
        await conn.close()


async def run(args: argparse.Namespace) -> None:
    url = await fresh_db(args)
    await init_db(url)
    await migrate(url)
    fake = await FakeTelegram().start()
    fake.enforce_limits(CAP, 1.0)
    await seed(args.bulk, args.chats, args.one_chat)
    bot = Bot(fake.token, session=AiohttpSession(api=TelegramAPIServer.from_base(fake.url)))
    sender = TelegramSender(Renderer(bot))
    limiter = MemoryLimiter()
    pace = {Channel.TELEGRAM: ChannelPace("telegram", steady(1.0), steady(CAP))}
    clock = Clock()
    outbox = Outbox(clock)
    workers = [
        DeliveryWorker(
            clock,
            {Channel.TELEGRAM: sender},
            f"w{i}",
            concurrency=args.concurrency,
            pacing=pace,
            limiter=limiter,
            lease=timedelta(seconds=60),
            poll_seconds=0.2,
            wakeup=outbox.wakeup,
        )
        for i in range(args.workers)
    ]
    clients = await MessengerAccount.filter(external_id__startswith="70").order_by("id")
    total = args.bulk + args.one_chat
    started = time.monotonic()
    children: list[subprocess.Popen[bytes]] = []
    if args.processes:
        workers = []
        children = [spawn(args, url, fake.url, f"p{i}") for i in range(args.processes)]
    for w in workers:
        w.start()
    await fake.wait_for(lambda: bool(fake.requests("sendMessage")), limit=60)
    print(f"first send {time.monotonic() - started:.1f}s after start (process start-up)")
    started = time.monotonic()
    receipts = 0
    killed = False
    while True:
        if args.kill and not killed and time.monotonic() - started > args.kill:
            children[0].send_signal(signal.SIGKILL)  # dies holding its claims
            children[0].wait()
            children.append(spawn(args, url, fake.url, "p0-restarted"))
            killed = True
            print(f"killed -9 one process after {args.kill:.0f}s and started another")
        left_bulk = await OutboxMessage.filter(
            lane="bulk", status__in=["pending", "sending"]
        ).count()
        if left_bulk and receipts < 200:
            await outbox.enqueue(clients[receipts], Reply(f"receipt {receipts}"))
            receipts += 1
        left = await OutboxMessage.filter(status__in=["pending", "sending"]).count()
        if not left or time.monotonic() - started > args.timeout:
            break
        await asyncio.sleep(0.5)
    elapsed = time.monotonic() - started
    for w in workers:
        await w.stop(grace=10)
    for child in children:
        child.wait(timeout=60)
    sent = [p for p in fake.requests("sendMessage")]
    texts = Counter(m.text for m in fake.messages.values())  # what reached the chats
    ok = len(fake.messages)
    duplicates = sum(n - 1 for n in texts.values() if n > 1)
    lags = []
    for row in await OutboxMessage.filter(kind="notification", status=OutboxStatus.SENT):
        assert row.sent_at is not None
        lags.append((row.sent_at - row.not_before).total_seconds())
    receipts_sent = len(lags)
    stamps = sorted(
        t
        for t in await OutboxMessage.filter(status=OutboxStatus.SENT).values_list(
            "sent_at", flat=True
        )
        if t is not None
    )
    last_bulk = (
        await OutboxMessage.filter(lane="bulk", status=OutboxStatus.SENT)
        .order_by("-sent_at")
        .first()
    )
    end = last_bulk.sent_at if last_bulk and last_bulk.sent_at else stamps[-1]
    in_window = [t for t in stamps if t <= end]
    window = max((end - stamps[0]).total_seconds(), 1e-6)
    how = f"processes={args.processes}" if args.processes else f"workers={args.workers}"
    print(f"{how} concurrency={args.concurrency} db={url.split(':')[0]}")
    print(
        f"queued: {args.bulk} bulk to {args.chats} chats + {args.one_chat} to one chat"
        f" + {receipts} receipts during the drain; drained in {elapsed:.1f}s"
    )
    rate = len(in_window) / window
    print(f"rate while bulk had work: {rate:.1f}/s (cap {CAP:.0f}/s: {100 * rate / CAP:.1f}%)")
    print(
        f"delivered {ok} of {total + receipts}; requests {len(sent)}; 429 answered "
        f"{fake.too_many} ({fake.too_many_global} for the global rate); duplicates {duplicates}"
    )
    print(
        f"receipts: {receipts_sent} sent, lag p50 {pct(lags, 0.5):.2f}s "
        f"p99 {pct(lags, 0.99):.2f}s max {max(lags or [0]):.2f}s"
    )
    await bot.session.close()
    await fake.close()
    await close_db()
    await drop_db(args, url)


def spawn(args: argparse.Namespace, db: str, api: str, name: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            *(sys.executable, __file__, "--child", name, "--db", db, "--api", api),
            *("--redis", args.redis, "--prefix", args.prefix, "--lease", str(args.lease)),
            *("--concurrency", str(args.concurrency)),
        ],
        cwd=ROOT,
        stderr=subprocess.DEVNULL,
    )


async def child(args: argparse.Namespace) -> None:
    """One delivery process: its own worker, the rate limiter shared through Redis."""
    from redis.asyncio import Redis

    await init_db(args.db)
    redis = Redis.from_url(args.redis)
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(args.api)))
    worker = DeliveryWorker(
        Clock(),
        {Channel.TELEGRAM: TelegramSender(Renderer(bot))},
        args.child,
        concurrency=args.concurrency,
        pacing={Channel.TELEGRAM: ChannelPace("telegram", steady(1.0), steady(CAP))},
        limiter=RedisLimiter(redis, args.prefix),
        lease=timedelta(seconds=args.lease),
        poll_seconds=0.1,
    )
    worker.start()
    idle = 0
    while idle < 30:
        left = await OutboxMessage.filter(status__in=["pending", "sending"]).count()
        idle = 0 if left else idle + 1
        await asyncio.sleep(0.1)
    await worker.stop(grace=10)
    await bot.session.close()
    await redis.aclose()
    await close_db()


async def lanes(args: argparse.Namespace) -> None:
    """``--lanes N``: with N bulk rows queued, how long until a receipt leaves; the plan of the
    claim query (PostgreSQL: it must walk the (status, lane, not_before, id) index)."""
    url = await fresh_db(args)
    await init_db(url)
    await migrate(url)
    fake = await FakeTelegram().start()
    now = datetime.now(UTC)
    acc = await MessengerAccount.create(channel="telegram", external_id="1")
    for start in range(0, args.lanes, 5000):
        await OutboxMessage.bulk_create(
            [
                OutboxMessage(
                    channel="telegram",
                    external_id=str(10_000 + i),
                    account_id=acc.id,
                    lane="bulk",
                    kind="mailing",
                    body=reply_to_json(Reply(f"news {i}")),
                    not_before=now,
                )
                for i in range(start, min(start + 5000, args.lanes))
            ]
        )
    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        await conn.execute_script("ANALYZE outbox")
        plan = await conn.execute_query_dict(
            "EXPLAIN SELECT id FROM outbox WHERE status = 'pending' AND lane = 'direct' "
            "AND not_before <= now() AND (paced_until IS NULL OR paced_until <= now()) "
            "AND channel = ANY('{telegram}') ORDER BY not_before, id LIMIT 16 "
            "FOR UPDATE SKIP LOCKED"
        )
        print(f"claim plan (direct lane, {args.lanes} bulk rows queued):")
        for row in plan:
            print("   ", row["QUERY PLAN"])
    bot = Bot(fake.token, session=AiohttpSession(api=TelegramAPIServer.from_base(fake.url)))
    clock = Clock()
    outbox = Outbox(clock)
    worker = DeliveryWorker(
        clock,
        {Channel.TELEGRAM: TelegramSender(Renderer(bot))},
        "w",
        pacing={Channel.TELEGRAM: ChannelPace("telegram", steady(1.0), steady(CAP))},
        poll_seconds=0.2,
        wakeup=outbox.wakeup,
    )
    worker.start()
    await asyncio.sleep(3)  # the bulk lane is being drained at the cap
    receipt = await MessengerAccount.create(channel="telegram", external_id="2")
    lags = []
    for i in range(10):
        row = await outbox.enqueue(receipt, Reply(f"receipt {i}"))
        assert row is not None
        t0 = time.monotonic()
        text = f"receipt {i}"
        await fake.wait_for(lambda text=text: bool(fake.chat(2)) and fake.chat(2)[-1].text == text)
        lags.append(time.monotonic() - t0)
        await asyncio.sleep(1.0)  # one chat: 1/s
    await worker.stop(grace=10)
    print(
        f"receipt with {args.lanes} bulk rows queued: max {max(lags):.2f}s, "
        f"p50 {pct(lags, 0.5):.2f}s over {len(lags)}"
    )
    await bot.session.close()
    await fake.close()
    await close_db()
    await drop_db(args, url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bulk", type=int, default=600)
    parser.add_argument("--chats", type=int, default=300)
    parser.add_argument("--one-chat", type=int, default=20)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--db", help=argparse.SUPPRESS)  # children: the database to use
    parser.add_argument(
        "--postgres",
        help="admin URL, e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres: run on a "
        "temporary database of its own (default: a temporary SQLite file)",
    )
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--lanes", type=int, default=0, help="only: receipt lag behind N bulk")
    parser.add_argument("--processes", type=int, default=0, help="N processes (needs --redis)")
    parser.add_argument("--kill", type=float, default=0, help="kill -9 one process after S s")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--prefix", default=f"bench-delivery-{os.getpid()}:")
    parser.add_argument("--lease", type=float, default=5.0)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--api", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        asyncio.run(child(args))
    else:
        asyncio.run(lanes(args) if args.lanes else run(args))


if __name__ == "__main__":
    main()
