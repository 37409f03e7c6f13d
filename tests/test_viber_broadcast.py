"""A mailing in Viber: the same text for everybody leaves through ``broadcast_message`` in
batches of at most 300 receivers; a personalised one goes ``send_message`` client by client.
Receivers Viber refuses in ``failed_list`` are recorded one by one; nobody gets it twice across
two workers; a worker whose claim was lost sends nothing; receipts of a broadcast count per
receiver."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from core.batching import rate_key
from core.clock import ManualClock
from core.delivery import DeliveryWorker, cancel_unsent
from core.jobs import JobRunner
from core.mailings import service
from core.ratelimit import MemoryLimiter
from core.services import Services
from storage.models import (
    Client,
    MailingRecipient,
    MessengerAccount,
    OutboxMessage,
    OutboxStatus,
    RecipientOutcome,
)
from tests.fakes.viber_api import FakeViberApi, ViberHarness

NEWS = "Autumn deals: Egypt from 450 EUR"


@pytest.fixture
async def viber(services: Services) -> AsyncIterator[ViberHarness]:
    fake = FakeViberApi()
    await fake.start()
    try:
        async with ViberHarness(services, fake) as harness:
            yield harness
    finally:
        await fake.close()


async def viber_clients(count: int, locale: str = "en", start: int = 0) -> list[str]:
    """``count`` consenting clients, each with a subscribed Viber account; their Viber ids."""
    await Client.bulk_create(
        [
            Client(first_name=f"Client{start + i}", locale=locale, marketing_consent=True)
            for i in range(count)
        ],
        batch_size=500,
    )
    clients = await Client.filter(first_name__startswith="Client").order_by("id")
    ids = [f"vb{start + i:05d}==" for i in range(count)]
    await MessengerAccount.bulk_create(
        [
            MessengerAccount(channel="viber", external_id=vid, client_id=c.id, subscribed=True)
            for vid, c in zip(ids, clients[start:], strict=True)
        ],
        batch_size=500,
    )
    return ids


async def queue(services: Services, texts: dict[str, str]) -> int:
    mailing = await service.create_mailing(services, texts)
    await service.schedule(services, mailing.id)
    await JobRunner(services.jobs, "test").drain()
    return mailing.id


def worker(viber: ViberHarness, name: str, **options: object) -> DeliveryWorker:
    """Another delivery process next to the harness's own: same senders, its own claims."""
    runtime = viber.runtime
    from core.batching import Batching

    batching = runtime.delivery.batching
    assert batching is not None
    return DeliveryWorker(
        viber.services.clock,
        runtime.senders,
        name,
        pacing=runtime.delivery.pacing,
        batching=Batching(batching.senders),
        **options,  # type: ignore[arg-type]
    )


async def test_the_same_text_for_650_clients_leaves_in_three_broadcasts(
    viber: ViberHarness,
) -> None:
    ids = await viber_clients(650)
    viber.fake.broadcast_failures = {ids[10]: 6, ids[20]: 5, ids[30]: 3}
    mailing_id = await queue(viber.services, {"default": NEWS})
    await viber.runtime.delivery.drain()

    sizes = [len(b["broadcast_list"]) for b in viber.fake.broadcasts]
    assert sorted(sizes, reverse=True) == [300, 300, 50]
    assert viber.fake.sent == []  # nothing went one by one
    first = viber.fake.broadcasts[0]
    assert first["text"] == NEWS and "receiver" not in first
    assert [b["Text"] for b in first["keyboard"]["Buttons"]] == ["🔕 Unsubscribe"]
    reached = Counter(user for user, _ in viber.fake.received())
    assert set(reached.values()) == {1}
    assert len(reached) == 647
    assert ids[10] not in reached and ids[20] not in reached

    # the two who left the bot are marked; the one with another error is retried, alone
    gone = await MessengerAccount.filter(external_id__in=[ids[10], ids[20]])
    assert [a.subscribed for a in gone] == [False, False]
    retried = await OutboxMessage.get(external_id=ids[30])
    assert retried.status is OutboxStatus.PENDING and retried.attempts == 1
    assert "viber status 3" in (retried.error or "")
    viber.fake.broadcast_failures = {}
    viber.services.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
    await viber.runtime.delivery.drain()
    assert (await OutboxMessage.get(external_id=ids[30])).status is OutboxStatus.SENT
    assert Counter(user for user, _ in viber.fake.received())[ids[30]] == 1

    report = await service.report(mailing_id)
    assert report.outcomes["sent"] == 648
    assert report.outcomes["unsubscribed"] == 2


