"""Group commit of payment callbacks (PostgreSQL): callbacks that arrive together are applied
in one transaction, each with its own answer; twins credit once; a bad one in the group does
not sink the others; a group that fails in the database changes nothing and its callbacks go
one by one; what hangs off a payment (receipt, staff notice, commission, points) happens
once, from a job written with the money."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import asyncpg
import pytest
from aiohttp.test_utils import TestClient

from core.clock import ManualClock
from core.jobs import JobRunner
from core.loyalty import points
from core.payments import group as group_commit
from core.payments.intents import create_order_intent, ensure_reconcile
from core.payments.registry import payment_providers
from core.payments.stuck import retry_stuck
from core.rules import Commissions, Delivery, Loyalty, Rules
from core.services import Services
from core.settings import Settings
from storage import payment_batch
from storage.models import (
    CommissionEntry,
    EntryKind,
    Job,
    LedgerEntry,
    Order,
    OrderStatus,
    PaymentIntent,
    ProviderEvent,
    Role,
)
from tests.support import backends
from tests.support.factories import make_client, make_order, make_staff
from tests.support.payments import (
    configure,
    liqpay_body,
    liqpay_payload,
    offline,
    post_callback,
    texts,
    web_app,
)

pytestmark = pytest.mark.skipif(
    backends.BACKEND != "postgres", reason="group commit runs on PostgreSQL only"
)


@pytest.fixture
def rules() -> Rules:
    return Rules(
        loyalty=Loyalty(accrual_percent=5, point_value=100),
        commissions=Commissions(paid_percent=2),
        delivery=Delivery(flood_messages=1000),
    )


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return configure(settings)


@pytest.fixture
def services(services: Services) -> Services:
    return offline(services)


@pytest.fixture
async def web(services: Services) -> AsyncIterator[TestClient]:
    async with web_app(services) as client:
        await ensure_reconcile(services)  # planned: callbacks join their group at once
        yield client


async def intents(services: Services, count: int, price: int = 300_000) -> list[PaymentIntent]:
    manager, _ = await make_staff(Role.MANAGER, "mgr")
    made = []
    for i in range(count):
        client = await make_client(user_id=f"g{i}")
        order = await make_order(client, price=price, manager=manager)
        made.append(await create_order_intent(services, order, provider="liqpay"))
    return made


def paid(intent: PaymentIntent, *, amount: str = "3000", payment_id: int = 0) -> bytes:
    payload = liqpay_payload(intent.reference, amount, payment_id=payment_id or 7000 + intent.id)
    return liqpay_body(payload)


async def payments_of(intent: PaymentIntent) -> int:
    return await LedgerEntry.filter(intent_id=intent.id, kind=EntryKind.PAYMENT).count()


async def test_twins_in_one_group_credit_once_and_everything_else_follows_once(
    services: Services, web: TestClient
) -> None:
    made = await intents(services, 4)
    bodies = [paid(i) for i in made] + [paid(made[0])] * 4 + [paid(made[1])]
    results = await asyncio.gather(*(post_callback(web, "liqpay", b) for b in bodies))
    assert [status for status, _ in results] == [200] * len(bodies)
    assert [await payments_of(i) for i in made] == [1, 1, 1, 1]
    for intent in made:
        order = await Order.get(id=intent.order_id)
        assert (order.paid, order.status) == (300_000, OrderStatus.PAID)
        assert (await PaymentIntent.get(id=intent.id)).status.value == "paid"
    outcomes = sorted(e.outcome for e in await ProviderEvent.all())
    assert outcomes == ["credited"] * 4 + ["duplicate"] * 5
    # grouped: the receipts wait for the follow-up job written with the money
    assert await Job.filter(kind="payments.settled").count() == 4
    await JobRunner(services.jobs, "test").drain()
    await JobRunner(services.jobs, "test").drain()
    for intent in made:
        receipts = [t for t in await texts(client_id=intent.client_id) if "Payment received" in t]
        assert len(receipts) == 1
        assert await CommissionEntry.filter(order_id=intent.order_id).count() == 1
        assert await points.balance(intent.client_id) == 150  # 5 % of 3,000.00


async def test_a_bad_callback_does_not_sink_its_group(services: Services, web: TestClient) -> None:
    good, wrong_amount, twice = await intents(services, 3)
    bodies = [
        paid(good),
        paid(wrong_amount, amount="1"),  # signed, but not what we asked for
        liqpay_body(liqpay_payload("td-nobody", "3000", payment_id=99)),  # no such link
        b"data=garbage&signature=nope",
        paid(twice),
    ]
    results = await asyncio.gather(*(post_callback(web, "liqpay", b) for b in bodies))
    assert [status for status, _ in results] == [200, 409, 404, 403, 200]
    assert [await payments_of(i) for i in (good, wrong_amount, twice)] == [1, 0, 1]
    assert (await Order.get(id=wrong_amount.order_id)).paid == 0
    # the same link paid again later (another payment id): late money, kept on the balance
    status, _ = await post_callback(web, "liqpay", paid(twice, payment_id=424242))
    assert status == 200
    assert await payments_of(twice) == 2
    assert (await Order.get(id=twice.order_id)).paid == 300_000


async def test_a_group_the_database_refuses_changes_nothing_and_goes_one_by_one(
    services: Services, web: TestClient
) -> None:
    first, blocked, last = await intents(services, 3)
    # a charge reference already taken: the group's one ledger insert fails as a whole
    await LedgerEntry.create(
        client_id=blocked.client_id,
        amount=1,
        currency="UAH",
        kind=EntryKind.ADJUSTMENT,
        reference=f"liqpay:{7000 + blocked.id}:order:{blocked.order_id}",
    )
    bodies = [paid(first), paid(blocked), paid(last)]
    results = await asyncio.gather(*(post_callback(web, "liqpay", b) for b in bodies))
    # one by one: the two plain ones credited, the broken one a 500 the provider retries,
    # with nothing of it half-written
    assert [status for status, _ in results] == [200, 500, 200]
    assert [await payments_of(i) for i in (first, blocked, last)] == [1, 0, 1]
    assert (await Order.get(id=blocked.order_id)).paid == 0
    assert (await PaymentIntent.get(id=blocked.id)).status.value == "pending"
    assert not await Job.exists(kind="payments.settled")
    receipts = [t for t in await texts(client_id=first.client_id) if "Payment received" in t]
    assert len(receipts) == 1  # one by one sends at once


async def test_bodies_stored_by_a_group_that_died_are_applied_once_later(
    services: Services, clock: ManualClock
) -> None:
    """The group stores its bodies first; a process killed before its transaction committed
    leaves them ``received``, and the retry of stuck events applies each exactly once."""
    made = await intents(services, 2)
    now = services.clock.now()
    rows = [
        payment_batch.EventRow("liqpay", paid(i).decode(), len(paid(i)), "x" * 64, "success", now)
        for i in made + made
    ]
    await payment_batch.store_events(rows)
    assert await ProviderEvent.filter(outcome="received").count() == 4
    clock.advance(timedelta(minutes=10))
    await retry_stuck(services)
    assert [await payments_of(i) for i in made] == [1, 1]
    outcomes = sorted(e.outcome for e in await ProviderEvent.all())
    assert outcomes == ["credited", "credited", "duplicate", "duplicate"]


async def _items(services: Services, bodies: list[bytes]) -> list[group_commit._Item]:
    """Callbacks as the group holds them: verified, their bodies stored (outcome received)."""
    provider = payment_providers(services).get("liqpay")
    assert provider is not None
    now = services.clock.now()
    items = []
    for body in bodies:
        callback = provider.parse_callback(body, {})
        row = payment_batch.EventRow("liqpay", body.decode(), len(body), "x" * 64, "success", now)
        future = asyncio.get_running_loop().create_future()
        items.append(group_commit._Item(callback, row, future))
    ids = await payment_batch.store_events([item.row for item in items])
    for item, event_id in zip(items, ids, strict=True):
        item.event_id = event_id
    return items


async def test_a_group_of_duplicates_only_is_answered_by_the_group(
    services: Services, web: TestClient
) -> None:
    """Nothing to credit, only duplicates to note: the group's statement then has no
    timestamp to write, and still runs (it once failed and sent them all one by one)."""
    made = await intents(services, 2)
    for intent in made:
        status, _ = await post_callback(web, "liqpay", paid(intent))
        assert status == 200
    items = await _items(services, [paid(made[0]), paid(made[0]), paid(made[1])])
    done = await group_commit.apply_group(services, items)
    assert [done[i].outcome for i in range(3)] == ["duplicate"] * 3
    assert [await payments_of(i) for i in made] == [1, 1]
    noted = await ProviderEvent.filter(id__in=[i.event_id for i in items]).values_list(
        "outcome", "intent_id"
    )
    assert sorted(noted) == sorted([("duplicate", made[0].id)] * 2 + [("duplicate", made[1].id)])


async def test_a_group_with_a_twin_inside_and_a_repeat_of_an_earlier_payment_credits_once(
    services: Services, web: TestClient
) -> None:
    first, again = await intents(services, 2)
    status, _ = await post_callback(web, "liqpay", paid(again))
    assert status == 200
    items = await _items(services, [paid(first), paid(again), paid(first)])
    done = await group_commit.apply_group(services, items)
    assert [done[i].outcome for i in range(3)] == ["credited", "duplicate", "duplicate"]
    assert [await payments_of(i) for i in (first, again)] == [1, 1]
    order = await Order.get(id=first.order_id)
    assert (order.paid, order.status) == (300_000, OrderStatus.PAID)
    assert await Job.filter(kind="payments.settled").count() == 1


async def test_a_second_group_is_applied_while_the_first_waits_for_a_lock(
    services: Services, web: TestClient, db_url: str
) -> None:
    """Two groups of one process in the database at once: callbacks that arrive while a
    group waits (here for an intent another transaction holds) need not wait for it."""
    held, first_other, a, b = await intents(services, 4)
    conn = await asyncpg.connect(db_url.replace("postgres://", "postgresql://", 1))
    try:
        tx = conn.transaction()
        await tx.start()
        await conn.execute("SELECT 1 FROM payment_intents WHERE id = $1 FOR UPDATE", held.id)
        first = asyncio.gather(
            *(post_callback(web, "liqpay", paid(i)) for i in (held, first_other))
        )
        for _ in range(6000):  # until the first group has stored its bodies (then it waits)
            if await ProviderEvent.filter(outcome="received").count() == 2:
                break
            await asyncio.sleep(0.01)
        # a hang guard, not a speed check: with one group at a time this never returns
        second = await asyncio.wait_for(
            asyncio.gather(*(post_callback(web, "liqpay", paid(i)) for i in (a, b))), 60
        )
        assert [status for status, _ in second] == [200, 200]
        assert [await payments_of(i) for i in (held, first_other, a, b)] == [0, 0, 1, 1]
        await tx.rollback()
    finally:
        await conn.close()
    assert [status for status, _ in await first] == [200, 200]
    assert [await payments_of(i) for i in (held, first_other)] == [1, 1]
