"""Reminders: planned as rows in the jobs table, delivered through the outbox, each sent once.

- to clients: payment due (with a Pay button), pre-departure checklist + country memo, review
  request after return, birthday greeting (consent only) — see :mod:`core.reminders.client`;
- to staff: daily digest, weekly lost clients — :mod:`core.reminders.staff` (follow-up
  reminders are the staff assistant's ``staff.follow_up`` job, core/staff/followups.py);
- the planner keeps the jobs table in line with the data — :mod:`core.reminders.planner`.

``register_reminders(services)`` (composition root) registers the job handlers;
``start_planner(services, worker)`` (runtime start) runs the planner now and from then on every
``[reminders] planner_minutes``.
"""

from __future__ import annotations

from core.jobs import BatchHandler, JobHandler
from core.reminders import review
from core.reminders.base import REMINDERS, Env, Rule
from core.reminders.client import Birthday, PaymentDue, PreDeparture, ReviewRequest
from core.reminders.planner import (
    PLAN_KIND,
    PlanReport,
    fire,
    fire_batch,
    next_slot,
    plan_all,
    slot_key,
)
from core.reminders.staff import Digest, LostClients
from core.services import Services
from storage.models import Job

RULES: list[Rule] = [
    PaymentDue(),
    PreDeparture(),
    ReviewRequest(),
    Birthday(),
    Digest(),
    LostClients(),
]

__all__ = ["PLAN_KIND", "RULES", "plan_now", "register_reminders", "start_planner"]


def _rule_handlers(services: Services, rule: Rule) -> tuple[JobHandler, BatchHandler]:
    async def one(job: Job) -> None:
        await fire(Env(services, services.clock.now()), rule, job)

    async def many(jobs: list[Job]) -> None:
        await fire_batch(Env(services, services.clock.now()), rule, jobs)

    return one, many


def register_reminders(services: Services) -> None:
    jobs = services.jobs
    for rule in RULES:
        jobs.handlers[rule.kind], jobs.batch_handlers[rule.kind] = _rule_handlers(services, rule)

    @jobs.handler(review.ALERT_KIND)
    async def alert(job: Job) -> None:
        outcome = await review.send_alert(Env(services, services.clock.now()), job)
        REMINDERS.labels(review.ALERT_KIND, outcome).inc()

    @jobs.handler(PLAN_KIND)
    async def plan(job: Job) -> None:
        now = services.clock.now()
        at = next_slot(now, services.rules.reminders.planner_minutes)
        await jobs.schedule(PLAN_KIND, at, dedupe_key=slot_key(at))  # first: a failure keeps it
        await plan_all(services, RULES, now)


async def start_planner(services: Services, worker: str) -> None:
    """Plan now (this process's start) — the run then re-plans itself on a fixed grid."""
    await services.jobs.schedule(
        PLAN_KIND, services.clock.now(), dedupe_key=f"rem:plan:boot:{worker}"[:191]
    )


async def plan_now(services: Services) -> PlanReport:
    """One planner pass right away (CLI, tests)."""
    return await plan_all(services, RULES, services.clock.now())
