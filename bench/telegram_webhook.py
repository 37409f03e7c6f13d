"""Telegram webhook throughput: updates handled per second by tourdesk, next to a bare aiogram
echo bot, both answering through the same fake Bot API server on 127.0.0.1.

tourdesk runs as ``tourdesk run`` would (web app + Telegram channel in webhook mode) on its own
temporary PostgreSQL database and a private Redis key prefix. N updates are posted to
``/webhooks/telegram`` with ``--concurrency`` requests in flight (Telegram's default
max_connections is 40): half are /start from N/2 users, half the press of the language button
each of them then gets (answerCallbackQuery + editMessageText). Every update is handled before
its 200, so the time until the last answer is the time to handle them all.

The baseline is aiogram's own webhook path (Dispatcher + SimpleRequestHandler, handled before
the answer too) with a handler that echoes messages and answers button presses — no database,
no state. Loopback only; stops by itself and drops its database.

    .venv/bin/python bench/telegram_webhook.py --updates 2000 --concurrency 40
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiogram import Bot, Dispatcher  # noqa: E402
from aiogram.client.session.aiohttp import AiohttpSession  # noqa: E402
from aiogram.client.telegram import TelegramAPIServer  # noqa: E402
from aiogram.types import CallbackQuery, Message  # noqa: E402
from aiogram.webhook.aiohttp_server import SimpleRequestHandler  # noqa: E402
from aiohttp import web  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from bench.table import Row, render  # noqa: E402
from bots.app import Runtime, build_services, settle_heap  # noqa: E402
from bots.telegram.settings import telegram_settings  # noqa: E402
from core.rules import Rules  # noqa: E402
from core.settings import Settings  # noqa: E402
from storage.db import close_db, init_db, migrate  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram, Sent, TgUser  # noqa: E402
from tests.support import backends  # noqa: E402

SECRET = "bench-secret"
Post = Callable[[dict[str, Any]], Awaitable[int]]


# What a known user does after choosing a language, in turn: write something, open a screen,
# go back to the menu (each a real screen of the client flows).
KNOWN_USER_STEPS = ("text", "1|settings", "text", "1|menu", "1|trips", "1|menu")


class Traffic:
    """The updates sent and what answers them: a message is answered by a message to its chat
    (sendMessage / editMessageText), a button press by answerCallbackQuery with its id."""

    def __init__(self) -> None:
        self.messages: dict[int, int] = {}  # chat -> messages sent by that user
        self.presses: set[str] = set()
        self.failures = 0
        self.cpu = 0.0  # CPU seconds this process spent (bot, fake Bot API and this driver)

    def unanswered(self, fake: FakeTelegram) -> int:
        answered: dict[int, int] = {}
        presses: set[str] = set()
        for call in fake.calls:
            if call.method in ("sendMessage", "editMessageText"):
                chat = int(call.params.get("chat_id", 0))
                answered[chat] = answered.get(chat, 0) + 1
            elif call.method == "answerCallbackQuery":
                presses.add(str(call.params.get("callback_query_id")))
        short = sum(max(0, n - answered.get(chat, 0)) for chat, n in self.messages.items())
        return short + len(self.presses - presses) + self.failures


async def drive(
    fake: FakeTelegram, post: Post, users: int, per_user: int, concurrency: int, first_id: int
) -> tuple[float, Traffic]:
    """Each user (new to the bot): /start, press the language button, then ``per_user - 2``
    known-user steps (messages and button presses). Users run side by side, each in order,
    ``concurrency`` requests in flight in all. Returns (seconds, what was sent)."""
    gate = asyncio.Semaphore(concurrency)
    traffic = Traffic()

    async def send(update: dict[str, Any]) -> None:
        if "message" in update:
            chat = update["message"]["chat"]["id"]
            traffic.messages[chat] = traffic.messages.get(chat, 0) + 1
        else:
            traffic.presses.add(update["callback_query"]["id"])
        async with gate:
            if await post(update) != 200:
                traffic.failures += 1

    def last_shown(user: TgUser) -> Sent | int:
        chat = fake.chat(user.id)
        return chat[-1] if chat else 1

    async def one_user(user: TgUser) -> None:
        await send(user.start())
        await send(user.press("1|lang|en", last_shown(user)))
        for step in range(per_user - 2):
            action = KNOWN_USER_STEPS[step % len(KNOWN_USER_STEPS)]
            if action == "text":
                await send(user.text(f"hello {step}"))
            else:
                await send(user.press(action, last_shown(user)))

    people = [TgUser(fake, first_id + n, language="en") for n in range(users)]
    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(one_user(p) for p in people))
    traffic.cpu = time.process_time() - cpu
    return time.perf_counter() - started, traffic


def poster(session: aiohttp.ClientSession, url: str) -> Post:
    async def post(update: dict[str, Any]) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with session.post(url, json=update, headers=headers) as resp:
            await resp.read()
            return resp.status

    return post


async def bench_tourdesk(
    fake: FakeTelegram, url: str, users: int, per_user: int, concurrency: int
) -> tuple[float, Traffic]:
    settings = Settings()
    settings.database.database_url = url
    settings.redis.redis_url = backends.REDIS_URL
    settings.redis.redis_prefix = f"tdbench:{uuid.uuid4().hex[:8]}:"
    telegram_settings(settings).token = SecretStr(fake.token)
    telegram_settings(settings).api_url = fake.url
    telegram_settings(settings).mode = "webhook"
    telegram_settings(settings).webhook_secret = SecretStr(SECRET)
    await init_db(url)
    services = await build_services(settings, Rules())
    runtime = Runtime(services)
    await runtime.start_web("127.0.0.1", 0)
    settings.web.public_url = f"http://127.0.0.1:{runtime.bound_port}"
    await runtime.start_channels()
    redis = services.redis
    try:
        await asyncio.wait_for(runtime.channels[0].ready.wait(), 10)  # type: ignore[attr-defined]
        hook = f"{settings.web.public_url}/webhooks/telegram"
        async with aiohttp.ClientSession() as session:
            return await drive(fake, poster(session, hook), users, per_user, concurrency, 10_000)
    finally:
        await runtime.stop()
        if redis is not None:
            from redis.asyncio import Redis

            cleaner = Redis.from_url(backends.REDIS_URL)
            keys = [k async for k in cleaner.scan_iter(match=f"{settings.redis.redis_prefix}*")]
            for start in range(0, len(keys), 500):
                await cleaner.delete(*keys[start : start + 500])
            await cleaner.aclose()
        await close_db()


async def bench_bare_aiogram(
    fake: FakeTelegram, users: int, per_user: int, concurrency: int
) -> tuple[float, Traffic]:
    # The same start as tourdesk's (Runtime.start_web): what this process imported so far (all
    # of tourdesk: some 250,000 objects a bare bot would not have) is left out of the garbage
    # collector's sweeps. Without it every full collection of the bare run walked them (7 of
    # ~0.11 s in a 3,000-update run, a third of its CPU), which the tourdesk run, frozen at its
    # start, never paid: the ratio favoured tourdesk.
    settle_heap()
    bot = Bot(fake.token, session=AiohttpSession(api=TelegramAPIServer.from_base(fake.url)))
    dp = Dispatcher()

    @dp.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "?")

    @dp.callback_query()
    async def pressed(query: CallbackQuery) -> None:
        await query.answer()

    app = web.Application()
    SimpleRequestHandler(dp, bot, secret_token=SECRET, handle_in_background=False).register(
        app, path="/webhook"
    )
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession() as session:
            post = poster(session, f"http://127.0.0.1:{port}/webhook")
            return await drive(fake, post, users, per_user, concurrency, 500_000)
    finally:
        await runner.cleanup()
        await bot.session.close()


async def rows(updates: int = 1200, per_user: int = 4, concurrency: int = 64) -> list[Row]:
    """Both bots on their own fake Bot API, the same traffic; one row each way of counting."""
    users = max(updates // per_user, 1)
    total = users * per_user
    name = await backends.create_pg_database()
    url = backends.pg_url(name)
    ours_api = await FakeTelegram().start()
    bare_api = await FakeTelegram().start()
    try:
        await migrate(url)
        await close_db()
        bare, bare_traffic = await bench_bare_aiogram(bare_api, users, per_user, concurrency)
        ours, traffic = await bench_tourdesk(ours_api, url, users, per_user, concurrency)
        unanswered = traffic.unanswered(ours_api)
        bare_unanswered = bare_traffic.unanswered(bare_api)
    finally:
        await ours_api.close()
        await bare_api.close()
        await backends.drop_pg_database(name)
    label = f"webhook: {total} updates from {users} users, {concurrency} in flight"
    return [
        Row(
            f"{label} (PG + Redis)",
            total / ours,
            "updates/s",
            total / bare,
            "bare aiogram echo",
            "target ratio >= 0.60",
        ),
        Row(
            "webhook: CPU per update (bot + fake API + driver, one process)",
            traffic.cpu / total * 1000,
            "ms",
            bare_traffic.cpu / total * 1000,
            "bare aiogram echo",
            "less noisy than rates on a shared machine",
        ),
        Row("webhook: updates not answered", unanswered, "", bare_unanswered, "bare", "must be 0"),
    ]


async def main(updates: int, per_user: int, concurrency: int) -> None:
    logging.basicConfig(level=logging.WARNING)
    print(render(await rows(updates, per_user, concurrency)))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--per-user", type=int, default=4, help="updates per user (>= 2)")
    parser.add_argument("--concurrency", type=int, default=64)
    args = parser.parse_args()
    asyncio.run(main(args.updates, max(args.per_user, 2), args.concurrency))
