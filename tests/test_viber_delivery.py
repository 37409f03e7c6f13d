"""The outbox through Viber: statuses in the body, unsubscribed users, receipts, hourly limit."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from core.clock import ManualClock
from core.contract import Button, LinkButton, Reply, rows
from core.payloads import encode
from core.services import Services
from storage.models import MessengerAccount, OutboxMessage, OutboxStatus
from tests.fakes.viber_api import FakeViberApi, ViberHarness

USER = "pQ1xwM1QpX+dZcHf2YhRQw=="


@pytest.fixture
async def viber(services: Services) -> AsyncIterator[ViberHarness]:
    fake = FakeViberApi()
    await fake.start()
    try:
        async with ViberHarness(services, fake) as harness:
            yield harness
    finally:
        await fake.close()


async def account(subscribed: bool = True) -> MessengerAccount:
    return await MessengerAccount.create(
        channel="viber", external_id=USER, name="Olena", language="en", subscribed=subscribed
    )


async def enqueue(viber: ViberHarness, acc: MessengerAccount, text: str) -> OutboxMessage:
    reply = Reply(text, rows([Button("Pay", encode("pay", 7)), LinkButton("Site", "https://x.ua")]))
    row = await viber.services.outbox.enqueue(acc, reply, kind="reminder")
    assert row is not None
    return row


async def test_a_notification_is_sent_with_its_keyboard(viber: ViberHarness) -> None:
    acc = await account()
    row = await enqueue(viber, acc, "Your tour starts tomorrow")
    await viber.runtime.delivery.drain()
    [body] = viber.fake.sent
    assert body["receiver"] == USER
    assert body["text"] == "Your tour starts tomorrow"
    buttons = body["keyboard"]["Buttons"]
    assert [(b["ActionType"], b["ActionBody"], b["Columns"]) for b in buttons] == [
        ("reply", encode("pay", 7), 3),
        ("open-url", "https://x.ua", 3),
    ]
    row = await OutboxMessage.get(id=row.id)
    assert row.status is OutboxStatus.SENT
    assert row.platform_message_id and row.platform_message_id.isdigit()


async def test_an_unsubscribed_user_is_not_messaged(viber: ViberHarness) -> None:
    acc = await account()
    await viber.post(
        {
            "event": "unsubscribed",
            "timestamp": viber.now_ms(),
            "message_token": viber.next_token(),
            "user_id": USER,
        }
    )
    row = await enqueue(viber, acc, "Hot offers!")
    await viber.runtime.delivery.drain()
    assert viber.fake.sent == []
    row = await OutboxMessage.get(id=row.id)
    assert row.status is OutboxStatus.BLOCKED


async def test_status_6_marks_the_user_unsubscribed_and_closes_the_message(
    viber: ViberHarness, clock: ManualClock
) -> None:
    acc = await account()
    viber.fake.unsubscribed.add(USER)
    row = await enqueue(viber, acc, "Hot offers!")
    await viber.runtime.delivery.drain()
    assert len(viber.fake.sent) == 1
    row = await OutboxMessage.get(id=row.id)
    assert row.status is OutboxStatus.BLOCKED
    assert "6" in (row.error or "")
    assert (await MessengerAccount.get(id=acc.id)).subscribed is False
    clock.advance(timedelta(hours=2))
    await viber.runtime.delivery.drain()
    assert len(viber.fake.sent) == 1  # never retried
    second = await enqueue(viber, acc, "More offers")
    await viber.runtime.delivery.drain()
    assert len(viber.fake.sent) == 1
    assert (await OutboxMessage.get(id=second.id)).status is OutboxStatus.BLOCKED


async def test_status_12_is_retried_later(viber: ViberHarness, clock: ManualClock) -> None:
    acc = await account()
    viber.fake.answer_next("send_message", status=12, status_message="tooManyRequests")
    row = await enqueue(viber, acc, "Payment reminder")
    await viber.runtime.delivery.drain()
    row = await OutboxMessage.get(id=row.id)
    assert row.status is OutboxStatus.PENDING
    assert row.not_before > clock.now()
    assert "12" in (row.error or "")
    clock.advance(timedelta(minutes=5))
    await viber.runtime.delivery.drain()
    row = await OutboxMessage.get(id=row.id)
    assert row.status is OutboxStatus.SENT
    assert len(viber.fake.sent) == 2


async def test_server_errors_are_retried_and_bad_data_is_recorded(
    viber: ViberHarness, clock: ManualClock
) -> None:
    acc = await account()
    viber.fake.answer_next("send_message", http_status=502)
    flaky = await enqueue(viber, acc, "first")
    await viber.runtime.delivery.drain()
    assert (await OutboxMessage.get(id=flaky.id)).status is OutboxStatus.PENDING
    viber.fake.answer_next("send_message", status=3, status_message="badData")
    clock.advance(timedelta(minutes=5))
    await viber.runtime.delivery.drain()
    flaky = await OutboxMessage.get(id=flaky.id)
    assert flaky.status is OutboxStatus.FAILED
    assert "badData" in (flaky.error or "")
    assert (await MessengerAccount.get(id=acc.id)).subscribed is True


async def test_delivered_seen_and_failed_are_recorded_on_the_outbox_row(
    viber: ViberHarness,
) -> None:
    acc = await account()
    row = await enqueue(viber, acc, "Your documents are ready")
    other = await enqueue(viber, acc, "Your visa is ready")
    await viber.runtime.delivery.drain()
    row = await OutboxMessage.get(id=row.id)
    token = int(row.platform_message_id or 0)
    base = {"timestamp": viber.now_ms(), "message_token": token, "user_id": USER}
    assert (await viber.post({"event": "delivered", **base}))[0] == 200
    row = await OutboxMessage.get(id=row.id)
    assert row.delivered_at is not None
    assert row.seen_at is None
    assert (await viber.post({"event": "seen", **base}))[0] == 200
    row = await OutboxMessage.get(id=row.id)
    assert row.seen_at is not None
    assert row.status is OutboxStatus.SENT
    other = await OutboxMessage.get(id=other.id)
    assert other.delivered_at is None  # receipts touch only their own message
    failed = {
        "event": "failed",
        "timestamp": viber.now_ms(),
        "message_token": int(other.platform_message_id or 0),
        "user_id": USER,
        "desc": "failed to deliver: client is offline",
    }
    assert (await viber.post(failed))[0] == 200
    other = await OutboxMessage.get(id=other.id)
    assert other.status is OutboxStatus.FAILED
    assert other.error == "failed to deliver: client is offline"


async def test_hourly_limit_postpones_until_the_window_frees_up(
    viber: ViberHarness, clock: ManualClock
) -> None:
    acc = await account()
    acc.last_inbound_at = clock.now() - timedelta(days=1)
    await acc.save()
    start = clock.now()
    await OutboxMessage.bulk_create(
        [
            OutboxMessage(
                channel="viber",
                external_id=USER,
                account_id=acc.id,
                body={"text": f"old {i}"},
                status=OutboxStatus.SENT,
                not_before=start,
                sent_at=start - timedelta(minutes=50) + timedelta(seconds=i),
            )
            for i in range(100)
        ]
    )
    row = await enqueue(viber, acc, "the 101st")
    await viber.runtime.delivery.drain()
    assert viber.fake.sent == []
    row = await OutboxMessage.get(id=row.id)
    assert row.status is OutboxStatus.PENDING  # kept, not dropped
    # The oldest of the hundred leaves the hour 10 minutes from now.
    assert start + timedelta(minutes=10) <= row.not_before <= start + timedelta(minutes=11)
    clock.set(row.not_before)
    await viber.runtime.delivery.drain()
    assert [b["text"] for b in viber.fake.sent] == ["the 101st"]
    assert (await OutboxMessage.get(id=row.id)).status is OutboxStatus.SENT


async def test_a_message_from_the_user_resets_the_hourly_window(
    viber: ViberHarness, clock: ManualClock
) -> None:
    acc = await account()
    start = clock.now()
    await OutboxMessage.bulk_create(
        [
            OutboxMessage(
                channel="viber",
                external_id=USER,
                account_id=acc.id,
                body={"text": f"old {i}"},
                status=OutboxStatus.SENT,
                not_before=start,
                sent_at=start - timedelta(minutes=30),
            )
            for i in range(100)
        ]
    )
    row = await enqueue(viber, acc, "after the limit")
    await viber.runtime.delivery.drain()
    assert viber.fake.sent == []
    await viber.user(USER).say("hello")  # they write: the count starts again
    clock.set((await OutboxMessage.get(id=row.id)).not_before)
    await viber.runtime.delivery.drain()
    assert "after the limit" in [b.get("text") for b in viber.fake.sent]


async def test_a_reply_viber_refuses_for_now_goes_through_the_outbox(
    viber: ViberHarness, clock: ManualClock
) -> None:
    user = viber.user(USER)
    await user.open_chat()
    viber.fake.answer_next("send_message", status=12, status_message="tooManyRequests")
    await user.press("English")
    assert len(viber.fake.sent) == 1  # tried once, refused
    postponed = await OutboxMessage.filter(kind="reply").all()
    assert len(postponed) == 1
    clock.advance(timedelta(minutes=1))
    await viber.runtime.delivery.drain()
    assert len(viber.fake.sent) == 2
    assert "Main menu" in viber.fake.sent[-1]["text"]
    assert (await OutboxMessage.get(id=postponed[0].id)).status is OutboxStatus.SENT


async def test_a_long_text_is_split_and_the_keyboard_rides_on_the_last_part(
    viber: ViberHarness,
) -> None:
    acc = await account()
    paragraph = "Довгий опис туру з усіма деталями програми. " * 40
    text = "\n".join([paragraph] * 12)  # ~21 000 characters of Cyrillic
    await enqueue(viber, acc, text)
    await viber.runtime.delivery.drain()
    sent = viber.fake.sent
    assert len(sent) >= 3
    assert all(len(b["text"]) <= 7000 for b in sent)
    assert all("keyboard" not in b for b in sent[:-1])
    assert "keyboard" in sent[-1]
    # nothing lost or duplicated: the same words in the same order
    assert " ".join(b["text"] for b in sent).split() == text.split()
