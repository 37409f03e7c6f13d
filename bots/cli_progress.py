"""Following a mailing from the command line: a progress bar on a terminal, plain lines else.

``tourdesk mailing status ID --follow`` and ``tourdesk mailing send … --wait`` poll the
mailing (reading only, :func:`core.mailings.service.progress`) every ``interval`` seconds until
it is done or cancelled. On a terminal one line is redrawn in place (``\\r``): a bar, the
counts, the rate and the time left. Piped into a file or another program, a plain line is
written whenever something changed, so logs stay readable.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from dataclasses import dataclass
from typing import TextIO

from core.mailings import service, watch
from storage.models import MailingStatus

BAR = 24
WINDOW = 10.0  # seconds of history the rate is measured over


@dataclass(frozen=True, slots=True)
class Progress:
    mailing_id: int
    status: str
    total: int
    settled: int
    counts: dict[str, int]
    rate: float | None  # messages a second, recently
    left: float | None  # seconds to go at that rate

    @property
    def percent(self) -> int:
        return self.settled * 100 // self.total if self.total else 0

    @property
    def ended(self) -> bool:
        return self.status in (MailingStatus.DONE.value, MailingStatus.CANCELLED.value)


def _clock(seconds: float) -> str:
    whole = max(math.ceil(seconds), 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


def _counts(p: Progress) -> str:
    c = p.counts
    return (
        f"sent {c['sent']}, failed {c['failed']}, blocked {c['blocked']}, "
        f"unsubscribed {c['unsubscribed']}"
        + (f", cancelled {c['cancelled']}" if c["cancelled"] else "")
    )


def _speed(p: Progress) -> str:
    if p.rate is None or p.ended:
        return ""
    text = f"; {p.rate:.1f}/s"
    return text + (f", {_clock(p.left)} left" if p.left is not None else "")


def line(p: Progress) -> str:
    """One plain line (no terminal codes)."""
    return (
        f"mailing {p.mailing_id}: {p.status} {p.percent}% ({p.settled} of {p.total}); "
        f"{_counts(p)}{_speed(p)}"
    )


def bar(p: Progress, width: int = BAR) -> str:
    """The terminal line: ``mailing 5 sending [██████░░░░] 45% 9000/20000 …``."""
    filled = width * p.settled // p.total if p.total else (width if p.ended else 0)
    drawn = "█" * filled + "░" * (width - filled)
    return (
        f"mailing {p.mailing_id} {p.status} [{drawn}] {p.percent:3d}% "
        f"{p.settled}/{p.total} · {_counts(p)}{_speed(p).replace(';', ' ·')}"
    )


class Meter:
    """The rate over the last :data:`WINDOW` seconds of polls."""

    def __init__(self) -> None:
        self.seen: deque[tuple[float, int]] = deque()

    def measure(self, settled: int, now: float) -> float | None:
        self.seen.append((now, settled))
        while len(self.seen) > 2 and now - self.seen[0][0] > WINDOW:
            self.seen.popleft()
        first_at, first = self.seen[0]
        if now - first_at <= 0 or settled < first:
            return None
        return (settled - first) / (now - first_at)


async def look(mailing_id: int, meter: Meter) -> Progress:
    report = await service.progress(mailing_id)
    counts = watch.counts(report)
    settled = report.total - counts["queued"]
    rate = meter.measure(settled, time.monotonic())
    left = (report.total - settled) / rate if rate else None
    return Progress(
        mailing_id, report.mailing.status.value, report.total, settled, counts, rate, left
    )


async def follow(mailing_id: int, out: TextIO, *, interval: float = 1.0) -> Progress:
    """Show the mailing's progress until it ends; returns the last look."""
    tty = out.isatty()
    meter = Meter()
    last: tuple[object, ...] = ()
    while True:
        p = await look(mailing_id, meter)
        if tty:
            out.write("\r\x1b[K" + bar(p))
        else:
            state = (p.status, p.total, p.settled, tuple(p.counts.values()))
            if state != last:  # a plain line only when something changed
                out.write(line(p) + "\n")
            last = state
        out.flush()
        if p.ended:
            if tty:
                out.write("\n")
            return p
        await asyncio.sleep(interval)
