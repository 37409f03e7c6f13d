"""Scheduled loyalty work, as job rows (they survive restarts; each is planned once by its
key): a lot's expiry, its "your points expire on D" reminder, giving back the points of a link
that ended unpaid, and the admins' monthly commission report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tortoise.transactions import in_transaction

from core import commissions, ledger
from core.contract import Button, Reply, rows
from core.i18n import T
from core.loyalty import points, spending
from core.loyalty.earning import EXPIRE, REMIND
from core.notify import notify_roles
from core.payloads import encode
from core.payments import notices
from core.reminders.timing import after_quiet_hours
from core.services import Services
from storage.models import Client, Job, Role

OPEN_POINTS = "pts"  # the client's points screen (handlers/loyalty.py)


async def expire(services: Services, job: Job) -> None:
    async with in_transaction():
        await ledger.lock_client(int(job.payload["client"]))
        await points.expire_due(int(job.payload["client"]), services.clock.now())


def reminder(count: int, when: date) -> Callable[[T], Reply]:
    def render(t: T) -> Reply:
        return Reply(
            t("loyalty-expiry-reminder", points=count, date=t.date(when)),
            rows([Button(t("loyalty-open"), encode(OPEN_POINTS))]),
        )

    return render


async def remind(services: Services, job: Job) -> None:
    """What is left of the lot, if anything, on the day it expires (quiet hours respected)."""
    now = services.clock.now()
    tz = services.rules.agency.tz
    quiet = after_quiet_hours(now, services.rules.quiet_hours, tz)
    if quiet > now:  # a client message waits for the morning
        await services.jobs.schedule(
            REMIND, quiet, dict(job.payload), dedupe_key=f"loyalty:remind:{job.payload['lot']}:q"
        )
        return
    client_id, lot_id = int(job.payload["client"]), int(job.payload["lot"])
    lot = next((x for x in await points.lots(client_id) if x.entry_id == lot_id), None)
    if lot is None or lot.expires_at is None or lot.expires_at <= now:
        return
    client = await Client.get_or_none(id=client_id)
    if client is None or client.erased_at is not None:
        return
    day = lot.expires_at.astimezone(tz).date()
    await notices.tell_client(
        services,
        client,
        reminder(lot.left, day),
        kind="loyalty-expiry",
        dedupe_key=f"loyalty:remind:{lot_id}",
    )


async def release(services: Services, job: Job) -> None:
    await spending.release(services, int(job.payload["intent"]))


def report_text(t: T, month: date, lines: list[commissions.Line]) -> str:
    head = t("cm-report-title", month=f"{month:%Y-%m}")
    if not lines:
        return "\n".join([head, t("cm-report-empty")])
    body = [
        t(
            "cm-report-line",
            name=line.name,
            net=t.money(line.net, line.currency),
            accrued=t.money(line.accrued, line.currency),
            reversed=t.money(-line.reversed, line.currency),
            payments=line.payments,
        )
        for line in lines
    ]
    return "\n".join([head, *body])


async def report(services: Services, job: Job) -> None:
    """The month's report to every admin; the next month's is planned first."""
    await commissions.ensure_report(services, services.clock.now())
    month = commissions.parse_month(str(job.payload["month"]))
    lines = await commissions.report(services, month)

    def render(t: T) -> Reply:
        return Reply(report_text(t, month, lines))

    await notify_roles(
        services, [Role.ADMIN], render, kind="commission-report",
        dedupe_key=f"commissions:report:{month:%Y-%m}",
    )  # fmt: skip


def register(services: Services) -> None:
    """The job handlers (composition root, with the others in bots/app.py)."""

    async def _expire(job: Job) -> None:
        await expire(services, job)

    async def _remind(job: Job) -> None:
        await remind(services, job)

    async def _release(job: Job) -> None:
        await release(services, job)

    async def _report(job: Job) -> None:
        await report(services, job)

    services.jobs.handler(EXPIRE)(_expire)
    services.jobs.handler(REMIND)(_remind)
    services.jobs.handler(spending.RELEASE)(_release)
    services.jobs.handler(commissions.REPORT)(_report)
