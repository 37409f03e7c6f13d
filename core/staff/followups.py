"""Follow-ups: "call her in March about summer". A FollowUp row plus a job that reminds the
staff member when it is due (the reminders module may fire the same rows; both use the same
outbox dedupe key per recipient, so the reminder is sent once)."""

from __future__ import annotations

import re
from datetime import datetime, time

from core.audit import audit_at
from core.clients import mask_phone
from core.contract import Button, Reply, rows
from core.errors import InvalidInput, NotFound
from core.i18n import T
from core.notify import assigned_accounts, card_buttons, notify_client_staff
from core.payloads import encode
from core.services import Services
from core.staff import routes
from core.staff.orders import parse_date
from storage.models import Client, FollowUp, Job, Staff

JOB_KIND = "staff.follow_up"
NOTE_MAX = 500
_TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


def job_key(follow_up_id: int) -> str:
    return f"follow-up:{follow_up_id}"


def parse_when(text: str, now: datetime, tz_now: datetime, default_time: time) -> datetime:
    """``25.03.2027 10:30`` / ``25.03 10:30`` / ``2027-03-25`` (at ``default_time``), local to
    the agency; must be in the future. ``tz_now`` is now in the agency's zone."""
    parts = (text or "").split()
    if not parts or len(parts) > 2:
        raise InvalidInput("st-error-when")
    day = parse_date(parts[0], tz_now.date())
    at = default_time
    if len(parts) == 2:
        match = _TIME.match(parts[1])
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise InvalidInput("st-error-when")
        at = time(int(match[1]), int(match[2]))
    when = datetime.combine(day, at, tzinfo=tz_now.tzinfo)
    if when <= now:
        raise InvalidInput("st-error-when-past")
    return when


def clean_note(text: str) -> str:
    value = (text or "").strip()
    if len(value) > NOTE_MAX:
        raise InvalidInput("st-error-note", max=NOTE_MAX)
    return value


async def plan(
    services: Services, staff: Staff, client_id: int, due_at: datetime, note: str
) -> FollowUp:
    client = await Client.get_or_none(id=client_id)
    if client is None:
        raise NotFound("st-client-not-found")
    now = services.clock.now()
    follow_up = await FollowUp.create(
        staff_id=staff.id, client_id=client.id, due_at=due_at, note=note, created_at=now
    )
    await services.jobs.schedule(
        JOB_KIND, due_at, {"follow_up_id": follow_up.id}, dedupe_key=job_key(follow_up.id)
    )
    await audit_at(
        staff,
        "staff.follow-up.plan",
        at=now,
        subject=f"client:{client.id}",
        details={"follow_up": follow_up.id, "due_at": due_at.isoformat()},
    )
    return follow_up


async def mark_done(services: Services, staff: Staff, follow_up_id: int) -> FollowUp:
    follow_up = await FollowUp.get_or_none(id=follow_up_id)
    if follow_up is None:
        raise NotFound("st-follow-up-not-found")
    now = services.clock.now()
    if follow_up.done_at is None:
        await FollowUp.filter(id=follow_up.id, done_at__isnull=True).update(done_at=now)
        follow_up.done_at = now
        await services.jobs.cancel(job_key(follow_up.id))
        await audit_at(
            staff,
            "staff.follow-up.done",
            at=now,
            subject=f"client:{follow_up.client_id}",
            details={"follow_up": follow_up.id},
        )
    return follow_up


def local_text(services: Services, t: T, moment: datetime) -> str:
    return t.datetime(moment, services.rules.agency.tz)


async def fire(services: Services, job: Job) -> None:
    """The job: remind the planner (else the client's manager, else managers and admins)."""
    follow_up = await FollowUp.get_or_none(id=int(job.payload.get("follow_up_id", 0)))
    if follow_up is None or follow_up.done_at is not None:
        return
    client = await Client.get_or_none(id=follow_up.client_id)
    if client is None:
        return
    name, phone, note = client.display_name, mask_phone(client.phone), follow_up.note
    due_at = follow_up.due_at

    def render(t: T) -> Reply:
        text = t(
            "st-follow-up-due",
            name=name,
            phone=phone,
            when=local_text(services, t, due_at),
            note=note or "—",
        )
        return Reply(
            text,
            rows([Button(t("st-follow-up-done"), encode(routes.FOLLOW_DONE, follow_up.id))]),
        )

    key = job_key(follow_up.id)
    accounts = await assigned_accounts(follow_up.staff_id)
    if not accounts:
        await notify_client_staff(services, client, render, kind="follow-up", dedupe_key=key)
        return
    for account in accounts:
        staff: Staff = account.staff  # type: ignore[assignment]
        t = services.translator(staff.locale)
        reply = render(t)
        reply = Reply(reply.text, (*reply.buttons, card_buttons(t, client_id=client.id)))
        await services.outbox.enqueue(
            account, reply, kind="follow-up", dedupe_key=f"{key}:a{account.id}"
        )


def register(services: Services) -> None:
    """Register the follow-up job on ``services.jobs`` (called from ``build_services``)."""

    async def _fire(job: Job) -> None:
        await fire(services, job)

    services.jobs.handler(JOB_KIND)(_fire)
