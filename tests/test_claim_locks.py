"""The lease heartbeat on PostgreSQL does not wait for rows another statement holds.

Found during a 1000/s mailing (the PostgreSQL log): the heartbeat, extending the leases of the
hundreds of rows a process holds, waited on rows a coalesced claim check or sent record held
while those waited on rows it held — a deadlock, found after 1 s and failing one of them."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from tortoise.transactions import in_transaction

from core.clock import ManualClock
from storage.claims import extend_outbox_many
from storage.models import MessengerAccount, OutboxMessage, OutboxStatus
from tests.support import backends

pytestmark = pytest.mark.skipif(
    not backends.is_postgres(), reason="row locks of PostgreSQL (SQLite has one writer)"
)


async def _queue(clock: ManualClock, n: int) -> list[int]:
    account = await MessengerAccount.create(channel="telegram", external_id="900")
    due = clock.now() - timedelta(seconds=1)
    await OutboxMessage.bulk_create(
        [
            OutboxMessage(
                channel="telegram",
                external_id="900",
                account_id=account.id,
                kind="mailing",
                lane="bulk",
                body={"text": f"m{i}"},
                not_before=due,
            )
            for i in range(n)
        ]
    )
    return [row.id for row in await OutboxMessage.all().order_by("id").only("id")]


async def test_the_heartbeat_skips_a_row_another_statement_holds_instead_of_waiting(
    services: object, clock: ManualClock
) -> None:
    ids = await _queue(clock, 5)
    await OutboxMessage.filter(id__in=ids).update(status=OutboxStatus.SENDING, claim_token="t1")
    locked, release = asyncio.Event(), asyncio.Event()

    async def hold(row_id: int) -> None:  # another statement's transaction on one row
        async with in_transaction() as tx:
            await tx.execute_query("SELECT id FROM outbox WHERE id = $1 FOR UPDATE", [row_id])
            locked.set()
            await release.wait()

    holder = asyncio.create_task(hold(ids[2]))
    await locked.wait()
    try:
        lease = clock.now() + timedelta(seconds=30)
        # waiting for the held row would hang here until the holder let go (it never does
        # before this returns): the bound only turns such a hang into a failure
        extended = await asyncio.wait_for(extend_outbox_many([(i, "t1") for i in ids], lease), 30)
    finally:
        release.set()
        await holder
    assert extended == 4
    leases = dict(await OutboxMessage.filter(id__in=ids).values_list("id", "lease_until"))
    assert leases[ids[2]] is None and all(leases[i] == lease for i in ids if i != ids[2])
