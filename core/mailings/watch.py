"""The admin's view of a mailing under way: its card, live progress and the final report.

The ``mailing.watch`` job looks at the mailing every few seconds (:data:`EVERY`, the throttle)
while it is active. Where the admin's channel can edit a message it sent (its spec declares
``edit_in_place``), each look updates ONE progress message in place — the card with sent /
failed / blocked, the rate and the time left — through the outbox's ``replaces`` key
``mailprogress:<mailing>:a<account>`` (core/replacing.py: the message id is kept in the
database, so a restarted process goes on editing the same message, and updates not yet sent
coalesce into the latest). Where it cannot (Viber), a NEW message is posted only when the
mailing passes 25, 50, 75 and 100 per cent. Either way the final report (outcomes and how long
it took) is a new message once it is done or cancelled, exactly once (outbox dedupe keys
``mailwatch:<mailing>:a<account>:<step>``). The card the admin opens from chat is edited in
place by its Refresh / Pause / Resume / Cancel buttons.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from core.contract import Button, Reply, rows
from core.delivery import reply_to_json
from core.i18n import T
from core.mailings import service
from core.payloads import encode
from core.services import Services
from core.staff import routes
from storage.models import Mailing, MailingStatus, MessengerAccount, OutboxMessage, Staff

WATCH = "mailing.watch"
EVERY = timedelta(seconds=5)  # how often a sending mailing is looked at
IDLE_EVERY = timedelta(seconds=60)  # while paused
MILESTONES = (25, 50, 75, 100)
KIND = "mailing.progress"
SENT = ("sent", "delivered", "seen")
ENDED = (MailingStatus.DONE, MailingStatus.CANCELLED)


def counts(report: service.Report) -> dict[str, int]:
    o = report.outcomes
    return {
        "queued": o.get("pending", 0),
        "sent": sum(o.get(k, 0) for k in SENT),
        "failed": o.get("failed", 0),
        "blocked": o.get("blocked", 0),
        "unsubscribed": o.get("unsubscribed", 0),
        "cancelled": o.get("cancelled", 0),
    }


def percent(report: service.Report) -> int:
    """How much of the audience is settled; 0 until the snapshot is complete."""
    if not report.mailing.snapshot_done or not report.total:
        return 100 if report.mailing.status in ENDED else 0
    settled = report.total - report.outcomes.get("pending", 0)
    return settled * 100 // report.total


def local_time(t: T, services: Services, moment: datetime | None) -> str:
    return t.datetime(moment, services.rules.agency.tz)


def card_text(t: T, services: Services, report: service.Report) -> str:
    mailing = report.mailing
    c = counts(report)
    lines = [
        t("mchat-card-title", id=mailing.id, status=t(f"mchat-status-{mailing.status.value}")),
        t("mchat-card-segment", segment=mailing.segment or t("mchat-everyone")),
        t("mchat-card-start", when=local_time(t, services, mailing.run_at)),
    ]
    if not mailing.snapshot_done and not report.total:
        # the audience is taken when sending starts: "0 of 0" before it read as nobody
        ended = mailing.status in ENDED
        lines.append(t("mchat-card-none-sent" if ended else "mchat-card-uncounted"))
    else:
        done = report.total - c["queued"]
        lines.append(
            t("mchat-card-progress", done=done, total=report.total, percent=percent(report))
        )
        lines.append(t("mchat-card-counts", **c))
    speed = _speed(services, report, c["queued"])
    if speed is not None:
        lines.append(t("mchat-card-speed", rate=speed[0], minutes=speed[1]))
    if mailing.status is MailingStatus.PAUSED:
        lines.append(t("mchat-card-paused"))
    took = duration(mailing)
    if took is not None:
        minutes, seconds = divmod(took, 60)
        lines.append(t("mailing-took", minutes=minutes, seconds=seconds))
    return "\n".join(lines)


def duration(mailing: Mailing) -> int | None:
    """Whole seconds from the start of sending to the end, once the mailing has ended."""
    if mailing.status not in ENDED or mailing.started_at is None or mailing.finished_at is None:
        return None
    return max(int((mailing.finished_at - mailing.started_at).total_seconds()), 0)


def _speed(services: Services, report: service.Report, queued: int) -> tuple[str, int] | None:
    """Messages a second so far and the minutes still to go (rounded up), while sending."""
    mailing = report.mailing
    if mailing.status is not MailingStatus.SENDING or mailing.started_at is None:
        return None
    elapsed = (services.clock.now() - mailing.started_at).total_seconds()
    settled = report.total - queued
    if elapsed <= 0 or settled <= 0:
        return None
    rate = settled / elapsed
    minutes = math.ceil(queued / rate / 60)
    return (f"{rate:.0f}" if rate >= 10 else f"{rate:.1f}"), minutes


def card_buttons(t: T, mailing_id: int, status: MailingStatus) -> tuple[tuple[Any, ...], ...]:
    grid: list[list[Button]] = []
    if status is MailingStatus.DRAFT:  # left at the wizard's last step: pick it up there
        grid.append([Button(t("mchat-draft"), encode(routes.MAILING, mailing_id, "draft"))])
    if status is MailingStatus.SENDING:
        grid.append([Button(t("mchat-pause"), encode(routes.MAILING, mailing_id, "pause"))])
    if status is MailingStatus.PAUSED:
        grid.append([Button(t("mchat-resume"), encode(routes.MAILING, mailing_id, "resume"))])
    if status not in ENDED:
        grid.append([Button(t("mchat-cancel"), encode(routes.MAILING, mailing_id, "cancel"))])
    grid.append(
        [
            Button(t("mchat-refresh"), encode(routes.MAILING, mailing_id)),
            Button(t("mchat-list"), encode(routes.MAILINGS)),
        ]
    )
    return rows(*grid)


def card(t: T, services: Services, report: service.Report, *, note: str | None = None) -> Reply:
    text = card_text(t, services, report)
    if note:
        text = f"{note}\n\n{text}"
    buttons = card_buttons(t, report.mailing.id, report.mailing.status)
    return Reply(text, buttons, edit=True)


async def start_watching(
    services: Services, mailing_id: int, account: MessengerAccount, at: datetime
) -> None:
    """Report this mailing's progress to ``account`` (the admin who sent it) from ``at``."""
    await _plan(services, mailing_id, account.id, 0, at)


