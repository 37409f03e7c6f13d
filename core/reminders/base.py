"""What every reminder rule shares: the plan item, the clock/rules environment, recipients.

A rule says, for one subject (an order, a client, a day), which reminders it wants *now*:
``wanted(subject, env) -> [Planned]``, each under a dedupe key that carries the subject's
relevant version (``rem:due:<order>:<due date>:<days>``). The planner schedules what is wanted
and cancels what no longer is; the job re-asks the same question when it fires, so a reminder
whose subject changed is never sent stale.
"""

from __future__ import annotations

import abc
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from prometheus_client import Counter

from core.contract import Reply
from core.delivery import reply_to_json
from core.reminders.timing import after_quiet_hours, local_at, local_date
from core.rules import Reminders
from core.services import Services
from storage.models import MessengerAccount, Role, Staff
from storage.outbox_rows import NewRow, insert_outbox_rows

log = logging.getLogger("tourdesk.reminders")

REMINDERS = Counter("tourdesk_reminders_total", "Reminder jobs by outcome", ["kind", "outcome"])

# A reminder that could not run within this long after its time is dropped, not sent late
# (the next one in the series is planned on its own).
LATE_LIMIT = timedelta(hours=12)
# How far ahead the planner writes jobs. Longer than the planner's period, so a planner that
# misses a few runs still leaves every reminder planned.
HORIZON = timedelta(hours=36)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Planned:
    key: str  # the job's dedupe key; the messages it sends derive their keys from it
    run_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Env:
    services: Services
    now: datetime
    # the account each client of a batch is written to, found for the whole batch at once
    # (:meth:`Rule.prepare`); a client not in it is looked up alone
    reached: dict[int, MessengerAccount | None] = field(default_factory=dict)

    @property
    def reminders(self) -> Reminders:
        return self.services.rules.reminders

    @property
    def tz(self) -> ZoneInfo:
        return self.services.rules.agency.tz

    @property
    def today(self) -> date:
        return local_date(self.now, self.tz)

    def staff_time(self, day: date, at: time) -> datetime:
        return local_at(day, at, self.tz)

    def client_time(self, day: date, at: time) -> datetime:
        """``at`` local on ``day``, moved to the end of the quiet hours if it falls into them."""
        return self.not_quiet(local_at(day, at, self.tz))

    def not_quiet(self, moment: datetime) -> datetime:
        return after_quiet_hours(moment, self.services.rules.quiet_hours, self.tz)

    def day_range(self) -> tuple[date, date]:
        """Local days whose reminders may fall into the planning window (with a margin)."""
        low = local_date(self.now - LATE_LIMIT, self.tz) - timedelta(days=2)
        high = local_date(self.now + HORIZON, self.tz) + timedelta(days=1)
        return low, high

    def in_window(self, moment: datetime) -> bool:
        return self.now - LATE_LIMIT <= moment <= self.now + HORIZON


class Rule(abc.ABC):
    """One kind of reminder. ``kind`` names its job and its outbox messages."""

    kind: str
    client_facing: bool = False  # pending messages are re-checked and cancelled when stale

    @abc.abstractmethod
    def enabled(self, reminders: Reminders) -> bool: ...

    @abc.abstractmethod
    def candidates(self, env: Env) -> AsyncIterator[list[Any]]:
        """Subjects that may want a reminder inside the planning window (a superset), a batch
        at a time: a large agency's subjects are never all in memory at once."""

    @abc.abstractmethod
    def wanted(self, subject: Any, env: Env) -> list[Planned]:
        """Every reminder ``subject`` wants as it is now (window not applied)."""

    @abc.abstractmethod
    async def load(self, payload: dict[str, Any]) -> Any | None:
        """The subject named by a job payload, fresh from the database (None: gone)."""

    async def load_many(self, payloads: list[dict[str, Any]]) -> list[Any | None]:
        """:meth:`load` for a batch of jobs (rules with many jobs load them in few queries)."""
        return [await self.load(p) for p in payloads]

    @abc.abstractmethod
    async def messages(self, env: Env, item: Planned, subject: Any) -> list[Outgoing]:
        """What to send for ``item`` (empty: nobody to tell)."""

    async def prepare(self, env: Env, subjects: list[Any]) -> None:
        """Before :meth:`messages` runs for each of ``subjects`` (a batch of due reminders):
        look up in a few queries what each would look up alone."""
        return None


