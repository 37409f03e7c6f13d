"""The planner: a job that re-plans itself every ``planner_minutes`` (and runs at start-up).

Each run asks every rule what it wants inside the window [now - LATE_LIMIT, now + HORIZON] and
makes the jobs table agree: missing reminders are scheduled (dedupe keys make a second plan a
no-op, across processes too), moved ones get their new time, cancelled ones that are wanted
again come back, and pending ones nobody wants any more are cancelled. Client messages already
queued but not yet due (held by quiet hours or retries) are re-checked too.

The planner only plans; whether a reminder is still right is asked again when its job fires
(:func:`fire`), so nothing stale is ever sent even between two planner runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from core.reminders.base import (
    HORIZON,
    LATE_LIMIT,
    REMINDERS,
    Env,
    Outgoing,
    Planned,
    Rule,
    enqueue,
    enqueue_many,
    log,
)
from core.reminders.timing import slot_start
from core.services import Services
from storage.batches import value_batches
from storage.job_rows import NewJob
from storage.models import Job, JobStatus, OutboxMessage, OutboxStatus

PLAN_KIND = "reminders.plan"
_CHUNK = 500
_SAME_TIME = timedelta(seconds=1)


@dataclass(slots=True)
class PlanReport:
    planned: int = 0
    moved: int = 0
    revived: int = 0
    cancelled: int = 0
    messages_cancelled: int = 0


def _check(env: Env, rule: Rule, job: Job, subject: Any | None) -> tuple[str, Planned | None]:
    """Is this job's reminder still wanted, now, for its subject as it is now?"""
    if not rule.enabled(env.reminders):
        return "off", None
    if env.now - job.run_at > LATE_LIMIT:
        return "late", None
    if subject is None:
        return "gone", None
    item = next((p for p in rule.wanted(subject, env) if p.key == job.dedupe_key), None)
    if item is None:
        return "stale", None  # paid, cancelled, moved, consent revoked, unreachable, ...
    return "due", item


def _count(rule: Rule, job: Job, outcome: str) -> None:
    REMINDERS.labels(rule.kind, outcome).inc()
    if outcome != "sent":
        log.info(
            "reminder kind=%s job=%s key=%s outcome=%s", rule.kind, job.id, job.dedupe_key, outcome
        )


async def fire(env: Env, rule: Rule, job: Job) -> str:
    """Run one reminder job: re-check its subject, then queue its messages."""
    subject = await rule.load(job.payload or {}) if rule.enabled(env.reminders) else None
    outcome, item = _check(env, rule, job, subject)
    if item is not None:
        queued = await enqueue(env, await rule.messages(env, item, subject))
        outcome = "sent" if queued else "nothing"  # a retry of a sent one, or nobody to tell
    _count(rule, job, outcome)
    return outcome


async def fire_batch(env: Env, rule: Rule, jobs: list[Job]) -> None:
    """:func:`fire` for all the claimed jobs of one rule: subjects loaded in a few queries, the
    messages written in one statement (keys used before are skipped, so a redone batch sends
    nothing twice)."""
    enabled = rule.enabled(env.reminders)
    subjects = await rule.load_many([j.payload or {} for j in jobs]) if enabled else []
    checked = [
        _check(env, rule, job, subjects[index] if enabled else None)
        for index, job in enumerate(jobs)
    ]
    await rule.prepare(env, [subjects[i] for i, (_, item) in enumerate(checked) if item])
    outgoing: list[Outgoing] = []
    for index, job in enumerate(jobs):
        outcome, item = checked[index]
        if item is not None:
            messages = await rule.messages(env, item, subjects[index])
            outgoing += messages
            outcome = "sent" if messages else "nothing"
        _count(rule, job, outcome)
    await enqueue_many(env, outgoing)


async def plan_all(services: Services, rules: list[Rule], now: datetime) -> PlanReport:
    env = Env(services, now)
    report = PlanReport()
    for rule in rules:
        await plan_rule(env, rule, report)
    report.messages_cancelled = await sweep_messages(env, [r for r in rules if r.client_facing])
    if report.planned or report.cancelled or report.moved or report.revived:
        log.info(
            "reminders planned=%d moved=%d revived=%d cancelled=%d messages_cancelled=%d",
            report.planned,
            report.moved,
            report.revived,
            report.cancelled,
            report.messages_cancelled,
        )
    return report


