"""A mailing to N clients, sent by two delivery processes sharing Redis, one of them killed -9
mid-send and restarted: Telegram against a fake Bot API that answers 429 past 30 messages/s
(or 1/s in one chat), Viber against a fake that answers ``broadcast_message`` (500 requests
per 10 s, 300 receivers each). Then the same to the Telegram clients with paid broadcast on
(TELEGRAM_PAID_BROADCAST: up to 1000/s).

Prints the audience snapshot time, the achieved Telegram rate against the cap, 429s, the Viber
broadcast requests against receivers, lost and duplicated messages, and the largest RSS of a
sending process.

    .venv/bin/python bench/mailings.py                                    # about 1.5 minutes
    .venv/bin/python bench/mailings.py --telegram 20000 --viber 80000 --paid-telegram 20000
    .venv/bin/python bench/mailings.py --telegram 100000 --viber 0 --kill 0 --no-paid

Needs PostgreSQL and Redis (the processes share them): --postgres ADMIN_URL, --redis URL.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiogram import Bot  # noqa: E402
from aiogram.client.session.aiohttp import AiohttpSession  # noqa: E402
from aiogram.client.telegram import TelegramAPIServer  # noqa: E402

from bots.app import build_services  # noqa: E402
from bots.telegram.render import Renderer as TelegramRenderer  # noqa: E402
from bots.telegram.sender import TelegramSender  # noqa: E402
from bots.viber.broadcast import ViberBroadcaster  # noqa: E402
from bots.viber.client import ViberClient  # noqa: E402
from bots.viber.render import Renderer as ViberRenderer  # noqa: E402
from bots.viber.render import sender_info  # noqa: E402
from bots.viber.sender import ViberSender  # noqa: E402
from core.batching import Batching  # noqa: E402
from core.clock import Clock  # noqa: E402
from core.delivery import DeliveryWorker  # noqa: E402
from core.jobs import JobRunner  # noqa: E402
from core.mailings import service  # noqa: E402
from core.pacing import ChannelPace, steady  # noqa: E402
from core.ratelimit import RedisLimiter  # noqa: E402
from core.rules import QuietHours, Rules  # noqa: E402
from core.settings import Settings  # noqa: E402
from storage.db import close_db, init_db, migrate  # noqa: E402
from storage.models import (  # noqa: E402
    Client,
    Mailing,
    MailingStatus,
    MessengerAccount,
    OutboxMessage,
    OutboxStatus,
)
from tests.fakes.telegram_api import TOKEN as TG_TOKEN  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402
from tests.fakes.viber_api import TOKEN as VIBER_TOKEN  # noqa: E402
from tests.fakes.viber_api import FakeViberApi  # noqa: E402
from tests.support.channels import Channel  # noqa: E402

CAP = 30.0
PAID_CAP = 1000.0
TG_BASE = 1_000_000  # Telegram chat ids of the clients


async def fresh_db(admin: str) -> str:
    import asyncpg

    name = f"bench_mailings_{os.getpid()}"
    conn = await asyncpg.connect(admin)
    await conn.execute(f"DROP DATABASE IF EXISTS {name}")
    await conn.execute(f"CREATE DATABASE {name}")
    await conn.close()
    return admin.rsplit("/", 1)[0] + "/" + name


async def drop_db(admin: str, url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin)
    await conn.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")
    await conn.close()


async def seed(group: str, channel: str, start: int, count: int) -> None:
    """``count`` consenting clients named ``group<i>``, each with one messenger account."""
    for first in range(start, start + count, 5000):
        size = min(5000, start + count - first)
        names = [f"{group}{first + i}" for i in range(size)]
        await Client.bulk_create(
            [Client(first_name=name, locale="en", marketing_consent=True) for name in names]
        )
        ids = await Client.filter(first_name__in=names).values_list("id", "first_name")
        await MessengerAccount.bulk_create(
            [
                MessengerAccount(
                    channel=channel,
                    external_id=external(channel, int(name[len(group) :])),
                    client_id=cid,
                )
                for cid, name in ids
            ]
        )


async def consent(group: str, given: bool) -> None:
    await Client.filter(first_name__startswith=group).update(marketing_consent=given)


def external(channel: str, i: int) -> str:
    return str(TG_BASE + i) if channel == "telegram" else f"vb{i:07d}=="


class Phase:
    def __init__(self, args: argparse.Namespace, url: str, paid: bool) -> None:
        self.args = args
        self.url = url
        self.paid = paid
        self.children: list[subprocess.Popen[bytes]] = []

    def spawn(self, name: str, tg_api: str, viber_api: str) -> subprocess.Popen[bytes]:
        a = self.args
        cmd = [
            *(sys.executable, __file__, "--child", name, "--db", self.url),
            *("--tg-api", tg_api, "--viber-api", viber_api, "--redis", a.redis),
            *("--prefix", a.prefix, "--lease", str(a.lease), "--concurrency", str(a.concurrency)),
        ]
        if self.paid:
            cmd.append("--paid")
        return subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.DEVNULL)


async def send_mailing(
    args: argparse.Namespace,
    url: str,
    text: str,
    segment: str,
    *,
    paid: bool,
    tg: FakeTelegram,
    vb: FakeViberApi,
    expected: int,
) -> None:
    settings = Settings()
    settings.database.database_url = url
    settings.redis.redis_url = None
    services = await build_services(settings, Rules(quiet_hours=QuietHours(enabled=False)))
    phase = Phase(args, url, paid)
    phase.children = [phase.spawn(f"p{i}", tg.url, vb.api_url) for i in range(args.processes)]
    await asyncio.sleep(args.startup)  # the processes import and connect meanwhile

    mailing = await service.create_mailing(services, {"default": text}, segment=segment)
    await service.schedule(services, mailing.id)
    await Mailing.filter(id=mailing.id).update(
        status=MailingStatus.SENDING, started_at=datetime.now(UTC)
    )
    t0 = time.monotonic()
    await service.snapshot(services, await service.get_mailing(mailing.id))
    snapshot = time.monotonic() - t0
    t0 = time.monotonic()
    runner = JobRunner(services.jobs, "bench")
    await runner.drain()  # mailing.feed: queue every recipient
    queued = time.monotonic() - t0
    started = time.monotonic()
    killed = False
    prefix = service.dedupe_prefix(mailing.id)
    while True:
        await asyncio.sleep(0.5)
        if args.kill and not killed and time.monotonic() - started > args.kill:
            phase.children[0].send_signal(signal.SIGKILL)  # dies holding its claims
            phase.children[0].wait()
            phase.children.append(phase.spawn("p0-restarted", tg.url, vb.api_url))
            killed = True
        left = await OutboxMessage.filter(
            dedupe_key__startswith=prefix, status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]
        ).count()
        if not left or time.monotonic() - started > args.timeout:
            break
    elapsed = time.monotonic() - started
    for child in phase.children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in phase.children:
        child.wait(timeout=60)

    tg_rows = OutboxMessage.filter(dedupe_key__startswith=prefix, channel="telegram")
    stamps: list[datetime] = sorted(
        cast(datetime, t)
        for t in await tg_rows.filter(status=OutboxStatus.SENT).values_list("sent_at", flat=True)
        if t is not None
    )
    tg_chats = Counter(m.chat_id for m in tg.messages.values() if m.text == text)
    vb_users = Counter(user for user, said in vb.received() if said == text)
    reached = len(tg_chats) + len(vb_users)
    duplicates = sum(n - 1 for n in tg_chats.values()) + sum(n - 1 for n in vb_users.values())
    statuses = Counter(
        await OutboxMessage.filter(dedupe_key__startswith=prefix).values_list("status", flat=True)
    )
    cap = PAID_CAP if paid else CAP
    title = "paid broadcast" if paid else "free"
    print(f"--- {title}: {expected} clients ({segment or 'everybody'}) ---")
    print(f"audience snapshot {snapshot:.2f}s, queueing {queued:.2f}s")
    if len(stamps) > 1:
        window = (stamps[-1] - stamps[0]).total_seconds()
        rate = (len(stamps) - 1) / window
        print(
            f"telegram: {len(stamps)} sent in {window:.1f}s = {rate:.1f}/s "
            f"(cap {cap:.0f}/s: {100 * rate / cap:.1f}%); 429 answered {tg.too_many} "
            f"({tg.too_many_global} for the global rate)"
        )
    broadcasts = [b for b in vb.broadcasts if b.get("text") == text]
    if broadcasts:
        receivers = sum(len(b["broadcast_list"]) for b in broadcasts)
        print(
            f"viber: {len(broadcasts)} broadcast requests for {receivers} receivers "
            f"(refused for the rate: {vb.broadcast_refused}); send_message {len(vb.sent)}"
        )
    if args.kill:
        print(f"killed -9 one of {args.processes} processes {args.kill:.0f}s in, restarted it")
    print(
        f"reached {reached} of {expected}: lost {expected - reached}, duplicates {duplicates}; "
        f"outbox {dict(statuses)}; done in {elapsed:.1f}s"
    )
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"largest RSS of a sending process so far: {rss:.0f} MB")


async def run(args: argparse.Namespace) -> None:
    url = await fresh_db(args.postgres)
    try:
        await init_db(url)
        await migrate(url)
        tg = await FakeTelegram().start()
        vb = FakeViberApi()
        vb.broadcast_limit = (500, 10.0)
        await vb.start()
        t0 = time.monotonic()
        await seed("tga", "telegram", 0, args.telegram)
        await seed("vb", "viber", 0, args.viber)
        paid = 0 if args.no_paid else args.paid_telegram
        await seed("tgb", "telegram", args.telegram, paid)
        print(
            f"seeded {args.telegram} + {paid} Telegram and {args.viber} Viber clients in "
            f"{time.monotonic() - t0:.1f}s"
        )
        tg.enforce_limits(CAP, 1.0)
        await consent("tgb", False)
        await send_mailing(
            args,
            url,
            "Autumn deals: Egypt from 450 EUR",
            "",
            paid=False,
            tg=tg,
            vb=vb,
            expected=args.telegram + args.viber,
        )
        if paid:
            await consent("tga", False)
            await consent("tgb", True)
            tg.enforce_limits(PAID_CAP, 1.0)
            tg.too_many = tg.too_many_global = 0
            await send_mailing(
                args,
                url,
                "Winter deals: Carpathians from 90 EUR",
                "channel=telegram",
                paid=True,
                tg=tg,
                vb=vb,
                expected=paid,
            )
        await tg.close()
        await vb.close()
    finally:
        await close_db()
        await drop_db(args.postgres, url)


async def child(args: argparse.Namespace) -> None:
    """One delivery process: Telegram and Viber senders, the limiter shared through Redis."""
    from redis.asyncio import Redis

    await init_db(args.db)
    redis = Redis.from_url(args.redis)
    clock = Clock()
    bot = Bot(TG_TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(args.tg_api)))
    viber = ViberClient(VIBER_TOKEN, args.viber_api)
    vrender = ViberRenderer(sender_info("Tourdesk Travel", None))
    worker = DeliveryWorker(
        clock,
        {
            Channel.TELEGRAM: TelegramSender(TelegramRenderer(bot), paid_broadcast=args.paid),
            Channel.VIBER: ViberSender(viber, vrender, clock),
        },
        args.child,
        concurrency=args.concurrency,
        pacing={
            Channel.TELEGRAM: ChannelPace(
                "telegram",
                steady(1.0),
                steady(CAP),
                bulk_rate=steady(PAID_CAP) if args.paid else None,
            ),
            Channel.VIBER: ChannelPace("viber", steady(1.0), steady(50.0)),
        },
        limiter=RedisLimiter(redis, args.prefix),
        lease=timedelta(seconds=args.lease),
        poll_seconds=0.1,
        batching=Batching({Channel.VIBER: ViberBroadcaster(viber, vrender)}),
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    worker.start()
    await stop.wait()
    await worker.stop(grace=10)
    await bot.session.close()
    await viber.close()
    await redis.aclose()
    await close_db()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--telegram", type=int, default=1500, help="Telegram clients")
    parser.add_argument("--viber", type=int, default=3000, help="Viber clients")
    parser.add_argument(
        "--paid-telegram", type=int, default=3000, help="other Telegram clients, paid mailing"
    )
    parser.add_argument("--no-paid", action="store_true", help="skip the paid-broadcast mailing")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--kill", type=float, default=15.0, help="kill -9 one after S s (0: no)")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--lease", type=float, default=5.0)
    parser.add_argument("--startup", type=float, default=3.0)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument(
        "--postgres", default="postgres://postgres:postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--prefix", default=f"bench-mailings-{os.getpid()}:")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--tg-api", help=argparse.SUPPRESS)
    parser.add_argument("--viber-api", help=argparse.SUPPRESS)
    parser.add_argument("--paid", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    asyncio.run(child(args) if args.child else run(args))


if __name__ == "__main__":
    main()
