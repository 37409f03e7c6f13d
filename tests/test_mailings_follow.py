"""``tourdesk mailing status ID --follow``: a progress bar redrawn in place on a terminal (a
pty), plain lines when piped; both end by themselves when the mailing is done. The mailing is
sent meanwhile by this test (the CLI only reads)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import pty
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from bots.cli_progress import Progress, bar, line
from core.clock import ManualClock
from core.jobs import JobRunner
from core.mailings import service
from core.services import Services
from storage.models import Client, Mailing, MailingStatus, MessengerAccount, OutboxMessage
from tests.support import procs

CLIENTS = 4


async def queued_mailing(services: Services) -> int:
    for i in range(CLIENTS):
        client = await Client.create(first_name=f"C{i}", marketing_consent=True)
        await MessengerAccount.create(channel="console", external_id=f"c{i}", client=client)
    mailing = await service.create_mailing(services, {"default": "Autumn deals"})
    await service.schedule(services, mailing.id)
    await JobRunner(services.jobs, "test").drain()  # snapshot and queue
    assert await OutboxMessage.filter(kind="mailing").count() == CLIENTS
    return mailing.id


class Output:
    """What the follower wrote so far (read without blocking from a pipe or a pty)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.chunks: list[bytes] = []
        os.set_blocking(fd, False)

    def read(self) -> None:
        with contextlib.suppress(BlockingIOError, OSError):
            while data := os.read(self.fd, 65536):
                self.chunks.append(data)

    @property
    def text(self) -> str:
        return b"".join(self.chunks).decode()

    async def first(self) -> None:
        """Wait for the follower's first look (the process takes a while to start)."""
        for _ in range(600):
            self.read()
            if self.chunks:
                return
            await asyncio.sleep(0.1)
        raise AssertionError("the follower showed nothing")


async def send_slowly(services: Services, mailing_id: int, output: Output) -> None:
    """One message 'leaves' every 0.4 s, then the mailing is found done."""
    await output.first()
    rows = await OutboxMessage.filter(kind="mailing").order_by("id")
    for row in rows:
        await asyncio.sleep(0.4)
        await OutboxMessage.filter(id=row.id).update(status="sent", sent_at=services.clock.now())
        output.read()
    assert isinstance(services.clock, ManualClock)
    services.clock.advance(timedelta(seconds=31))
    await JobRunner(services.jobs, "test").drain()
    assert (await Mailing.get(id=mailing_id)).status is MailingStatus.DONE


def follow(db_url: str, cwd: Path, mailing_id: int, stdout: int) -> subprocess.Popen[bytes]:
    """``tourdesk mailing status ID --follow --interval 0.1`` writing to ``stdout``."""
    args = ["mailing", "status", str(mailing_id), "--follow", "--interval", "0.1"]
    return subprocess.Popen(
        [sys.executable, "-m", "bots.cli", *args],
        env=procs.clean_env(DATABASE_URL=db_url),
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
    )


async def wait_exit(proc: subprocess.Popen[bytes], output: Output) -> int:
    for _ in range(300):
        output.read()
        if proc.poll() is not None:
            output.read()
            return proc.returncode
        await asyncio.sleep(0.1)
    proc.kill()
    raise AssertionError("the follower did not stop when the mailing ended")


async def test_piped_it_writes_a_plain_line_per_change_and_stops_when_done(
    services: Services, db_url: str, tmp_path: Path
) -> None:
    mailing_id = await queued_mailing(services)
    proc = follow(db_url, tmp_path, mailing_id, subprocess.PIPE)
    assert proc.stdout is not None
    output = Output(proc.stdout.fileno())
    await send_slowly(services, mailing_id, output)
    assert await wait_exit(proc, output) == 0, proc.stderr.read() if proc.stderr else ""
    out = output.text
    assert "\r" not in out and "\x1b" not in out and "█" not in out
    lines = out.splitlines()
    assert lines[0].startswith(f"mailing {mailing_id}: sending ")
    percents = [int(m.group(1)) for m in (re.search(r" (\d+)% ", x) for x in lines) if m]
    assert percents == sorted(percents) and len(set(percents)) >= 3  # it moved, line by line
    assert len(lines) == len(set(lines))  # nothing repeated while nothing changed
    assert lines[-1] == (
        f"mailing {mailing_id}: done 100% (4 of 4); sent 4, failed 0, blocked 0, unsubscribed 0"
    )


async def test_on_a_terminal_it_redraws_one_bar_in_place(
    services: Services, db_url: str, tmp_path: Path
) -> None:
    mailing_id = await queued_mailing(services)
    master, slave = pty.openpty()
    proc = follow(db_url, tmp_path, mailing_id, slave)
    os.close(slave)
    output = Output(master)
    await send_slowly(services, mailing_id, output)
    assert await wait_exit(proc, output) == 0, proc.stderr.read() if proc.stderr else ""
    os.close(master)
    out = output.text
    frames = [f for f in out.replace("\r\n", "\n").split("\r\x1b[K") if f]
    assert len(frames) >= 3 and out.count("\n") == 1  # redrawn in place, one line at the end
    assert frames[0].startswith(f"mailing {mailing_id} sending [░░░░")
    assert "█" * 24 in frames[-1] and f"mailing {mailing_id} done" in frames[-1]
    assert "100% 4/4 · sent 4, failed 0, blocked 0, unsubscribed 0" in frames[-1]
    assert any("/s" in f and " left" in f for f in frames)  # rate and time left while sending


def test_bar_and_line_say_the_same() -> None:
    counts = {"queued": 550, "sent": 440, "failed": 5, "blocked": 3, "unsubscribed": 2}
    p = Progress(7, "sending", 1000, 450, {**counts, "cancelled": 0}, 30.0, 550 / 30)
    assert line(p) == (
        "mailing 7: sending 45% (450 of 1000); sent 440, failed 5, blocked 3, unsubscribed 2; "
        "30.0/s, 0m19s left"
    )
    assert bar(p, width=10) == (
        "mailing 7 sending [████░░░░░░]  45% 450/1000 · sent 440, failed 5, blocked 3, "
        "unsubscribed 2 · 30.0/s, 0m19s left"
    )