async def plan_rule(env: Env, rule: Rule, report: PlanReport) -> None:
    """Each batch of subjects is planned as it comes; only the keys wanted are kept (to cancel
    the rest), never every subject or reminder of a large agency at once."""
    keys: set[str] = set()
    if rule.enabled(env.reminders):
        async for batch in rule.candidates(env):
            wanted: dict[str, Planned] = {}
            for subject in batch:
                for item in rule.wanted(subject, env):
                    if env.in_window(item.run_at) and item.key not in keys:
                        wanted[item.key] = item
            await _ensure(env, rule, wanted, report)
            keys.update(wanted)
    await _cancel_unwanted(env, rule, keys, report)


async def _ensure(env: Env, rule: Rule, wanted: dict[str, Planned], report: PlanReport) -> None:
    keys = list(wanted)
    existing: dict[str, dict[str, Any]] = {}
    for start in range(0, len(keys), _CHUNK):
        for row in await Job.filter(dedupe_key__in=keys[start : start + _CHUNK]).values(
            "id", "dedupe_key", "status", "run_at"
        ):
            existing[str(row["dedupe_key"])] = row
    new: list[NewJob] = []
    for key, item in wanted.items():
        found = existing.get(key)
        if found is None:
            new.append(NewJob(rule.kind, item.run_at, item.payload, dedupe_key=key))
        elif found["status"] == JobStatus.CANCELLED:
            report.revived += await Job.filter(id=found["id"], status=JobStatus.CANCELLED).update(
                status=JobStatus.PENDING,
                run_at=item.run_at,
                payload=item.payload,
                attempts=0,
                error=None,
                finished_at=None,
                claimed_by=None,
                lease_until=None,
            )
        elif found["status"] == JobStatus.PENDING:
            run_at = found["run_at"]
            assert isinstance(run_at, datetime)
            if abs(run_at - item.run_at) > _SAME_TIME:
                report.moved += await Job.filter(id=found["id"], status=JobStatus.PENDING).update(
                    run_at=item.run_at
                )
    report.planned += await env.services.jobs.schedule_many(new)


async def _cancel_unwanted(env: Env, rule: Rule, wanted: set[str], report: PlanReport) -> None:
    pending = Job.filter(kind=rule.kind, status=JobStatus.PENDING, run_at__lte=env.now + HORIZON)
    async for rows in value_batches(pending, "dedupe_key"):
        stale = [int(i) for i, key in rows if key not in wanted]
        for start in range(0, len(stale), _CHUNK):
            report.cancelled += await Job.filter(
                id__in=stale[start : start + _CHUNK], status=JobStatus.PENDING
            ).update(status=JobStatus.CANCELLED, finished_at=env.now, error="subject changed")


async def sweep_messages(env: Env, rules: list[Rule]) -> int:
    """Cancel queued client reminders (held back, not yet due) whose subject changed."""
    by_kind = {r.kind: r for r in rules}
    if not by_kind:
        return 0
    rows = await OutboxMessage.filter(
        status=OutboxStatus.PENDING, kind__in=list(by_kind), not_before__gt=env.now
    ).values("id", "kind", "meta")
    stale: list[int] = []
    for row in rows:
        rule = by_kind[str(row["kind"])]
        meta = row["meta"] if isinstance(row["meta"], dict) else {}
        subject = (
            await rule.load(meta.get("subject") or {}) if rule.enabled(env.reminders) else None
        )
        keys = {p.key for p in rule.wanted(subject, env)} if subject is not None else set()
        if meta.get("key") not in keys:
            stale.append(int(row["id"]))
    if stale:
        await OutboxMessage.filter(id__in=stale, status=OutboxStatus.PENDING).update(
            status=OutboxStatus.CANCELLED, error="subject changed"
        )
        for row in rows:
            if int(row["id"]) in stale:
                REMINDERS.labels(str(row["kind"]), "withdrawn").inc()
    return len(stale)


def next_slot(now: datetime, minutes: int) -> datetime:
    return slot_start(now, minutes) + timedelta(minutes=minutes)


def slot_key(at: datetime) -> str:
    return f"rem:plan:{at:%Y%m%dT%H%M}"
