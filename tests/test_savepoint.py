"""A dedupe key met twice inside one transaction: the second insert is skipped and the
transaction goes on (PostgreSQL aborts a transaction on any failed statement without a
savepoint; this is what broke a refund callback once)."""

from __future__ import annotations

from datetime import timedelta

from tortoise.transactions import in_transaction

from core.clock import ManualClock
from core.contract import Reply
from core.services import Services
from storage.models import AuditEntry, Job, MessengerAccount, OutboxMessage


async def test_a_twice_queued_message_inside_a_transaction_leaves_it_usable(
    services: Services, clock: ManualClock
) -> None:
    account = await MessengerAccount.create(channel="console", external_id="42")
    async with in_transaction():
        first = await services.outbox.enqueue(account, Reply("Paid"), dedupe_key="pay:1")
        twin = await services.outbox.enqueue(account, Reply("Paid"), dedupe_key="pay:1")
        await AuditEntry.create(actor="system", action="after.twin", subject="pay:1")
    assert first is not None and twin is None
    assert await OutboxMessage.filter(dedupe_key="pay:1").count() == 1
    assert await AuditEntry.filter(action="after.twin").count() == 1


async def test_a_twice_planned_job_inside_a_transaction_leaves_it_usable(
    services: Services, clock: ManualClock
) -> None:
    at = clock.now() + timedelta(hours=1)
    async with in_transaction():
        first = await services.jobs.schedule("noop", at, dedupe_key="job:1")
        twin = await services.jobs.schedule("noop", at, dedupe_key="job:1")
        await AuditEntry.create(actor="system", action="after.job", subject="job:1")
    assert first is not None and twin is None
    assert await Job.filter(dedupe_key="job:1").count() == 1
    assert await AuditEntry.filter(action="after.job").count() == 1
