"""Mailings at the platform's cap, exactly once: the real delivery engine in separate processes
(sharing PostgreSQL and Redis) against a fake Bot API that answers 429 with retry_after past
30 messages/s for the bot or 1/s in one chat (1000/s with paid broadcast), as Telegram does.

Scenarios, one table row each, all in one run so that the figures share the machine's load:

- baseline: what open bots do — a loop that sends and then ``sleep(1/30)``;
- ceiling: bare aiohttp POSTs at full speed against the same fake with the paid limits — what
  the machine allows one sender at all, the yardstick for the paid rows;
- paced: the same bare POSTs, each sent at its own slot of exactly 1000/s (a local timer, no
  database, no Redis): a perfect sender at the cap. The 429s it gets are the fake's and the
  box's jitter (the fake tolerates 0.1 s early, and a loaded box delays requests by more), so
  they are the floor the paid rows' 429s are read against;
- free 30/s with one process, then two; paid broadcast (TELEGRAM_PAID_BROADCAST) 1000/s with
  one process, then two; two processes with one killed -9 a third of the way through and
  restarted (its claims come back after the lease);
- in every scenario a receipt (direct lane) is queued mid-mailing: how long it took to leave;
- ``--rss 20000,100000``: the largest RSS of a sending process for audiences of those sizes
  (it must not grow with the audience: rows are claimed and read in batches).

Columns: messages sent / expected, achieved rate and its share of the cap (first to last
send), 429s answered by the fake, the times the fake's process stood still for over 0.1 s (the
box's load: requests that arrived meanwhile reach it as one burst, so a 429 on a row with stalls
may be the box's and not the sender's; the fake runs at a raised priority when the bench may
set one), lost and duplicated messages (counted at the fake), the
receipt's time to leave, the largest RSS of a sending process, and the CPU time the sending
processes spent per message sent (ms/msg: comparable across runs on a loaded box, where the
rate is not).

    .venv/bin/python bench/mailings.py                        # small: a few minutes
    .venv/bin/python bench/mailings.py --clients 20000 --paid-clients 20000 --rss 20000,100000
    .venv/bin/python bench/mailings.py --only paid1,paid2     # some scenarios only
    .venv/bin/python bench/mailings.py --viber 3000           # Viber broadcast as well

Needs PostgreSQL and Redis (the processes share them): --postgres ADMIN_URL, --redis URL.

The fake Bot API runs in a process of its own (at 1000/s its request handling is a core's
worth of work that must not be taken from the senders); the bench sets its limits and reads its
counts — messages per chat, 429s — through two extra methods it answers (``benchLimits``,
``benchCount``). Its CPU time is printed with each row.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import itertools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import aiohttp
from prometheus_client import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiogram import Bot  # noqa: E402
from aiogram.client.session.aiohttp import AiohttpSession  # noqa: E402
from aiogram.client.telegram import TelegramAPIServer  # noqa: E402

from bots.app import build_services, settle_heap  # noqa: E402
from bots.telegram.render import Renderer as TelegramRenderer  # noqa: E402
from bots.telegram.sender import TelegramSender  # noqa: E402
from bots.telegram.session import TelegramSession  # noqa: E402
from bots.viber.broadcast import ViberBroadcaster  # noqa: E402
from bots.viber.client import ViberClient  # noqa: E402
from bots.viber.render import Renderer as ViberRenderer  # noqa: E402
from bots.viber.render import sender_info  # noqa: E402
from bots.viber.sender import ViberSender  # noqa: E402
from core.batching import Batching  # noqa: E402
from core.clock import Clock  # noqa: E402
from core.contract import Reply  # noqa: E402
from core.delivery import UNSENT, DeliveryWorker  # noqa: E402
from core.jobs import JobRunner  # noqa: E402
from core.mailings import service  # noqa: E402
from core.pacing import ChannelPace, in_flight, steady  # noqa: E402
from core.ratelimit import RedisLimiter  # noqa: E402
from core.rules import QuietHours, Rules  # noqa: E402
from core.services import Services  # noqa: E402
from core.settings import Settings  # noqa: E402
from storage.claims import IN_FLIGHT_LOST  # noqa: E402
from storage.db import close_db, init_db, migrate  # noqa: E402
from storage.models import (  # noqa: E402
    Client,
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
RECEIPT_CHAT = 999_999  # the accountant's chat: a receipt leaves there mid-mailing


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


async def analyze() -> None:
    """Planner statistics for the freshly seeded tables: without them PostgreSQL estimates two
    clients and joins the audience query in a nested loop (a minute per snapshot batch at
    20,000 clients), until autovacuum happens to look."""
    from tortoise import connections

    await connections.get("default").execute_script("ANALYZE")


def external(channel: str, i: int) -> str:
    return str(TG_BASE + i) if channel == "telegram" else f"vb{i:07d}=="


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), in seconds."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def rss_mb(pid: int) -> float:
    """The resident set of a process now (Linux /proc), in MB."""
    try:
        for text in Path(f"/proc/{pid}/status").read_text().splitlines():
            if text.startswith("VmRSS:"):
                return int(text.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class Row:
    """One scenario's figures (a line of the table)."""

    name: str
    expected: int
    cap: float
    sent: int = 0
    rate: float = 0.0
    too_many: int = 0
    stalls: int = 0  # times the fake's process stood still > 0.1 s (its 429s follow from these)
    lost: int = 0
    duplicates: int = 0
    receipt: float | None = None  # seconds from enqueue to sent
    rss: float = 0.0
    seconds: float = 0.0
    fake_cpu: float = 0.0  # CPU seconds of the fake Bot API's process during the scenario
    cpu: float = 0.0  # CPU seconds of the sending processes (what the box's load leaves aside)
    note: str = ""