def days_between(first: date, second: date) -> int:
    return (second - first).days


def latest(accounts: list[MessengerAccount]) -> MessengerAccount | None:
    """The account to write to: reachable, most recently active first."""
    usable = [a for a in accounts if a.reachable]
    if not usable:
        return None
    return max(usable, key=lambda a: (a.last_inbound_at or _EPOCH, a.id))


async def client_account(client_id: int) -> MessengerAccount | None:
    return latest(await MessengerAccount.filter(client_id=client_id))


async def reachable_clients(client_ids: list[int]) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(client_ids), 500):
        chunk = client_ids[start : start + 500]
        ids = await MessengerAccount.filter(
            client_id__in=chunk, subscribed=True, blocked=False
        ).values_list("client_id", flat=True)
        found.update(int(i) for i in ids if i is not None)  # type: ignore[call-overload]
    return found


async def staff_recipients(roles: tuple[Role, ...]) -> list[tuple[Staff, MessengerAccount]]:
    """Every reachable account of every active staff member with one of ``roles``."""
    accounts = await MessengerAccount.filter(
        staff__active=True,
        staff__role__in=[r.value for r in roles],
        subscribed=True,
        blocked=False,
    ).prefetch_related("staff")
    return [(a.staff, a) for a in sorted(accounts, key=lambda a: a.id)]  # type: ignore[misc]


async def staff_accounts_of(staff_id: int) -> list[MessengerAccount]:
    return (
        await MessengerAccount.filter(
            staff_id=staff_id, staff__active=True, subscribed=True, blocked=False
        )
        .order_by("id")
        .prefetch_related("staff")
    )


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One message a reminder wants queued; ``key`` (derived from the job's) makes it once."""

    account: MessengerAccount
    reply: Reply
    kind: str
    key: str
    meta: dict[str, Any]
    not_before: datetime | None = None


def client_messages(
    env: Env, kind: str, account: MessengerAccount, item: Planned, replies: list[Reply]
) -> list[Outgoing]:
    """``replies`` for a client, held until the quiet hours end, keyed by the job's key."""
    not_before = env.not_quiet(env.now)
    meta = {"rule": kind, "key": item.key, "subject": item.payload}
    return [
        Outgoing(account, reply, kind, item.key if i == 0 else f"{item.key}:{i}", meta, not_before)
        for i, reply in enumerate(replies)
    ]


def staff_message(kind: str, account: MessengerAccount, item: Planned, reply: Reply) -> Outgoing:
    return Outgoing(
        account, reply, kind, f"{item.key}:a{account.id}", {"rule": kind, "key": item.key}
    )


async def enqueue(env: Env, messages: list[Outgoing]) -> int:
    """Queue each message (a key used before is skipped); returns how many were new."""
    queued = 0
    for m in messages:
        row = await env.services.outbox.enqueue(
            m.account,
            m.reply,
            kind=m.kind,
            dedupe_key=m.key,
            not_before=m.not_before,
            meta=m.meta,
            lane="bulk",
        )
        queued += row is not None
    return queued


async def enqueue_many(env: Env, messages: list[Outgoing]) -> None:
    """:func:`enqueue` in one statement per few hundred (keys used before are skipped the same
    way), written as plain rows: this is the reminder hot path."""
    if not messages:
        return
    await insert_outbox_rows(
        [
            NewRow(
                channel=m.account.channel,
                external_id=m.account.external_id,
                account_id=m.account.id,
                client_id=m.account.client_id,
                staff_id=m.account.staff_id,
                kind=m.kind,
                lane="bulk",
                body=reply_to_json(m.reply),
                dedupe_key=m.key,
                not_before=m.not_before or env.now,
                meta=m.meta,
            )
            for m in messages
        ]
    )
    env.services.outbox.wakeup.set()
