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

from bots.app import Runtime, build_services  # noqa: E402
from bots.telegram.settings import telegram_settings  # noqa: E402
from core.rules import Rules  # noqa: E402
from core.settings import Settings  # noqa: E402
from storage.db import close_db, init_db, migrate  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram, TgUser  # noqa: E402
from tests.support import backends  # noqa: E402

SECRET = "bench-secret"
Post = Callable[[dict[str, Any]], Awaitable[int]]


async def drive(fake: FakeTelegram, post: Post, users: int, concurrency: int) -> float:
    """Each user: /start, then press the first button of the bot's answer. Returns seconds."""
    gate = asyncio.Semaphore(concurrency)
    failures = 0

    async def send(update: dict[str, Any]) -> None:
        nonlocal failures
        async with gate:
            if await post(update) != 200:
                failures += 1

    async def one_user(user: TgUser) -> None:
        await send(user.start())
        pressable = [m for m in fake.chat(user.id) if m.buttons]
        if pressable:
            await send(user.press(pressable[-1].buttons[0]["callback_data"], pressable[-1]))
        else:
            await send(user.press("1|lang|en", fake.chat(user.id)[-1]))

    people = [TgUser(fake, 10_000 + n, language="en") for n in range(users)]
    started = time.perf_counter()
    await asyncio.gather(*(one_user(p) for p in people))
    elapsed = time.perf_counter() - started
    if failures:
        print(f"  warning: {failures} updates not answered 200")
    return elapsed


def poster(session: aiohttp.ClientSession, url: str) -> Post:
    async def post(update: dict[str, Any]) -> int:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        async with session.post(url, json=update, headers=headers) as resp:
            await resp.read()
            return resp.status

    return post


async def bench_tourdesk(fake: FakeTelegram, url: str, users: int, concurrency: int) -> float:
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
            return await drive(fake, poster(session, hook), users, concurrency)
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


async def bench_bare_aiogram(fake: FakeTelegram, users: int, concurrency: int) -> float:
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
            return await drive(
                fake, poster(session, f"http://127.0.0.1:{port}/webhook"), users, concurrency
            )
    finally:
        await runner.cleanup()
        await bot.session.close()


async def main(updates: int, concurrency: int) -> None:
    logging.basicConfig(level=logging.WARNING)
    users = max(updates // 2, 1)
    name = await backends.create_pg_database()
    url = backends.pg_url(name)
    fake = await FakeTelegram().start()
    try:
        await migrate(url)
        await close_db()
        ours = await bench_tourdesk(fake, url, users, concurrency)
        fake_calls = len(fake.calls)
        bare = await bench_bare_aiogram(fake, users, concurrency)
        bare_calls = len(fake.calls) - fake_calls
    finally:
        await fake.close()
        await backends.drop_pg_database(name)
    total = users * 2
    print(f"telegram webhook: {total} updates ({users} x /start + button), {concurrency} in flight")
    print(f"{'':28}{'updates/s':>12}{'seconds':>10}{'Bot API calls':>15}")
    print(f"{'tourdesk (PG + Redis)':28}{total / ours:12.0f}{ours:10.2f}{fake_calls:15d}")
    print(f"{'bare aiogram echo':28}{total / bare:12.0f}{bare:10.2f}{bare_calls:15d}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=40)
    args = parser.parse_args()
    asyncio.run(main(args.updates, args.concurrency))