class Processes:
    """The sending processes of one scenario (``tourdesk run`` would be one each)."""

    def __init__(self, args: argparse.Namespace, url: str, paid: bool, tg: RemoteFake) -> None:
        self.args, self.url, self.paid, self.tg = args, url, paid, tg
        self.children: list[subprocess.Popen[bytes]] = []
        self.rss = 0.0
        self.cpu: dict[int, float] = {}  # CPU seconds of each child, last seen

    def spawn(self, name: str) -> None:
        a = self.args
        cmd = [
            *(sys.executable, __file__, "--child", name, "--db", self.url),
            *("--tg-api", self.tg.url, "--viber-api", a.viber_api or "", "--redis", a.redis),
            *("--prefix", a.prefix, "--lease", str(a.lease), "--concurrency", str(a.concurrency)),
            *("--stats", str(self.stats_path(name))),
        ]
        if self.paid:
            cmd.append("--paid")
        self.children.append(subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.DEVNULL))

    @staticmethod
    def stats_path(name: str) -> Path:
        return Path(tempfile.gettempdir()) / f"bench-mailings-{os.getpid()}-{name}.json"

    def stats(self) -> Counter[str]:
        """What the processes counted in themselves (written as they stop): how often each
        stood still (a hold) and how many sends took a new slot for leaving late."""
        total: Counter[str] = Counter()
        for path in Path(tempfile.gettempdir()).glob(f"bench-mailings-{os.getpid()}-*.json"):
            total.update(json.loads(path.read_text()))
            path.unlink()
        return total

    def sample(self) -> None:
        for child in self.children:
            if child.poll() is None:
                self.rss = max(self.rss, rss_mb(child.pid))
                self.cpu[child.pid] = max(self.cpu.get(child.pid, 0.0), cpu_seconds(child.pid))

    def kill_one(self) -> None:
        self.children[0].send_signal(signal.SIGKILL)  # dies holding its claims
        self.children[0].wait()

    def stop(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.children:
            child.wait(timeout=60)


_texts = itertools.count(1)


@contextlib.contextmanager
def still_heap() -> Iterator[None]:
    """No garbage collection in this process while the bench's own bare senders (baseline,
    ceiling, paced) run: a full collection of the bench's heap holds their requests back past
    the fake's 0.1 s jitter allowance, and a yardstick must not carry the harness's pauses."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


async def audience(clients: int, viber: int) -> None:
    """Consent for the first ``clients`` Telegram and ``viber`` Viber clients, nobody else."""
    await Client.all().update(marketing_consent=False)
    for group, count in (("tg", clients), ("vb", viber)):
        for first in range(0, count, 5000):
            names = [f"{group}{i}" for i in range(first, min(first + 5000, count))]
            await Client.filter(first_name__in=names).update(marketing_consent=True)


async def scenario(
    args: argparse.Namespace,
    url: str,
    services: Services,
    tg: RemoteFake,
    *,
    name: str,
    clients: int,
    paid: bool,
    processes: int,
    kill: bool = False,
    vb: FakeViberApi | None = None,
    viber: int = 0,
) -> Row:
    """One mailing to the first ``clients`` Telegram clients (and ``viber`` Viber ones)."""
    cap = PAID_CAP if paid else CAP
    await tg.limits(cap, 1.0)
    cpu = await tg.cpu()
    row = Row(name, clients + viber, cap)
    text = f"Deals #{next(_texts)}: Egypt from 450 EUR"
    await audience(clients, viber)
    procs = Processes(args, url, paid, tg)
    for i in range(processes):
        procs.spawn(f"p{i}")
    await asyncio.sleep(args.startup)  # the processes import and connect meanwhile
    procs.sample()
    idle_cpu = sum(procs.cpu.values())  # imports and start-up: not the mailing's
    mailing = await service.create_mailing(services, {"default": text})
    await service.schedule(services, mailing.id)
    # mailing.feed (snapshot, queue everybody) runs while the processes already send what it
    # has queued: at 1000/s most of the audience is sent before the feed ends
    feed = asyncio.create_task(JobRunner(services.jobs, "bench").drain())
    prefix = service.dedupe_prefix(mailing.id)
    started = time.monotonic()
    receipt_at: datetime | None = None
    receipt: OutboxMessage | None = None
    killed = False
    while True:
        # the watch's own queries (two counts of the mailing's rows) take the machine's CPU
        # from the processes it measures: twice a second is enough to see a third sent
        await asyncio.sleep(0.5)
        procs.sample()
        done = await OutboxMessage.filter(
            dedupe_key__startswith=prefix, status=OutboxStatus.SENT
        ).count()
        if receipt_at is None and done >= row.expected // 3:
            receipt_at = datetime.now(UTC)
            receipt = await services.outbox.enqueue(
                await receipt_account(), Reply("Payment received: 1,200 UAH"), kind="receipt"
            )
            if kill:
                procs.kill_one()
                procs.spawn("p0-restarted")
                killed = True
        left = await OutboxMessage.filter(
            dedupe_key__startswith=prefix, status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING]
        ).count()
        done_all = not left and feed.done()
        if done_all and receipt is not None:  # the receipt queued late has its time to leave
            done_all = await OutboxMessage.filter(id=receipt.id, status__in=UNSENT).count() == 0
        if done_all or time.monotonic() - started > args.timeout:
            break
    row.seconds = time.monotonic() - started
    await feed
    procs.sample()
    procs.stop()
    inside = procs.stats()
    row.rss = procs.rss
    row.cpu = sum(procs.cpu.values()) - idle_cpu
    if receipt is not None and receipt_at is not None:
        sent = await OutboxMessage.get(id=receipt.id)
        if sent.sent_at is not None:
            row.receipt = (sent.sent_at - receipt_at).total_seconds()
        else:
            row.note += f"receipt {sent.status}: {sent.error}; "
    count_uncertain = await OutboxMessage.filter(
        dedupe_key__startswith=prefix, status=OutboxStatus.FAILED, error=IN_FLIGHT_LOST
    ).count()
    stamps = sorted(
        cast(datetime, t)
        for t in await OutboxMessage.filter(
            dedupe_key__startswith=prefix, channel="telegram", status=OutboxStatus.SENT
        ).values_list("sent_at", flat=True)
        if t is not None
    )
    count = await tg.count(text)
    users = Counter(u for u, said in vb.received() if said == text) if vb is not None else Counter()
    row.sent = count["chats"] + len(users)
    row.lost = row.expected - row.sent
    row.duplicates = count["duplicates"] + sum(n - 1 for n in users.values())
    row.too_many, row.stalls = count["too_many"], count["stalls"]
    row.fake_cpu = (await tg.cpu()) - cpu
    count["uncertain"] = count_uncertain
    if len(stamps) > 1:
        row.rate = (len(stamps) - 1) / (stamps[-1] - stamps[0]).total_seconds()
    row.note = f"held {inside['pauses']}x, {inside['late_slot']} late re-booked; "
    if killed:
        row.note += (
            f"one killed -9 a third of the way, restarted; {count['uncertain']} in flight "
            "at the kill closed unsent"
        )
    if vb is not None and viber:
        broadcasts = [b for b in vb.broadcasts if b.get("text") == text]
        receivers = sum(len(b["broadcast_list"]) for b in broadcasts)
        row.note += f"viber: {len(broadcasts)} broadcasts for {receivers} receivers"
    if row.lost:  # timed out: nothing of it may leak into the next scenario
        await service.cancel(services, mailing.id)
    return row


class BenchFake(FakeTelegram):
    """The fake Bot API of :func:`fake_server`, with two methods for the bench."""

    loop_stalls = 0  # times this process's loop ran over 0.1 s late (the box, not the sender)

    async def _m_benchlimits(self, params: dict[str, Any]) -> Any:
        self.enforce_limits(float(params["global"]), float(params["chat"]))
        self.too_many = self.too_many_global = self.loop_stalls = 0
        # Telegram's servers do not stop for our garbage collector: the fake keeps every
        # message it got, and a full collection of that heap stood its loop still for 0.2 s
        # (measured), past the 0.1 s it allows, so requests on time bunched into 429s. The
        # collection runs here, between scenarios, and not during one.
        gc.enable()
        gc.collect()
        gc.freeze()
        gc.disable()
        return True

    async def _m_benchcount(self, params: dict[str, Any]) -> Any:
        chats = Counter(m.chat_id for m in self.messages.values() if m.text == params["text"])
        return {
            "chats": len(chats),
            "duplicates": sum(n - 1 for n in chats.values()),
            "too_many": self.too_many,
            "stalls": self.loop_stalls,
        }

    async def watch_loop(self) -> None:
        """Count the times this process was kept from running for longer than the fake's
        jitter allowance: requests that arrived meanwhile are handled as one burst, and a 429
        that follows is the box's doing, not the sender's."""
        while True:
            before = time.monotonic()
            await asyncio.sleep(0.01)
            if time.monotonic() - before > 0.1:
                self.loop_stalls += 1

    async def _m_benchcpu(self, params: dict[str, Any]) -> Any:
        return time.process_time()


class RemoteFake:
    """The bench's handle on the fake Bot API running in its own process."""

    def __init__(self, process: subprocess.Popen[bytes], port: int) -> None:
        self.process = process
        self.url = f"http://127.0.0.1:{port}"
        self._http = aiohttp.ClientSession()

    @classmethod
    async def spawn(cls) -> RemoteFake:
        process = subprocess.Popen(  # noqa: ASYNC220
            [sys.executable, __file__, "--fake-server"], cwd=ROOT, stdout=subprocess.PIPE
        )
        assert process.stdout is not None
        line = await asyncio.get_running_loop().run_in_executor(None, process.stdout.readline)
        return cls(process, int(line))

    async def call(self, method: str, **params: Any) -> Any:
        async with self._http.post(f"{self.url}/bot{TG_TOKEN}/{method}", json=params) as resp:
            return (await resp.json())["result"]

    async def limits(self, global_rate: float, per_chat: float) -> None:
        await self.call("benchLimits", **{"global": global_rate, "chat": per_chat})

    async def count(self, text: str) -> dict[str, int]:
        return cast(dict[str, int], await self.call("benchCount", text=text))

    async def cpu(self) -> float:
        return float(await self.call("benchCpu"))

    async def close(self) -> None:
        await self._http.close()
        self.process.terminate()
        self.process.wait(timeout=10)


async def fake_server() -> None:
    """The fake Bot API alone in this process; prints its port, runs until terminated."""
    # it stands for Telegram's servers, which do not share the senders' CPU (not root: the
    # stall count of each row shows what the box's load did to it)
    with contextlib.suppress(OSError):
        os.setpriority(os.PRIO_PROCESS, 0, -10)
    fake = BenchFake()
    await fake.start()
    watch = asyncio.create_task(fake.watch_loop())
    print(fake.port, flush=True)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    watch.cancel()
    await fake.close()


async def receipt_account() -> MessengerAccount:
    """A staff member's chat (not in any audience) that gets a receipt mid-mailing."""
    account, _ = await MessengerAccount.get_or_create(
        channel="telegram", external_id=str(RECEIPT_CHAT), defaults={"name": "accountant"}
    )
    return account


async def baseline(tg: RemoteFake, clients: int) -> Row:
    """What open bots do: send, then sleep(1/30); no database, no claims."""
    await tg.limits(CAP, 1.0)
    row = Row("baseline: send + sleep(1/30)", clients, CAP)
    text = "Baseline deals"
    bot = Bot(TG_TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(tg.url)))
    started = time.monotonic()
    stamps = []
    try:
        for i in range(clients):
            try:
                await bot.send_message(chat_id=TG_BASE + i, text=text)
                stamps.append(time.monotonic())
            except Exception:  # a 429: the loop goes on (and the message is lost)
                pass
            await asyncio.sleep(1 / CAP)
    finally:
        await bot.session.close()
    row.seconds = time.monotonic() - started
    count = await tg.count(text)
    row.sent, row.lost = count["chats"], clients - count["chats"]
    row.too_many, row.stalls = count["too_many"], count["stalls"]
    if len(stamps) > 1:
        row.rate = (len(stamps) - 1) / (stamps[-1] - stamps[0])
    return row


