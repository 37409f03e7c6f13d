"""A sender killed mid-request (kill -9: no release, no outcome written) against the fake Bot
API: a mailing message whose request was on its way is never sent twice (closed as failed,
saying why); one still waiting for its slot goes out again; a receipt (direct lane) caught in
flight goes out again (a repeat beats a loss there). The per-message round trips of many
concurrent sends are coalesced, and the batch statements stay fenced by the claim token."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from core.clock import ManualClock
from core.coalesce import Coalescer
from core.contract import Reply
from core.delivery import DeliveryWorker
from core.pacing import ChannelPace, steady
from core.ratelimit import Limit, MemoryLimiter, Rate
from core.services import Services
from handlers.router import Router
from storage.claims import IN_FLIGHT_LOST, confirm_outbox_many, reap_outbox, record_sent_many
from storage.models import MessengerAccount, OutboxMessage, OutboxStatus
from tests.fakes.telegram_api import FakeTelegram, RunningBot, run_bot
from tests.support.channels import Channel

FAST = ChannelPace("telegram", per_chat=steady(1000), global_rate=steady(1000))


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    yield server
    await server.close()


@pytest.fixture
async def bot(services: Services, router: Router, fake: FakeTelegram) -> AsyncIterator[RunningBot]:
    running = await run_bot(services, router, fake, mode="polling")
    running.runtime.delivery.pacing[Channel.TELEGRAM] = FAST
    yield running
    await running.stop()


def worker(bot: RunningBot, clock: ManualClock, name: str) -> DeliveryWorker:
    return DeliveryWorker(
        clock,
        bot.runtime.senders,
        name,
        pacing={Channel.TELEGRAM: FAST},
        lease=timedelta(seconds=5),
        concurrency=4,
    )


def sent(fake: FakeTelegram) -> Counter[str]:
    return Counter(str(p["text"]) for p in fake.requests("sendMessage"))


async def die_in_flight(
    bot: RunningBot, fake: FakeTelegram, clock: ManualClock, texts: list[str]
) -> None:
    """Worker A's first request hangs at the Bot API (which still delivers it); A dies then,
    without writing anything; the clock runs past A's lease and the grace a request in flight
    gets after it (another lease)."""
    fake.stall(0.5)
    dead = worker(bot, clock, "A")
    task = asyncio.create_task(dead.run_once())
    await fake.wait_for(lambda: len(fake.requests("sendMessage")) >= 1)
    task.cancel()  # like kill -9: no outcome recorded, no release
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0.6)  # the hung request completes at the Bot API
    clock.advance(timedelta(seconds=11))


async def test_a_mailing_message_in_flight_at_a_kill_is_not_sent_again(
    bot: RunningBot, fake: FakeTelegram, services: Services, clock: ManualClock
) -> None:
    acc = await MessengerAccount.create(channel="telegram", external_id="501")
    row = await services.outbox.enqueue(acc, Reply("Egypt from 450 EUR"), kind="mailing")
    assert row is not None and row.lane == "bulk"
    await die_in_flight(bot, fake, clock, ["Egypt from 450 EUR"])
    await worker(bot, clock, "B").drain()
    assert sent(fake) == Counter({"Egypt from 450 EUR": 1})
    after = await OutboxMessage.get(id=row.id)
    assert (after.status, after.error, after.sending_part) == (
        OutboxStatus.FAILED,
        IN_FLIGHT_LOST,
        None,
    )


async def test_a_receipt_in_flight_at_a_kill_goes_out_again(
    bot: RunningBot, fake: FakeTelegram, services: Services, clock: ManualClock
) -> None:
    acc = await MessengerAccount.create(channel="telegram", external_id="502")
    row = await services.outbox.enqueue(acc, Reply("Payment received"), kind="receipt")
    assert row is not None and row.lane == "direct"
    await die_in_flight(bot, fake, clock, ["Payment received"])
    await worker(bot, clock, "B").drain()
    assert sent(fake) == Counter({"Payment received": 2})
    assert (await OutboxMessage.get(id=row.id)).status == OutboxStatus.SENT


async def test_rows_claimed_but_not_yet_on_their_way_go_out_once_after_a_kill(
    bot: RunningBot, fake: FakeTelegram, services: Services, clock: ManualClock
) -> None:
    accounts = [
        await MessengerAccount.create(channel="telegram", external_id=str(600 + i))
        for i in range(3)
    ]
    for i, acc in enumerate(accounts):
        await services.outbox.enqueue(acc, Reply(f"offer {i}"), kind="mailing")
    # A claims all three, then dies before any request: nothing is marked as on its way
    dead = worker(bot, clock, "A")
    claimed = await dead._claim(3)
    assert len(claimed) == 3
    assert await OutboxMessage.filter(sending_part__isnull=False).count() == 0
    clock.advance(timedelta(seconds=6))
    await worker(bot, clock, "B").drain()
    assert sent(fake) == Counter({"offer 0": 1, "offer 1": 1, "offer 2": 1})
    assert set(await OutboxMessage.all().values_list("status", flat=True)) == {OutboxStatus.SENT}


async def test_batch_statements_write_only_rows_still_held_by_their_token(
    services: Services, clock: ManualClock
) -> None:
    acc = await MessengerAccount.create(channel="telegram", external_id="700")
    rows = [await services.outbox.enqueue(acc, Reply(f"m{i}"), kind="mailing") for i in range(3)]
    ids = [r.id for r in rows if r is not None]
    await OutboxMessage.filter(id__in=ids).update(status=OutboxStatus.SENDING, claim_token="t1")
    await OutboxMessage.filter(id=ids[2]).update(claim_token="t2")  # re-claimed by another
    lease = clock.now() + timedelta(seconds=30)
    held = await confirm_outbox_many([(i, "t1", 0) for i in ids], lease)
    assert held == {ids[0], ids[1]}
    marked = (
        await OutboxMessage.filter(id__in=ids).order_by("id").values_list("sending_part", flat=True)
    )
    assert list(marked) == [0, 0, None]
    done = await record_sent_many([(i, "t1", clock.now(), f"x{i}", 1) for i in ids])
    assert done == {ids[0], ids[1]}
    after = {r.id: r for r in await OutboxMessage.filter(id__in=ids)}
    assert [after[i].status for i in ids] == [
        OutboxStatus.SENT,
        OutboxStatus.SENT,
        OutboxStatus.SENDING,
    ]
    assert after[ids[0]].platform_message_id == f"x{ids[0]}"
    assert after[ids[0]].sending_part is None and after[ids[0]].parts_sent == 1


async def test_a_slow_holder_of_a_mailing_row_in_flight_still_records_it(
    services: Services, clock: ManualClock
) -> None:
    """Its lease ran out (a loaded machine, a slow answer) but not the grace after it: the row
    is not closed as lost, and the holder's answer is recorded. Past the grace it is closed."""
    acc = await MessengerAccount.create(channel="telegram", external_id="710")
    rows = [await services.outbox.enqueue(acc, Reply(f"s{i}"), kind="mailing") for i in range(2)]
    ids = [r.id for r in rows if r is not None]
    await OutboxMessage.filter(id__in=ids).update(status=OutboxStatus.SENDING, claim_token="t1")
    lease = timedelta(seconds=5)
    assert await confirm_outbox_many([(i, "t1", 0) for i in ids], clock.now() + lease) == set(ids)
    clock.advance(timedelta(seconds=7))  # past the lease, within the grace
    assert await reap_outbox(clock.now(), in_flight_grace=lease) == 0
    assert await record_sent_many([(ids[0], "t1", clock.now(), "x", 1)]) == {ids[0]}
    clock.advance(timedelta(seconds=4))  # past lease and grace: the holder is taken as dead
    assert await reap_outbox(clock.now(), in_flight_grace=lease) == 1
    after = {r.id: r for r in await OutboxMessage.filter(id__in=ids)}
    assert (after[ids[0]].status, after[ids[1]].status) == (OutboxStatus.SENT, OutboxStatus.FAILED)
    assert after[ids[1]].error == IN_FLIGHT_LOST


