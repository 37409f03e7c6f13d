"""An incoming update is "in progress" under a short lease and "done" only after its work
committed. A process killed (SIGKILL) mid-update leaves only the lease: Telegram's retry is
handled once it lapses. A twin arriving while the first is still at work is not handled twice.
Two real ``tourdesk run``-like processes share the database (and Redis on PostgreSQL)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from core.services import Services
from core.settings import Settings
from storage.dedupe import BUSY, DONE, NEW, DbUpdateLog, RedisUpdateLog
from storage.models import Client, MessengerAccount
from tests.fakes.telegram_api import TOKEN, FakeTelegram, TgUser
from tests.fakes.viber_api import FakeViberApi, ViberHarness
from tests.support.procs import ROOT, clean_env, free_port, wait_http

LEASE = 2.0
SECRET = "edges-webhook-secret"


class StallingTelegram(FakeTelegram):
    """The fake Bot API; while ``stalled`` is set, sendMessage hangs (a slow Telegram)."""

    def __init__(self) -> None:
        super().__init__()
        self.stalled = False
        self.release = asyncio.Event()

    async def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        if self.stalled:
            async with self._changed:  # let wait_for see the call before it hangs
                self._changed.notify_all()
            await self.release.wait()
        return await super()._m_sendmessage(params)


@pytest.fixture
async def fake() -> AsyncIterator[StallingTelegram]:
    server = await StallingTelegram().start()
    yield server
    server.release.set()
    await server.close()


@pytest.fixture
def procs() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for proc in started:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)  # stopped as an operator stops it
        try:
            assert proc.wait(30) in (0, -signal.SIGKILL)  # the test killed one on purpose
        except subprocess.TimeoutExpired:
            proc.kill()
            raise


async def start(
    settings: Settings, fake: FakeTelegram, procs: list[subprocess.Popen[str]], tmp: Path
) -> str:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = clean_env(
        DATABASE_URL=settings.database.database_url,
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_API_URL=fake.url,
        TELEGRAM_MODE="webhook",
        TELEGRAM_WEBHOOK_SECRET=SECRET,
        PUBLIC_URL=base,
        HTTP_HOST="127.0.0.1",
        HTTP_PORT=str(port),
        REDIS_PREFIX=settings.redis.redis_prefix,
        TOURDESK_DATA_DIR=str(tmp),
    )
    if settings.redis.redis_url:
        env["REDIS_URL"] = settings.redis.redis_url
    proc = subprocess.Popen(  # noqa: ASYNC220 - started once, as an operator would
        [sys.executable, "-m", "tests.support.telegram_proc", "--lease", str(LEASE)],
        env=env,
        cwd=ROOT,
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    procs.append(proc)
    await wait_http(f"{base}/healthz")
    return base


async def deliver(http: aiohttp.ClientSession, base: str, update: dict[str, Any]) -> int:
    """Post an update to one process's webhook, as Telegram does."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with http.post(f"{base}/webhooks/telegram", json=update, headers=headers) as resp:
        await resp.read()
        return resp.status


def sent_to(fake: FakeTelegram, chat_id: int) -> list[dict[str, Any]]:
    return [p for p in fake.requests("sendMessage") if str(p.get("chat_id")) == str(chat_id)]


async def test_a_killed_process_lets_the_retry_through_and_a_twin_is_not_handled_twice(
    settings: Settings, fake: StallingTelegram, procs: list[subprocess.Popen[str]], tmp_path: Path
) -> None:
    first = await start(settings, fake, procs, tmp_path / "a")
    second = await start(settings, fake, procs, tmp_path / "b")
    olena = TgUser(fake, 601)
    update = olena.start()
    fake.stalled = True
    async with aiohttp.ClientSession() as http:
        pending = asyncio.create_task(deliver(http, first, update))
        await fake.wait_for(lambda: len(sent_to(fake, 601)) == 1)  # mid-update, replying

        # Telegram delivers it again (a timeout on its side), this time to the other process.
        assert await deliver(http, second, update) == 409  # in progress elsewhere: try later
        assert len(sent_to(fake, 601)) == 1  # not handled a second time

        procs[0].send_signal(signal.SIGKILL)
        procs[0].wait(10)
        with contextlib.suppress(aiohttp.ClientError):
            await pending
        fake.stalled = False
        fake.release.set()

        # Telegram keeps retrying; once the dead process's lease lapses, the update is handled.
        statuses = []
        while not statuses or statuses[-1] != 200:
            statuses.append(await deliver(http, second, update))
            assert statuses[-1] in (200, 409)
            assert len(statuses) < 100
            await asyncio.sleep(LEASE / 4)
        await fake.wait_for(lambda: len(sent_to(fake, 601)) >= 2)  # /start answers in one
        greeting = [p["text"] for p in sent_to(fake, 601)][1:]
        assert any("Tourdesk Travel" in text for text in greeting)
        handled = len(sent_to(fake, 601))

        # Done now: a further retry changes nothing, in either process.
        assert await deliver(http, second, update) == 200
        assert len(sent_to(fake, 601)) == handled
    account = await MessengerAccount.get(channel="telegram", external_id="601")
    assert account is not None
    assert await Client.all().count() <= 1


async def test_db_claims_new_busy_done_and_a_lapsed_lease(db_url: str) -> None:
    log = DbUpdateLog(lease_seconds=0.2)
    assert await log.claim("telegram", "1") == NEW
    assert await log.claim("telegram", "1") == BUSY
    await asyncio.sleep(0.3)
    assert await log.claim("telegram", "1") == NEW  # the holder died: its lease ran out
    await log.done("telegram", "1")
    assert await log.claim("telegram", "1") == DONE
    await asyncio.sleep(0.3)
    assert await log.claim("telegram", "1") == DONE  # done never lapses


@pytest.fixture
async def viber(services: Services) -> AsyncIterator[ViberHarness]:
    # Short leases, as in the process test above: a claim left by a dead process lapses soon.
    if services.redis is not None:
        prefix = services.settings.redis.redis_prefix
        services.updates = RedisUpdateLog(services.redis, prefix, lease_seconds=LEASE)
    else:
        services.updates = DbUpdateLog(lease_seconds=LEASE)
    fake = FakeViberApi()
    await fake.start()
    try:
        async with ViberHarness(services, fake) as harness:
            yield harness
    finally:
        await fake.close()


async def test_viber_message_claimed_by_a_dead_process_is_handled_on_retry_once(
    viber: ViberHarness, services: Services
) -> None:
    user = viber.user("01234567890A=")
    await user.open_chat()
    token = viber.next_token()
    # Another process took this message and died before finishing: only its claim is left.
    assert await services.updates.claim("viber", str(token)) == NEW
    before = len(viber.fake.sent_to(user.id))
    await user.send({"type": "text", "text": "hello"}, token=token)
    assert user.status == 409  # in progress elsewhere: Viber retries later
    assert len(viber.fake.sent_to(user.id)) == before
    while user.status != 200:  # Viber's retries, until the dead claim lapses
        await asyncio.sleep(LEASE / 4)
        await user.send({"type": "text", "text": "hello"}, token=token)
        assert user.status in (200, 409)
    assert len(viber.fake.sent_to(user.id)) > before  # handled: the reply went out
    handled = len(viber.fake.sent_to(user.id))
    await user.send({"type": "text", "text": "hello"}, token=token)
    assert user.status == 200
    assert len(viber.fake.sent_to(user.id)) == handled  # done: never handled twice
