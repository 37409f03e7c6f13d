"""A small world for the reminder tests: its clock jumps from one due job or message to the
next, running the real job runner, planner and delivery worker, with a recording stand-in for
the messengers' servers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from core.clock import ManualClock
from core.contract import Address, Button, Reply
from core.delivery import DeliveryWorker
from core.jobs import JobRunner
from core.reminders import start_planner
from core.sending import Outcome, Sender, SendResult
from core.services import Services
from storage.models import (
    Job,
    JobStatus,
    OutboxMessage,
    OutboxStatus,
)
from tests.support.channels import Channel

KYIV = ZoneInfo("Europe/Kyiv")


def kyiv(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    """A Kyiv wall-clock moment as an aware UTC datetime."""
    return datetime(y, m, d, hh, mm, tzinfo=KYIV).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class Received:
    at: datetime  # when the platform got it (the services' clock)
    channel: str
    user: str
    text: str
    buttons: tuple[Button, ...]

    @property
    def local(self) -> datetime:
        return self.at.astimezone(KYIV)


class RecordingPlatform:
    """Stands in for a messenger's servers: accepts every message and remembers it."""

    def __init__(self, channel: Channel, clock: ManualClock, log: list[Received]) -> None:
        self.channel = channel
        self.clock = clock
        self.log = log

    async def send(self, address: Address, reply: Reply) -> SendResult:
        buttons = tuple(b for b in reply.all_buttons() if isinstance(b, Button))
        self.log.append(
            Received(self.clock.now(), address.channel, address.user_id, reply.text, buttons)
        )
        return SendResult(Outcome.SENT, message_id=str(len(self.log)))


class World:
    def __init__(self, services: Services, clock: ManualClock) -> None:
        self.services = services
        self.clock = clock
        self.received: list[Received] = []
        senders: dict[Channel, Sender] = {
            ch: RecordingPlatform(ch, clock, self.received)
            for ch in (Channel.CONSOLE, Channel.TELEGRAM, Channel.VIBER)
        }
        self.runner = JobRunner(services.jobs, "w-test")
        self.delivery = DeliveryWorker(clock, senders, "w-test")

    async def start(self) -> None:
        await start_planner(self.services, "w-test")
        await self.settle()

    async def settle(self) -> None:
        for _ in range(50):
            jobs = await self.runner.drain()
            sent = await self.delivery.drain()
            if not jobs and not sent:
                return

    async def run_until(self, target: datetime) -> None:
        """Move the clock to ``target``, stopping at every due job and message on the way."""
        for _ in range(20_000):
            await self.settle()
            upcoming: list[object] = [
                *await Job.filter(status=JobStatus.PENDING)
                .order_by("run_at")
                .limit(1)
                .values_list("run_at", flat=True),
                *await OutboxMessage.filter(status=OutboxStatus.PENDING)
                .order_by("not_before")
                .limit(1)
                .values_list("not_before", flat=True),
            ]
            nxt = min((t for t in upcoming if isinstance(t, datetime)), default=None)
            assert nxt is None or isinstance(nxt, datetime)
            if nxt is None or nxt >= target:
                self.clock.set(max(target, self.clock.now()))
                await self.settle()
                return
            self.clock.set(max(nxt, self.clock.now() + timedelta(seconds=1)))
        raise AssertionError("the world did not settle")

    async def run_for(self, delta: timedelta) -> None:
        await self.run_until(self.clock.now() + delta)

    def to(self, user: str) -> list[Received]:
        return [r for r in self.received if r.user == user]

    def texts(self, user: str) -> list[str]:
        return [r.text for r in self.to(user)]