async def test_a_personalised_mailing_goes_one_by_one(viber: ViberHarness) -> None:
    ids = await viber_clients(4)
    await queue(viber.services, {"default": "Hi {first_name}, autumn deals inside"})
    await viber.runtime.delivery.drain()
    assert viber.fake.broadcasts == []
    assert sorted(b["receiver"] for b in viber.fake.sent) == ids
    assert sorted(b["text"] for b in viber.fake.sent) == [
        f"Hi Client{i}, autumn deals inside" for i in range(4)
    ]


async def test_each_language_is_its_own_broadcast(viber: ViberHarness) -> None:
    english = await viber_clients(3, "en")
    ukrainian = await viber_clients(2, "uk", start=3)
    await queue(viber.services, {"default": NEWS, "uk": "Осінні знижки: Єгипет від 450 EUR"})
    await viber.runtime.delivery.drain()
    lists = sorted(sorted(b["broadcast_list"]) for b in viber.fake.broadcasts)
    assert lists == sorted([sorted(english), sorted(ukrainian)])
    texts = {b["text"] for b in viber.fake.broadcasts}
    assert texts == {NEWS, "Осінні знижки: Єгипет від 450 EUR"}


async def test_two_workers_never_send_anybody_twice(viber: ViberHarness) -> None:
    ids = await viber_clients(650)
    await queue(viber.services, {"default": NEWS})
    a = worker(viber, "A", concurrency=4, batch=8)
    b = worker(viber, "B", concurrency=4, batch=8)
    await asyncio.gather(a.drain(), b.drain())
    reached = Counter(user for user, _ in viber.fake.received())
    assert sorted(reached) == sorted(ids)
    assert set(reached.values()) == {1}
    assert all(len(body["broadcast_list"]) <= 300 for body in viber.fake.broadcasts)
    statuses = set(await OutboxMessage.all().values_list("status", flat=True))
    assert statuses == {OutboxStatus.SENT}


async def test_a_worker_that_lost_its_claim_never_broadcasts(
    viber: ViberHarness, clock: ManualClock
) -> None:
    ids = await viber_clients(20)
    await queue(viber.services, {"default": NEWS})
    slow_limiter = MemoryLimiter()
    # the broadcast rate is used up for a second: A claims its group, then waits for a slot
    await slow_limiter.block(rate_key("viber"), 1.0)
    a = worker(viber, "A", limiter=slow_limiter, lease=timedelta(seconds=60))
    b = worker(viber, "B", lease=timedelta(seconds=60))
    first = asyncio.create_task(a.run_once())
    for _ in range(100):
        if await OutboxMessage.filter(claimed_by="A", status=OutboxStatus.SENDING).count() == 20:
            break
        await asyncio.sleep(0.01)
    else:
        raise AssertionError("A never claimed the group")
    # meanwhile two clients are erased (their messages cancelled in flight) and A's lease runs
    # out: B takes the rest over and sends them
    gone = await MessengerAccount.filter(external_id__in=ids[:2]).values_list("id", flat=True)
    await cancel_unsent(account_ids=gone)
    clock.advance(timedelta(seconds=61))
    await b.drain()
    assert await first == 1  # one group claimed
    reached = Counter(user for user, _ in viber.fake.received())
    assert sorted(reached) == sorted(ids[2:])
    assert set(reached.values()) == {1}
    assert len(viber.fake.broadcasts) == 1  # B's; A sent nothing
    cancelled = await OutboxMessage.filter(external_id__in=ids[:2]).values_list("status", flat=True)
    assert set(cancelled) == {OutboxStatus.CANCELLED}


