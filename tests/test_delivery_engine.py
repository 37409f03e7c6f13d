"""The delivery engine against the fake Bot API: a stalled worker never makes a second send,
the direct lane leaves ahead of a full bulk lane, a split message resumes from the part that
failed, a blocked user's queue is closed, and a revoked staff member gets nothing more."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from core.clock import Clock, ManualClock
from core.contract import Reply
from core.delivery import DeliveryWorker, reply_to_json
from core.pacing import ChannelPace, in_flight, steady
from core.services import Services
from core.staff.invites import revoke
from handlers.router import Router
from storage.models import MessengerAccount, OutboxMessage, OutboxStatus, Role, Staff
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


def worker(bot: RunningBot, clock: ManualClock, name: str, **kwargs: object) -> DeliveryWorker:
    return DeliveryWorker(
        clock,
        bot.runtime.senders,
        name,
        pacing={Channel.TELEGRAM: FAST},
        **kwargs,  # type: ignore[arg-type]
    )


async def account(chat: int, **extra: object) -> MessengerAccount:
    return await MessengerAccount.create(channel="telegram", external_id=str(chat), **extra)


def sent_texts(fake: FakeTelegram) -> Counter[str]:
    return Counter(str(p["text"]) for p in fake.requests("sendMessage"))


async def test_a_stalled_worker_keeps_its_claim_and_nothing_is_sent_twice(
    bot: RunningBot, fake: FakeTelegram, services: Services, clock: ManualClock
) -> None:
    accounts = [await account(800 + i) for i in range(3)]
    for i, acc in enumerate(accounts):
        await services.outbox.enqueue(acc, Reply(f"receipt {i}"))
    stalled = worker(bot, clock, "A", lease=timedelta(seconds=1), batch=3, concurrency=1)
    other = worker(bot, clock, "B", lease=timedelta(seconds=1))
    fake.stall(1.5)  # the Bot API hangs on A's first send, longer than A's lease
    a = asyncio.create_task(stalled.run_once())
    for _ in range(16):  # B keeps looking while the clock runs well past A's first lease
        await asyncio.sleep(0.1)
        clock.advance(timedelta(seconds=0.25))
        await other.run_once()
    assert await a == 3
    await other.drain()
    assert sent_texts(fake) == Counter({"receipt 0": 1, "receipt 1": 1, "receipt 2": 1})
    statuses = await OutboxMessage.all().values_list("status", flat=True)
    assert set(statuses) == {OutboxStatus.SENT}


async def test_a_receipt_leaves_ahead_of_a_full_bulk_lane(
    bot: RunningBot, fake: FakeTelegram, services: Services, clock: ManualClock
) -> None:
    crowd = await account(900)
    earlier = clock.now() - timedelta(minutes=5)
    await OutboxMessage.bulk_create(
        [
            OutboxMessage(
                channel="telegram",
                external_id=str(1000 + i),
                account_id=crowd.id,
                lane="bulk",
                kind="mailing",
                body=reply_to_json(Reply(f"news {i}")),
                not_before=earlier,
            )
            for i in range(300)
        ]
    )
    client = await account(901)
    await services.outbox.enqueue(client, Reply("Payment received: 1,000.00 UAH"))
    first = worker(bot, clock, "A", batch=5)
    assert await first.run_once() == 5
    texts = [str(p["text"]) for p in fake.requests("sendMessage")]
    assert "Payment received: 1,000.00 UAH" in texts
    assert len(texts) == 5  # the other four are the oldest news


async def test_a_split_message_resumes_from_the_part_that_failed(
    bot: RunningBot, fake: FakeTelegram, services: Services, clock: ManualClock
) -> None:
    acc = await account(950)
    text = "\n".join(f"Day {d}: " + "sights and museums " * 40 for d in range(1, 16))
    row = await services.outbox.enqueue(acc, Reply(text))
    assert row is not None
    fake.fail_after(1, 500)  # the first part goes through, the second fails once
    delivery = bot.runtime.delivery
    await delivery.run_once()
    row = await OutboxMessage.get(id=row.id)
    assert (row.status, row.parts_sent) == (OutboxStatus.PENDING, 1)
    clock.advance(timedelta(minutes=5))
    await delivery.drain()
    parts = fake.chat(950)
    assert len(parts) == len(fake.requests("sendMessage")) - 1  # only the failed one repeated
    assert " ".join(p.text for p in parts).split() == text.split()  # all of it, in order
    assert Counter(p.text for p in parts).most_common(1)[0][1] == 1  # each part once
    assert (await OutboxMessage.get(id=row.id)).status == OutboxStatus.SENT


async def test_a_blocked_user_is_marked_and_their_queue_is_closed(
    bot: RunningBot, fake: FakeTelegram, services: Services, clock: ManualClock
) -> None:
    acc = await account(960)
    for i in range(3):
        await services.outbox.enqueue(acc, Reply(f"reminder {i}"), lane="bulk")
    fake.block(960)
    # Telegram's own pace for one chat (1/s): the first 403 closes the queue behind it
    bot.runtime.delivery.pacing[Channel.TELEGRAM] = ChannelPace(
        "telegram", per_chat=steady(1), global_rate=steady(30)
    )
    await bot.runtime.delivery.drain()
    assert len(fake.requests("sendMessage")) == 1  # one 403, nothing more was tried
    assert (await MessengerAccount.get(id=acc.id)).blocked
    statuses = await OutboxMessage.filter(account_id=acc.id).values_list("status", flat=True)
    assert set(statuses) == {OutboxStatus.BLOCKED}


async def test_revoking_a_member_stops_messages_in_flight_and_retries(
    bot: RunningBot, fake: FakeTelegram, services: Services, clock: ManualClock
) -> None:
    staff = await Staff.create(name="Marta", role=Role.MANAGER, locale="en")
    acc = await account(970, staff=staff, name="Marta")
    long = "\n".join(f"Order A-{n}: " + "details " * 80 for n in range(12))  # 2 parts
    in_flight = await services.outbox.enqueue(acc, Reply(long))
    retrying = await services.outbox.enqueue(acc, Reply("client wrote again"))
    assert in_flight is not None and retrying is not None
    await OutboxMessage.filter(id=retrying.id).update(
        attempts=2, not_before=clock.now() + timedelta(minutes=1), error="500"
    )
    fake.stall(0.5)  # the first part is on its way when the admin revokes Marta
    sending = asyncio.create_task(worker(bot, clock, "A").run_once())
    await fake.wait_for(lambda: len(fake.requests("sendMessage")) == 1)
    await revoke(clock.now(), staff.id)
    await sending
    clock.advance(timedelta(hours=1))
    await bot.runtime.delivery.drain()
    assert len(fake.requests("sendMessage")) == 1  # the second part never went out
    statuses = await OutboxMessage.filter(staff_id=staff.id).values_list("status", flat=True)
    assert set(statuses) == {OutboxStatus.CANCELLED}


async def test_shutdown_finishes_the_send_in_flight_and_releases_the_rest(
    bot: RunningBot, fake: FakeTelegram, services: Services, clock: ManualClock
) -> None:
    acc = await account(980)
    await services.outbox.enqueue(acc, Reply("Your visa is ready"))
    loop = worker(bot, clock, "A", wakeup=services.outbox.wakeup)
    fake.stall(0.5)
    loop.start()
    await fake.wait_for(lambda: len(fake.requests("sendMessage")) == 1)
    await loop.stop()
    assert [m.text for m in fake.chat(980)] == ["Your visa is ready"]
    row = await OutboxMessage.get(external_id="980")
    assert row.status == OutboxStatus.SENT
    assert not await OutboxMessage.filter(status=OutboxStatus.SENDING).exists()


async def test_the_loop_is_woken_by_an_enqueue_and_sends_to_many_chats_at_once(
    bot: RunningBot, fake: FakeTelegram, services: Services, clock: ManualClock
) -> None:
    loop = worker(bot, clock, "A", wakeup=services.outbox.wakeup, poll_seconds=60)
    loop.start()
    try:
        # one chat's backlog does not hold up the others (real pace: 1/s per chat)
        loop.pacing[Channel.TELEGRAM] = ChannelPace(
            "telegram", per_chat=steady(1), global_rate=steady(30)
        )
        busy = await account(990)
        for i in range(5):
            await services.outbox.enqueue(busy, Reply(f"alert {i}"))
        others = [await account(2000 + i) for i in range(10)]
        for acc in others:
            await services.outbox.enqueue(acc, Reply("Payment received"))
        await fake.wait_for(lambda: all(fake.chat(2000 + i) for i in range(10)), limit=10)
        # the ten other chats were all served while the busy chat still had work queued
        assert len(fake.chat(990)) < 5
    finally:
        await loop.stop()


def test_sends_in_flight_are_derived_from_the_rates_when_not_configured() -> None:
    """Unset ``[delivery] concurrency``: enough sends in flight for every channel's fastest
    rate (the paid bulk rate where there is one) at half a second a send, at least 32."""
    free = ChannelPace("telegram", steady(1.0), steady(30.0))
    paid = ChannelPace("telegram", steady(1.0), steady(30.0), bulk_rate=steady(1000.0))
    viber = ChannelPace("viber", steady(1.0), steady(50.0))
    assert in_flight([free]) == 32
    assert in_flight([paid]) == 500
    assert in_flight([paid, viber]) == 525
    assert in_flight([]) == 32
    worker = DeliveryWorker(Clock(), {}, "w", pacing={"telegram": paid})
    assert worker.concurrency == 500
    assert DeliveryWorker(Clock(), {}, "w", concurrency=8).concurrency == 8