async def ceiling(tg: RemoteFake, clients: int, concurrency: int) -> Row:
    """What this machine allows at all: bare aiohttp POSTs of sendMessage (JSON bodies built
    beforehand, ``concurrency`` in flight, no database, no pacing) against the same fake with
    the fake's limits lifted (at the cap it would answer 429 past 1000/s and the row would
    show the cap, not the box). If this stays near 1000/s, the cap is out of one sender's
    reach on this box and the paid rows are read against this figure (the headroom)."""
    await tg.limits(1e9, 1e9)
    row = Row(f"ceiling: bare POSTs, {concurrency} in flight", clients, PAID_CAP)
    text = f"Ceiling #{next(_texts)}"
    url = f"{tg.url}/bot{TG_TOKEN}/sendMessage"
    bodies = iter(
        [json.dumps({"chat_id": TG_BASE + i, "text": text}).encode() for i in range(clients)]
    )
    headers = {"Content-Type": "application/json"}
    stamps: list[float] = []
    cpu = await tg.cpu()
    mine = time.process_time()
    connector = aiohttp.TCPConnector(limit=concurrency)

    async def lane(http: aiohttp.ClientSession) -> None:
        for body in bodies:
            async with http.post(url, data=body, headers=headers) as resp:
                await resp.read()
                if resp.status == 200:
                    stamps.append(time.monotonic())

    started = time.monotonic()
    async with aiohttp.ClientSession(connector=connector) as http:
        await asyncio.gather(*(lane(http) for _ in range(concurrency)))
    row.seconds = time.monotonic() - started
    row.cpu = time.process_time() - mine
    row.fake_cpu = (await tg.cpu()) - cpu
    count = await tg.count(text)
    row.sent, row.lost = count["chats"], clients - count["chats"]
    row.duplicates, row.too_many = count["duplicates"], count["too_many"]
    row.stalls = count["stalls"]
    if len(stamps) > 1:
        row.rate = (len(stamps) - 1) / (stamps[-1] - stamps[0])
    row.note = "the box's limit for one bare sender, no cap"
    return row