async def test_receipts_of_a_broadcast_count_for_their_own_receiver(
    viber: ViberHarness,
) -> None:
    ids = await viber_clients(3)
    mailing_id = await queue(viber.services, {"default": NEWS})
    await viber.runtime.delivery.drain()
    [broadcast] = viber.fake.broadcasts
    rows = await OutboxMessage.filter(external_id__in=ids).order_by("external_id")
    token = rows[0].platform_message_id
    assert token is not None and {r.platform_message_id for r in rows} == {token}

    def receipt(event: str, user: str, **extra: object) -> dict[str, object]:
        return {
            "event": event,
            "timestamp": viber.now_ms(),
            "message_token": int(token),
            "user_id": user,
            **extra,
        }

    await viber.post_raw(json.dumps(receipt("delivered", ids[0])).encode())
    await viber.post_raw(json.dumps(receipt("seen", ids[1])).encode())
    await viber.post_raw(json.dumps(receipt("failed", ids[2], desc="no device")).encode())
    outcomes = {
        r.client_id: r.outcome for r in await MailingRecipient.filter(mailing_id=mailing_id)
    }
    assert outcomes  # recipients exist before the report syncs them
    report = await service.report(mailing_id)
    assert report.outcomes["delivered"] == 1
    assert report.outcomes["seen"] == 1
    assert report.outcomes["failed"] == 1
    by_user = {
        a.external_id: a.client_id  # type: ignore[attr-defined]
        for a in await MessengerAccount.filter(external_id__in=ids)
    }
    recipients = {
        r.client_id: r.outcome for r in await MailingRecipient.filter(mailing_id=mailing_id)
    }
    assert recipients[by_user[ids[0]]] is RecipientOutcome.DELIVERED
    assert recipients[by_user[ids[1]]] is RecipientOutcome.SEEN
    assert recipients[by_user[ids[2]]] is RecipientOutcome.FAILED
    assert broadcast["broadcast_list"]


async def test_too_many_requests_puts_the_whole_batch_back_without_spending_attempts(
    viber: ViberHarness,
) -> None:
    ids = await viber_clients(5)
    await queue(viber.services, {"default": NEWS})
    viber.fake.answer_next("broadcast_message", status=12, status_message="tooManyRequests")
    await viber.runtime.delivery.drain()
    assert viber.fake.broadcasts == []
    rows = await OutboxMessage.filter(external_id__in=ids)
    assert {(r.status, r.attempts) for r in rows} == {(OutboxStatus.PENDING, 0)}
    viber.services.clock.advance(timedelta(minutes=2))  # type: ignore[attr-defined]
    later = worker(viber, "later")  # another process, after Viber's window has passed
    await later.drain()
    [broadcast] = viber.fake.broadcasts
    assert sorted(broadcast["broadcast_list"]) == ids


async def test_a_picture_with_a_long_text_leaves_as_two_broadcasts_to_the_same_people(
    viber: ViberHarness,
) -> None:
    ids = await viber_clients(3)
    long_text = "Egypt, Turkey and the Canaries. " * 40  # longer than a picture's caption
    mailing = await service.create_mailing(
        viber.services, {"default": long_text}, picture_url="https://example.com/sea.jpg"
    )
    await service.schedule(viber.services, mailing.id)
    await JobRunner(viber.services.jobs, "test").drain()
    await viber.runtime.delivery.drain()
    picture, text = viber.fake.broadcasts
    assert picture["type"] == "picture" and picture["media"] == "https://example.com/sea.jpg"
    assert text["type"] == "text" and text["text"] == long_text.strip()
    assert sorted(picture["broadcast_list"]) == sorted(text["broadcast_list"]) == ids
    rows = await OutboxMessage.filter(external_id__in=ids)
    assert {(r.status, r.parts_sent) for r in rows} == {(OutboxStatus.SENT, 2)}
