"""Shared helpers of the reminder tests (no tests here): people, orders, and a small world whose
clock jumps from one due job or message to the next, running the real job runner, planner and
delivery worker, with a recording stand-in for the messengers' servers."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from core.clock import ManualClock
from core.contract import Address, Button, Reply
from core.delivery import DeliveryWorker
from core.jobs import JobRunner
from core.reminders import start_planner
from core.sending import Outcome, Sender, SendResult
from core.services import Services
from storage.models import (
    Client,
    Job,
    JobStatus,
    MessengerAccount,
    Order,
    OrderStatus,
    OutboxMessage,
    OutboxStatus,
    Role,
    Staff,
)
from tests.support.channels import Channel

KYIV = ZoneInfo("Europe/Kyiv")
_seq = itertools.count(1)


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


async def make_client(
    *,
    locale: str = "en",
    first_name: str = "Olena",
    birthday: date | None = None,
    consent: bool | None = None,
    channel: str = "console",
    user: str | None = None,
    created_at: datetime | None = None,
) -> tuple[Client, MessengerAccount]:
    n = next(_seq)
    client = Client(
        phone=f"+38067{n:07d}",
        first_name=first_name,
        last_name="Test",
        locale=locale,
        birthday=birthday,
        marketing_consent=consent,
    )
    if created_at is not None:
        client.created_at = created_at
    await client.save()
    account = await MessengerAccount.create(
        channel=channel, external_id=user or f"c{n}", client=client
    )
    return client, account


async def make_staff(
    role: Role = Role.MANAGER, *, name: str = "Iryna", locale: str = "en", user: str | None = None
) -> tuple[Staff, MessengerAccount]:
    n = next(_seq)
    staff = await Staff.create(name=name, role=role, locale=locale)
    account = await MessengerAccount.create(
        channel="telegram", external_id=user or f"s{n}", staff=staff
    )
    return staff, account


async def make_order(
    client: Client,
    *,
    created_at: datetime,
    price: int = 3_000_000,
    paid: int = 0,
    due: date | None = None,
    departure: date | None = None,
    back: date | None = None,
    status: OrderStatus = OrderStatus.BOOKED,
    country: str | None = "EG",
    destination: str = "Hurghada",
    manager: Staff | None = None,
) -> Order:
    n = next(_seq)
    return await Order.create(
        number=f"T-{n:04d}",
        client=client,
        manager=manager,
        destination=destination,
        country=country,
        departure_date=departure,
        return_date=back,
        price=price,
        currency="UAH",
        paid=paid,
        due_date=due,
        status=status,
        created_at=created_at,
    )
