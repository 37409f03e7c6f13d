"""Outbox messages to Telegram through the real DeliveryWorker and the fake Bot API server:
retries after 429 and 5xx, blocked users, permanent errors, long texts."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from core.clock import ManualClock
from core.contract import Button, Reply, rows
from core.pacing import ChannelPace, steady
from core.services import Services
from handlers.router import Router
from storage.models import MessengerAccount, OutboxMessage, OutboxStatus
from tests.fakes.telegram_api import FakeTelegram, RunningBot, run_bot
from tests.support.channels import Channel

CHAT = 701


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    yield server
    await server.close()


@pytest.fixture
async def bot(services: Services, router: Router, fake: FakeTelegram) -> AsyncIterator[RunningBot]:
    running = await run_bot(services, router, fake, mode="polling")
    # The test clock jumps over retry delays while real time stands still; keep the per-chat
    # pace (about 1/s in production) from making the test wait for real seconds.
    running.runtime.delivery.pacing[Channel.TELEGRAM] = ChannelPace(
        "telegram", per_chat=steady(1000), global_rate=steady(1000)
    )
    yield running
    await running.stop()


@pytest.fixture
async def account() -> MessengerAccount:
    return await MessengerAccount.create(channel="telegram", external_id=str(CHAT), name="Olena")


async def _enqueue(services: Services, account: MessengerAccount, text: str) -> OutboxMessage:
    reply = Reply(text, rows([Button("Open", "1|trips")]))
    row = await services.outbox.enqueue(account, reply, kind="reminder")
    assert row is not None
    return row


async def test_429_then_success_is_delivered_once_after_the_wait(
    bot: RunningBot,
    fake: FakeTelegram,
    services: Services,
    clock: ManualClock,
    account: MessengerAccount,
) -> None:
    row = await _enqueue(services, account, "Your payment is due tomorrow")
    fake.fail(429, retry_after=1)
    worker = bot.runtime.delivery
    await worker.run_once()
    assert fake.chat(CHAT) == []
    assert await worker.run_once() == 0  # Telegram said 1 second (real time): not yet
    assert await worker.drain() == 1  # waits out the pause
    [message] = fake.chat(CHAT)
    assert message.text == "Your payment is due tomorrow"
    assert message.labels == ["Open"]
    row = await OutboxMessage.get(id=row.id)
    assert row.status == OutboxStatus.SENT
    assert row.attempts == 1  # the 429 did not use up an attempt
    assert row.platform_message_id == str(message.message_id)
    clock.advance(timedelta(hours=1))
    assert await worker.run_once() == 0
    assert len(fake.chat(CHAT)) == 1


async def test_blocked_user_is_marked_and_never_retried(
    bot: RunningBot,
    fake: FakeTelegram,
    services: Services,
    clock: ManualClock,
    account: MessengerAccount,
) -> None:
    row = await _enqueue(services, account, "Your tour starts in 3 days")
    fake.block(CHAT)
    worker = bot.runtime.delivery
    await worker.run_once()
    row = await OutboxMessage.get(id=row.id)
    assert row.status == OutboxStatus.BLOCKED
    assert "blocked" in (row.error or "")
    assert (await MessengerAccount.get(id=account.id)).blocked is True
    clock.advance(timedelta(days=1))
    assert await worker.run_once() == 0
    assert len(fake.requests("sendMessage")) == 1


async def test_chat_not_found_counts_as_blocked(
    bot: RunningBot, fake: FakeTelegram, services: Services, account: MessengerAccount
) -> None:
    row = await _enqueue(services, account, "Hello")
    fake.fail(400, description="Bad Request: chat not found")
    await bot.runtime.delivery.run_once()
    assert (await OutboxMessage.get(id=row.id)).status == OutboxStatus.BLOCKED


async def test_server_errors_are_retried_until_delivered_once(
    bot: RunningBot,
    fake: FakeTelegram,
    services: Services,
    clock: ManualClock,
    account: MessengerAccount,
) -> None:
    row = await _enqueue(services, account, "Your documents are ready")
    fake.fail(500, times=2)
    worker = bot.runtime.delivery
    for _ in range(3):
        await worker.run_once()
        clock.advance(timedelta(minutes=5))
    assert await worker.run_once() == 0
    assert len(fake.requests("sendMessage")) == 3
    assert [m.text for m in fake.chat(CHAT)] == ["Your documents are ready"]
    row = await OutboxMessage.get(id=row.id)
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 3)


async def test_other_bad_request_fails_with_the_reason(
    bot: RunningBot,
    fake: FakeTelegram,
    services: Services,
    clock: ManualClock,
    account: MessengerAccount,
) -> None:
    row = await _enqueue(services, account, "Hello")
    fake.fail(400, description="Bad Request: some field is wrong")
    await bot.runtime.delivery.run_once()
    row = await OutboxMessage.get(id=row.id)
    assert row.status == OutboxStatus.FAILED
    assert "some field is wrong" in (row.error or "")
    clock.advance(timedelta(hours=1))
    assert await bot.runtime.delivery.run_once() == 0


async def test_long_notification_is_split_with_buttons_on_the_last_part(
    bot: RunningBot, fake: FakeTelegram, services: Services, account: MessengerAccount
) -> None:
    line = "Hotel <Sunrise> & Spa: breakfast 8–10, pool until 20:00.\n"
    row = await _enqueue(services, account, line * 150)  # ~8.7k characters
    await bot.runtime.delivery.run_once()
    parts = fake.chat(CHAT)
    assert len(parts) == 3  # the fake refuses texts over 4096, as Telegram does
    assert [bool(p.labels) for p in parts] == [False, False, True]
    assert all(p.text.startswith("Hotel <Sunrise> & Spa") for p in parts)
    assert "\n".join(p.text for p in parts) == (line * 150).strip()
    row = await OutboxMessage.get(id=row.id)
    assert row.platform_message_id == str(parts[0].message_id)