async def paced(tg: RemoteFake, clients: int) -> Row:
    """Bare POSTs, each at its own slot of exactly the paid cap (a local timer; at most a
    quarter second of them booked ahead, as the engine books): what a sender that keeps the cap
    perfectly gets from the fake on this box."""
    await tg.limits(PAID_CAP, 1.0)
    row = Row("paced: bare POSTs at 1000/s", clients, PAID_CAP)
    text = f"Paced #{next(_texts)}"
    url = f"{tg.url}/bot{TG_TOKEN}/sendMessage"
    headers = {"Content-Type": "application/json"}
    stamps: list[float] = []
    late: list[float] = []
    cpu = await tg.cpu()
    mine = time.process_time()

    async def one(http: aiohttp.ClientSession, i: int, at: float) -> None:
        await asyncio.sleep(max(0.0, at - time.monotonic()))
        late.append(time.monotonic() - at)
        body = json.dumps({"chat_id": TG_BASE + i, "text": text}).encode()
        async with http.post(url, data=body, headers=headers) as resp:
            await resp.read()
            if resp.status == 200:
                stamps.append(time.monotonic())

    started = time.monotonic()
    tasks = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=500)) as http:
        first = time.monotonic() + 0.1
        for i in range(clients):
            at = first + i / PAID_CAP
            ahead = at - time.monotonic() - 0.25
            if ahead > 0:
                await asyncio.sleep(ahead)
            tasks.append(asyncio.create_task(one(http, i, at)))
        await asyncio.gather(*tasks)
    row.seconds = time.monotonic() - started
    row.cpu = time.process_time() - mine
    row.fake_cpu = (await tg.cpu()) - cpu
    count = await tg.count(text)
    row.sent, row.lost = count["chats"], clients - count["chats"]
    row.duplicates, row.too_many = count["duplicates"], count["too_many"]
    row.stalls = count["stalls"]
    if len(stamps) > 1:
        row.rate = (len(stamps) - 1) / (stamps[-1] - stamps[0])
    late.sort()
    p99 = late[int(len(late) * 0.99)] if late else 0.0
    row.note = f"a perfect sender at the cap; left late p99 {1000 * p99:.0f} ms"
    return row