async def _plan(
    services: Services, mailing_id: int, account_id: int, round_: int, at: datetime
) -> None:
    await services.jobs.schedule(
        WATCH,
        at,
        {"mailing": mailing_id, "account": account_id, "round": round_},
        dedupe_key=f"mailwatch:{mailing_id}:a{account_id}:r{round_}",
    )


def progress_key(mailing_id: int, account_id: int) -> str:
    """The stable key of the one live progress message of a mailing in an admin's chat."""
    return f"mailprogress:{mailing_id}:a{account_id}"


def edits_in_place(services: Services, channel: str) -> bool:
    info = services.channels.get(channel)
    return info is not None and info.capabilities.edit_in_place


async def _update(
    services: Services, account: MessengerAccount, reply: Reply, mailing_id: int
) -> None:
    """The live progress message shows ``reply`` (nothing queued when it already does)."""
    key = progress_key(mailing_id, account.id)
    body = reply_to_json(reply)
    last = await OutboxMessage.filter(replace_key=key).order_by("-id").first()
    if last is not None and last.body == body:
        return
    await services.outbox.enqueue(
        account, reply, kind=KIND, meta={"mailing": mailing_id}, lane="direct", replaces=key
    )


async def _tell(
    services: Services, account: MessengerAccount, reply: Reply, mailing_id: int, step: str
) -> None:
    await services.outbox.enqueue(
        account,
        reply,
        kind=KIND,
        dedupe_key=f"mailwatch:{mailing_id}:a{account.id}:{step}",
        meta={"mailing": mailing_id},
        lane="direct",  # never behind the mailing's own messages in the bulk lane
    )


async def watch(services: Services, mailing_id: int, account_id: int, round_: int) -> None:
    """One look at the mailing: a milestone or the final report when due, then the next look."""
    account = await MessengerAccount.get_or_none(id=account_id)
    if account is None or not await Mailing.exists(id=mailing_id):
        return
    staff = await Staff.get_or_none(id=account.staff_id) if account.staff_id else None
    if staff is None or not staff.active:
        return
    t = services.translator(staff.locale)
    report = await service.report(mailing_id)
    mailing = report.mailing
    live = edits_in_place(services, account.channel)
    if live and mailing.status in ENDED:
        # a mailing over before its first look gets the final report alone: a progress card
        # posted now would arrive beside (or after) the report, not be edited up to it
        live = await OutboxMessage.exists(replace_key=progress_key(mailing_id, account.id))
    if live:
        live_card = card(t, services, report)
        await _update(services, account, Reply(live_card.text, live_card.buttons), mailing_id)
    if mailing.status in ENDED:
        key = (
            "mchat-final-done" if mailing.status is MailingStatus.DONE else "mchat-final-cancelled"
        )
        reply = card(t, services, report, note=t(key, id=mailing_id))
        await _tell(services, account, Reply(reply.text, reply.buttons), mailing_id, "end")
        return
    reached = [m for m in MILESTONES if percent(report) >= m]
    if reached and mailing.status is MailingStatus.SENDING and not live:
        note = t("mchat-milestone", id=mailing_id, percent=reached[-1])
        reply = card(t, services, report, note=note)
        step = str(reached[-1])
        await _tell(services, account, Reply(reply.text, reply.buttons), mailing_id, step)
    now = services.clock.now()
    if mailing.status is MailingStatus.SCHEDULED and mailing.run_at and mailing.run_at > now:
        following = mailing.run_at
    elif mailing.status is MailingStatus.PAUSED:
        following = now + IDLE_EVERY
    else:
        following = now + EVERY
    await _plan(services, mailing_id, account_id, round_ + 1, following)


def register(services: Services) -> None:
    """Composition root: the job handler of ``mailing.watch``."""

    @services.jobs.handler(WATCH)
    async def _watch(job: Any) -> None:
        p = job.payload
        await watch(
            services, int(p.get("mailing", 0)), int(p.get("account", 0)), int(p.get("round", 0))
        )
