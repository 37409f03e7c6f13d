"""``tourdesk run`` with Telegram in webhook mode, as an operator starts it, except that the
"in progress" lease of incoming updates is short (``--lease`` seconds) so a test that kills
this process does not wait two minutes for the platform's retry to get through. SIGTERM stops
it gracefully, as it stops ``tourdesk run``."""

from __future__ import annotations

import argparse
import asyncio
import signal

from bots.app import Runtime, build_services
from core.rules import Rules
from core.settings import load_settings
from storage.db import close_db, init_db
from storage.dedupe import DbUpdateLog, RedisUpdateLog


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lease", type=float, required=True)
    args = parser.parse_args()
    settings = load_settings()  # DATABASE_URL, REDIS_URL, TELEGRAM_*, PUBLIC_URL, HTTP_*
    await init_db(settings.database.database_url)
    services = await build_services(settings, Rules())
    if services.redis is not None:
        services.updates = RedisUpdateLog(
            services.redis, settings.redis.redis_prefix, lease_seconds=args.lease
        )
    else:
        services.updates = DbUpdateLog(lease_seconds=args.lease)
    runtime = Runtime(services)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    try:
        await runtime.start_web(settings.web.http_host, settings.web.http_port)
        await runtime.start_channels()
        print("ready", flush=True)
        await stop.wait()
    finally:
        await runtime.stop()
        await close_db()


if __name__ == "__main__":
    asyncio.run(main())