async def rss_at(
    args: argparse.Namespace, url: str, services: Services, tg: RemoteFake, size: int
) -> Row:
    """The sending process's RSS while it works on an audience of ``size`` (paid rate)."""
    have = await Client.filter(first_name__startswith="tg").count()
    if have < size:
        await seed("tg", "telegram", have, size - have)
        await analyze()
    await audience(size, 0)
    await tg.limits(PAID_CAP, 1.0)
    row = Row(f"RSS, audience {size}", size, PAID_CAP)
    procs = Processes(args, url, True, tg)
    procs.spawn("rss")
    await asyncio.sleep(args.startup)
    mailing = await service.create_mailing(services, {"default": f"RSS {size}"})
    await service.schedule(services, mailing.id)
    began = time.monotonic()
    feed = asyncio.create_task(JobRunner(services.jobs, "bench").drain())  # sent meanwhile
    while not feed.done():
        await asyncio.sleep(0.5)
        procs.sample()
    await feed
    fed = time.monotonic() - began
    started = time.monotonic()
    while time.monotonic() - started < args.rss_seconds:
        await asyncio.sleep(0.5)
        procs.sample()
    row.seconds = time.monotonic() - began
    row.sent = await OutboxMessage.filter(  # within the window: not what the stop's grace adds
        dedupe_key__startswith=service.dedupe_prefix(mailing.id), status=OutboxStatus.SENT
    ).count()
    procs.stop()
    row.rss = procs.rss
    row.note = (
        f"sent {row.sent} of {size} while the feed queued them ({fed:.0f}s) and "
        f"{args.rss_seconds:.0f}s after, then stopped"
    )
    row.expected = row.sent
    await service.cancel(services, mailing.id)
    return row


