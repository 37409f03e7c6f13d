"""A worker process for the reminder exactly-once tests: claims reminder jobs with the real
handlers and delivers the outbox, logging every message the "platform" receives. It works until
the test sends SIGTERM, then finishes the round it is in and exits 0."""

from __future__ import annotations

import argparse
import asyncio
import os
from datetime import timedelta

from core.clock import Clock
from core.contract import Address, Reply
from core.delivery import DeliveryWorker
from core.jobs import JobRunner
from core.rules import QuietHours, Rules
from core.sending import Outcome, SendResult
from storage.models import Job
from tests.support.channels import Channel
from tests.support.worker_proc import stop_on_sigterm, work_until


class LoggingPlatform:
    """Records who received a message (one line each, O_APPEND: safe across processes)."""

    channel = Channel.CONSOLE

    def __init__(self, log_fd: int) -> None:
        self.fd = log_fd

    async def send(self, address: Address, reply: Reply) -> SendResult:
        os.write(self.fd, f"{address.user_id}\n".encode())
        return SendResult(Outcome.SENT, message_id=address.user_id)


async def worker_main() -> None:
    from bots.app import build_services
    from core.settings import Settings
    from storage.db import close_db, init_db

    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--die-after", type=int, default=-1)
    parser.add_argument("--jobs-only", action="store_true")
    parser.add_argument("--lease", type=float, default=30)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    stop = stop_on_sigterm()
    await init_db(args.db)
    settings = Settings()
    settings.database.database_url = args.db
    rules = Rules(quiet_hours=QuietHours(enabled=False))  # the test must not depend on the hour
    clock = Clock()
    services = await build_services(settings, rules, clock=clock)
    lease = timedelta(seconds=args.lease)
    if args.die_after >= 0:
        real = services.jobs.batch_handlers["reminder.payment_due"]

        async def mortal(batch: list[Job]) -> None:
            await real(batch[: args.die_after])  # these reach the outbox ...
            os._exit(9)  # ... then the process dies holding the whole claimed batch

        services.jobs.batch_handlers["reminder.payment_due"] = mortal
    fd = os.open(args.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    runner = JobRunner(services.jobs, args.name, lease=lease, batch=args.batch)
    delivery = DeliveryWorker(
        clock, {Channel.CONSOLE: LoggingPlatform(fd)}, args.name, lease=lease, batch=args.batch
    )

    async def round_() -> int:
        busy = await runner.run_once()
        if not args.jobs_only:
            busy += await delivery.run_once()
        return busy

    await work_until(stop, round_)
    await close_db()


if __name__ == "__main__":
    asyncio.run(worker_main())