async def test_concurrent_calls_leave_together_and_each_gets_its_answer() -> None:
    flushes: list[list[int]] = []

    async def flush(items: list[int]) -> list[int]:
        flushes.append(items)
        await asyncio.sleep(0.01)
        return [i * 10 for i in items]

    coalesce: Coalescer[int, int] = Coalescer(flush)
    first = asyncio.gather(*(coalesce(i) for i in range(20)))
    await asyncio.sleep(0.001)  # the first flush is on its way: these wait for the next
    second = asyncio.gather(*(coalesce(i) for i in range(20, 25)))
    assert await first == [i * 10 for i in range(20)]
    assert await second == [i * 10 for i in range(20, 25)]
    assert flushes == [list(range(20)), list(range(20, 25))]


async def test_an_error_reaches_every_caller_of_its_flush() -> None:
    async def flush(items: list[int]) -> list[int]:
        if 3 in items:
            raise RuntimeError("database gone")
        return items

    coalesce: Coalescer[int, int] = Coalescer(flush)
    answers: list[Any] = await asyncio.gather(
        coalesce(1), coalesce(2), coalesce(3), return_exceptions=True
    )
    assert all(isinstance(a, RuntimeError) for a in answers)  # one flush, one fate
    assert await coalesce(4) == 4  # and it goes on working


async def test_reserving_many_books_like_one_after_another() -> None:
    now = [100.0]
    one, many = MemoryLimiter(lambda: now[0]), MemoryLimiter(lambda: now[0])
    global_ = Limit("global", Rate(2, 1.0))
    requests = [
        ([Limit(f"chat:{c % 3}", Rate(1, 1.0), max_wait=0.0), global_], 2.0) for c in range(6)
    ]
    expected = [await one.reserve(limits, max_wait=wait) for limits, wait in requests]
    assert await many.reserve_many(requests) == expected
    assert [r.wait for r in expected] == [0.0, 0.0, 0.5, 1.0, 1.5, 2.0]