def table(rows: list[Row]) -> str:
    head = (
        f"{'scenario':<34} {'sent':>13} {'rate/s':>7} {'of cap':>7} {'429':>4} {'stall':>5} "
        f"{'lost':>5} "
        f"{'dup':>4} {'receipt':>8} {'RSS MB':>7} {'fake CPU':>9} {'ms/msg':>7}  note"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        share = f"{100 * r.rate / r.cap:.1f}%" if r.rate else "-"
        receipt = f"{r.receipt:.2f}s" if r.receipt is not None else "-"
        rss = f"{r.rss:.0f}" if r.rss else "-"
        fake_cpu = f"{100 * r.fake_cpu / r.seconds:.0f}%" if r.fake_cpu and r.seconds else "-"
        per_msg = f"{1000 * r.cpu / r.sent:.2f}" if r.cpu and r.sent else "-"
        lines.append(
            f"{r.name:<34} {f'{r.sent}/{r.expected}':>13} {r.rate:>7.1f} {share:>7} "
            f"{r.too_many:>4} {r.stalls:>5} {r.lost:>5} {r.duplicates:>4} {receipt:>8} {rss:>7} "
            f"{fake_cpu:>9} {per_msg:>7}  {r.note}"
        )
    return "\n".join(lines)


PLAN = (  # key, title, paid, processes, kill -9
    ("free1", "free 30/s, 1 process", False, 1, False),
    ("free2", "free 30/s, 2 processes", False, 2, False),
    ("paid1", "paid 1000/s, 1 process", True, 1, False),
    ("paid2", "paid 1000/s, 2 processes", True, 2, False),
    ("kill", "free 30/s, 2 processes, kill -9", False, 2, True),
)


async def run(args: argparse.Namespace) -> None:
    url = await fresh_db(args.postgres)
    rows: list[Row] = []
    try:
        await init_db(url)
        await migrate(url)
        settings = Settings()
        settings.database.database_url = url
        settings.redis.redis_url = None
        services = await build_services(settings, Rules(quiet_hours=QuietHours(enabled=False)))
        tg = await RemoteFake.spawn()
        vb: FakeViberApi | None = None
        if args.viber:
            vb = FakeViberApi()
            vb.broadcast_limit = (500, 10.0)
            await vb.start()
            args.viber_api = vb.api_url
        t0 = time.monotonic()
        most = max(args.clients, args.paid_clients)
        await seed("tg", "telegram", 0, most)
        await seed("vb", "viber", 0, args.viber)
        await analyze()
        print(
            f"seeded {most} Telegram and {args.viber} Viber clients in "
            f"{time.monotonic() - t0:.1f}s; load average {os.getloadavg()[0]:.1f} "
            f"({os.cpu_count()} CPUs); concurrency {args.concurrency or 'derived'} per process",
            flush=True,
        )
        wanted = set(args.only.split(",")) if args.only else None
        print(table([]).splitlines()[0], flush=True)
        if wanted is None or "baseline" in wanted:
            with still_heap():
                rows.append(await baseline(tg, min(args.clients, args.baseline_clients)))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
        if wanted is None or "ceiling" in wanted:
            with still_heap():
                rows.append(await ceiling(tg, args.paid_clients, 64))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
        if wanted is None or "paced" in wanted:
            with still_heap():
                rows.append(await paced(tg, args.paid_clients))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
        for key, title, paid, processes, kill in PLAN:
            if wanted is not None and key not in wanted:
                continue
            clients = args.paid_clients if paid else args.clients
            rows.append(
                await scenario(
                    args,
                    url,
                    services,
                    tg,
                    name=title,
                    clients=clients,
                    paid=paid,
                    processes=processes,
                    kill=kill,
                )
            )
            print(table(rows[-1:]).splitlines()[-1], flush=True)
        if vb is not None and (wanted is None or "viber" in wanted):
            rows.append(
                await scenario(
                    args,
                    url,
                    services,
                    tg,
                    name="viber broadcast, 2 processes",
                    clients=0,
                    paid=False,
                    processes=2,
                    vb=vb,
                    viber=args.viber,
                )
            )
            print(table(rows[-1:]).splitlines()[-1], flush=True)
        for size in [int(x) for x in args.rss.split(",") if x.strip()]:
            rows.append(await rss_at(args, url, services, tg, size))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
        print()
        print(table(rows))
        print(f"load average at the end: {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
        await tg.close()
        if vb is not None:
            await vb.close()
    finally:
        await close_db()
        await drop_db(args.postgres, url)


def write_stats(path: str, worker: DeliveryWorker) -> None:
    labels = {"channel": Channel.TELEGRAM, "outcome": "late_slot"}
    late = REGISTRY.get_sample_value("tourdesk_outbox_total", labels) or 0
    stats = {"pauses": worker._still.pauses, "late_slot": int(late)}
    Path(path).write_text(json.dumps(stats))


async def child(args: argparse.Namespace) -> None:
    """One delivery process: Telegram and Viber senders, the limiter shared through Redis."""
    from redis.asyncio import Redis

    await init_db(args.db)
    redis = Redis.from_url(args.redis)
    clock = Clock()
    pacing: dict[str, ChannelPace] = {
        Channel.TELEGRAM: ChannelPace(
            "telegram",
            steady(1.0),
            steady(CAP),
            bulk_rate=steady(PAID_CAP) if args.paid else None,
        ),
        Channel.VIBER: ChannelPace("viber", steady(1.0), steady(50.0)),
    }
    concurrency = args.concurrency or in_flight(pacing.values())  # 0: as tourdesk derives it
    session = TelegramSession(
        api=TelegramAPIServer.from_base(args.tg_api), limit=max(100, concurrency)
    )
    bot = Bot(TG_TOKEN, session=session)
    viber = ViberClient(VIBER_TOKEN, args.viber_api)
    vrender = ViberRenderer(sender_info("Tourdesk Travel", None))
    worker = DeliveryWorker(
        clock,
        {
            Channel.TELEGRAM: TelegramSender(TelegramRenderer(bot), paid_broadcast=args.paid),
            Channel.VIBER: ViberSender(viber, vrender, clock),
        },
        args.child,
        concurrency=concurrency,
        pacing=pacing,
        limiter=RedisLimiter(redis, args.prefix),
        lease=timedelta(seconds=args.lease),
        poll_seconds=0.1,
        batching=Batching({Channel.VIBER: ViberBroadcaster(viber, vrender)}),
    )
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    settle_heap()  # as tourdesk's Runtime does once started (bots/app.py)
    worker.start()
    await stop.wait()
    await worker.stop(grace=10)
    if args.stats:
        write_stats(args.stats, worker)
    await bot.session.close()
    await viber.close()
    await redis.aclose()
    await close_db()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=900, help="audience at 30/s")
    parser.add_argument("--paid-clients", type=int, default=3000, help="audience at 1000/s")
    parser.add_argument("--baseline-clients", type=int, default=300)
    parser.add_argument("--viber", type=int, default=0, help="Viber clients (a scenario)")
    parser.add_argument(
        "--only", default="", help="e.g. baseline,ceiling,paced,free1,free2,paid1,paid2,kill"
    )
    parser.add_argument("--rss", default="", help="audience sizes for the RSS rows, e.g. 20000")
    parser.add_argument("--rss-seconds", type=float, default=20.0)
    parser.add_argument(
        "--concurrency",
        type=int,
        default=0,
        help="sends in flight per process; 0 (default): derived from the rate, as tourdesk does",
    )
    parser.add_argument("--lease", type=float, default=5.0)
    parser.add_argument("--startup", type=float, default=3.0)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument(
        "--postgres", default="postgres://postgres:postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--prefix", default=f"bench-mailings-{os.getpid()}:")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--fake-server", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--tg-api", help=argparse.SUPPRESS)
    parser.add_argument("--viber-api", default="", help=argparse.SUPPRESS)
    parser.add_argument("--paid", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--stats", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child and os.environ.get("BENCH_PROFILE"):
        import cProfile

        # CPU time, not wall time: on a loaded box a process preempted mid-call would charge
        # the wait to whatever function it was in
        profile = cProfile.Profile(time.process_time)
        profile.runctx("asyncio.run(child(args))", globals(), {"args": args, "child": child})
        profile.dump_stats(f"{os.environ['BENCH_PROFILE']}.{args.child}")
        return
    if args.fake_server:
        asyncio.run(fake_server())
        return
    asyncio.run(child(args) if args.child else run(args))


if __name__ == "__main__":
    main()
