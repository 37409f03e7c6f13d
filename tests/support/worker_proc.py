"""A worker process for the exactly-once tests: claims outbox rows or jobs from a shared
database and appends what it handled to a log file (one line per item, O_APPEND). It works until
the test sends SIGTERM, then finishes the round it is in and exits 0."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
from collections.abc import Awaitable, Callable
from datetime import timedelta

from core.clock import Clock
from core.contract import Address, Reply
from core.delivery import DeliveryWorker
from core.jobs import JobRunner, Jobs
from core.sending import Outcome, SendResult
from storage.db import close_db, init_db
from storage.models import Job
from tests.support.channels import Channel


class Crash(Exception):
    pass


class LoggingSender:
    channel = Channel.CONSOLE

    def __init__(self, log_fd: int, die_after: int) -> None:
        self.fd = log_fd
        self.left = die_after

    async def send(self, address: Address, reply: Reply) -> SendResult:
        self.tick()
        os.write(self.fd, f"{reply.text}\n".encode())
        return SendResult(Outcome.SENT, message_id=reply.text)

    def tick(self) -> None:
        if self.left == 0:
            os._exit(9)  # die holding a claimed batch, as a crashed process would
        self.left -= 1


def stop_on_sigterm() -> asyncio.Event:
    """An event set when the process gets SIGTERM (the test's "you may stop now")."""
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    return stop


async def work_until(stop: asyncio.Event, round_: Callable[[], Awaitable[int]]) -> None:
    """Run rounds until told to stop, resting a moment after a round that found nothing."""
    while not stop.is_set():
        if not await round_():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.05)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--mode", choices=["outbox", "jobs"], required=True)
    parser.add_argument("--log", required=True)
    parser.add_argument("--name", required=True)
    parser.add_argument("--die-after", type=int, default=-1)
    parser.add_argument("--lease", type=float, default=30)
    parser.add_argument("--batch", type=int, default=50)
    args = parser.parse_args()
    stop = stop_on_sigterm()
    await init_db(args.db)
    fd = os.open(args.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    clock = Clock()
    lease = timedelta(seconds=args.lease)
    sender = LoggingSender(fd, args.die_after)
    runner: DeliveryWorker | JobRunner
    if args.mode == "outbox":
        runner = DeliveryWorker(
            clock, {Channel.CONSOLE: sender}, args.name, lease=lease, batch=args.batch
        )
    else:
        jobs = Jobs(clock)

        @jobs.handler("probe")
        async def probe(job: Job) -> None:
            sender.tick()
            os.write(fd, f"{job.payload['n']}\n".encode())

        runner = JobRunner(jobs, args.name, lease=lease, batch=args.batch)
    await work_until(stop, runner.run_once)
    await close_db()


if __name__ == "__main__":
    asyncio.run(main())
