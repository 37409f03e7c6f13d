"""The outbox worker's contract with every channel's sender: what each outcome does."""

from __future__ import annotations

from datetime import timedelta

from core.clock import ManualClock
from core.contract import Address, Button, LinkButton, Reply, rows
from core.delivery import DeliveryWorker, Outbox, reply_from_json, reply_to_json
from core.sending import Outcome, SendResult
from storage.models import MessengerAccount, OutboxMessage, OutboxStatus
from tests.support.channels import Channel
from tests.support.chat import RecordingChat


class ScriptedPlatform:
    """Stands in for a messenger's servers: answers each send with the next scripted result."""

    channel = Channel.CONSOLE

    def __init__(self, *script: SendResult | Exception) -> None:
        self.script = list(script)
        self.received: list[tuple[Address, Reply]] = []

    async def send(self, address: Address, reply: Reply) -> SendResult:
        self.received.append((address, reply))
        step = self.script.pop(0) if self.script else SendResult(Outcome.SENT, message_id="ok")
        if isinstance(step, Exception):
            raise step
        return step


async def setup(
    clock: ManualClock, *script: SendResult | Exception
) -> tuple[MessengerAccount, ScriptedPlatform, DeliveryWorker, Outbox, OutboxMessage]:
    account = await MessengerAccount.create(channel="console", external_id="42")
    platform = ScriptedPlatform(*script)
    worker = DeliveryWorker(clock, {Channel.CONSOLE: platform}, "w1", max_attempts=4)
    outbox = Outbox(clock)
    row = await outbox.enqueue(account, Reply("Your payment is due"), kind="reminder")
    assert row is not None
    return account, platform, worker, outbox, row


async def test_reply_survives_the_round_trip() -> None:
    reply = Reply(
        "hi",
        rows([Button("Pay", "1|pay|3"), LinkButton("Site", "https://x.example")]),
        request_phone=True,
        phone_label="Share",
    )
    assert reply_from_json(reply_to_json(reply)) == reply


async def test_rate_limited_waits_retry_after_then_delivers_once(
    db_url: str, clock: ManualClock
) -> None:
    _, platform, worker, _, row = await setup(
        clock,
        SendResult(Outcome.RETRY, retry_after=15, error="429"),
        SendResult(Outcome.SENT, "m7"),
    )
    await worker.run_once()
    clock.advance(timedelta(seconds=10))
    assert await worker.run_once() == 0  # still waiting
    clock.advance(timedelta(seconds=6))
    assert await worker.run_once() == 1
    await row.refresh_from_db()
    assert row.status == OutboxStatus.SENT and row.platform_message_id == "m7"
    assert len(platform.received) == 2
    assert await worker.run_once() == 0


async def test_blocked_user_is_marked_and_never_retried(db_url: str, clock: ManualClock) -> None:
    account, platform, worker, outbox, row = await setup(
        clock, SendResult(Outcome.BLOCKED, error="Forbidden: bot was blocked by the user")
    )
    await worker.run_once()
    await row.refresh_from_db()
    await account.refresh_from_db()
    assert row.status == OutboxStatus.BLOCKED and account.blocked
    later = await outbox.enqueue(account, Reply("news"))
    assert later is not None
    clock.advance(timedelta(days=1))
    await worker.drain()
    await later.refresh_from_db()
    assert later.status == OutboxStatus.BLOCKED
    assert len(platform.received) == 1  # nothing was sent to a blocked user


async def test_unsubscribed_user_is_marked(db_url: str, clock: ManualClock) -> None:
    account, _, worker, _, _ = await setup(clock, SendResult(Outcome.UNSUBSCRIBED, error="6"))
    await worker.run_once()
    await account.refresh_from_db()
    assert not account.subscribed and not account.reachable


async def test_permanent_error_is_recorded_not_retried(db_url: str, clock: ManualClock) -> None:
    _, platform, worker, _, row = await setup(
        clock, SendResult(Outcome.FAILED, error="Bad Request: can't parse entities")
    )
    await worker.run_once()
    clock.advance(timedelta(hours=2))
    await worker.drain()
    await row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED and "parse entities" in (row.error or "")
    assert len(platform.received) == 1


async def test_transient_errors_back_off_and_give_up(db_url: str, clock: ManualClock) -> None:
    _, _, worker, _, row = await setup(
        clock,
        ConnectionError("network down"),
        SendResult(Outcome.RETRY, error="500"),
        SendResult(Outcome.RETRY, error="502"),
        SendResult(Outcome.RETRY, error="503"),
    )
    for _ in range(6):
        await worker.run_once()
        clock.advance(timedelta(minutes=30))
    await row.refresh_from_db()
    assert row.status == OutboxStatus.FAILED and row.attempts == 4
    assert "gave up" in (row.error or "")


async def test_dedupe_key_enqueues_once(db_url: str, clock: ManualClock) -> None:
    account = await MessengerAccount.create(channel="console", external_id="7")
    outbox = Outbox(clock)
    assert await outbox.enqueue(account, Reply("a"), dedupe_key="receipt:9") is not None
    assert await outbox.enqueue(account, Reply("a"), dedupe_key="receipt:9") is None
    assert await OutboxMessage.filter(dedupe_key="receipt:9").count() == 1


async def test_user_writing_again_is_reachable_again(
    db_url: str, clock: ManualClock, chat: RecordingChat
) -> None:
    await chat.start()
    account = await MessengerAccount.get(external_id=chat.user_id)
    account.blocked = True
    account.subscribed = False
    await account.save()
    await chat.say("hello")
    await account.refresh_from_db()
    assert account.reachable


async def test_our_own_pacing_never_uses_up_attempts(db_url: str, clock: ManualClock) -> None:
    """A long queue for one chat waits its turn many times; it must still be delivered."""
    deferrals = [SendResult(Outcome.DEFER, retry_after=1.0, error="paced") for _ in range(20)]
    _, platform, worker, _, row = await setup(clock, *deferrals, SendResult(Outcome.SENT, "m1"))
    for _ in range(21):
        await worker.run_once()
        clock.advance(timedelta(seconds=1))
    await row.refresh_from_db()
    assert row.status == OutboxStatus.SENT  # max_attempts is 4, yet 20 deferrals did not fail it
    assert row.attempts == 1
    assert len(platform.received) == 21
