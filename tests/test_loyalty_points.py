"""The points ledger against a simple model (hypothesis): lots are spent oldest-expiry first,
expire with what is left of them, a clawback takes at most the balance, the balance is the sum
of the entries and never negative, no reference is written twice, and the client's
``bonus_points`` mirror always equals the sum."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tortoise.transactions import in_transaction

from core import ledger
from core.loyalty import points
from storage.models import Client, PointsEntry, PointsKind

T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
_phones = itertools.count(2_000_000)

operation = st.one_of(
    # points, days until they expire (None: never)
    st.tuples(st.just("earn"), st.integers(1, 500), st.one_of(st.none(), st.integers(1, 60))),
    st.tuples(st.just("spend"), st.integers(1, 700), st.none()),
    st.tuples(st.just("claw"), st.integers(1, 700), st.none()),
    st.tuples(st.just("tick"), st.integers(1, 40), st.none()),
)


@dataclass
class ModelLot:
    """The model: a lot is a number that only goes down, and a date."""

    seq: int
    left: int
    expires_at: datetime | None


def model_take(lots: list[ModelLot], amount: int) -> None:
    for lot in sorted(lots, key=lambda x: (x.expires_at is None, x.expires_at, x.seq)):
        take = min(lot.left, amount)
        lot.left -= take
        amount -= take


def model_expire(lots: list[ModelLot], now: datetime) -> None:
    for lot in lots:
        if lot.expires_at is not None and lot.expires_at <= now:
            lot.left = 0


async def check(client: Client, model: list[ModelLot]) -> None:
    entries = await PointsEntry.filter(client_id=client.id)
    total = sum(e.points for e in entries)
    assert total == sum(lot.left for lot in model) == await points.balance(client.id)
    assert total >= 0
    assert (await Client.get(id=client.id)).bonus_points == total
    refs = [e.reference for e in entries]
    assert len(refs) == len(set(refs))
    found = [(lot.left, lot.expires_at) for lot in await points.lots(client.id)]
    expected = [
        (lot.left, lot.expires_at)
        for lot in sorted(model, key=lambda x: (x.expires_at is None, x.expires_at, x.seq))
        if lot.left > 0
    ]
    assert found == expected


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=14))
async def test_random_operations_match_the_model(
    db_url: str, ops: list[tuple[str, int, int | None]]
) -> None:
    client = await Client.create(phone=f"+38067{next(_phones):07d}")
    model: list[ModelLot] = []
    now = T0
    for step, (kind, amount, days) in enumerate(ops):
        async with in_transaction():
            await ledger.lock_client(client.id)
            await points.expire_due(client.id, now)
            model_expire(model, now)
            if kind == "earn":
                expires = now + timedelta(days=days) if days is not None else None
                await points.append(
                    client.id,
                    amount,
                    PointsKind.ACCRUE,
                    f"t:{client.id}:{step}",
                    now=now,
                    expires_at=expires,
                )
                model.append(ModelLot(step, amount, expires))
            elif kind == "spend":
                have = sum(lot.left for lot in model)
                if amount > have:
                    with pytest.raises(points.NotEnoughPoints):
                        await points.append(
                            client.id, -amount, PointsKind.SPEND, f"t:{client.id}:{step}", now=now
                        )
                else:
                    await points.append(
                        client.id, -amount, PointsKind.SPEND, f"t:{client.id}:{step}", now=now
                    )
                    model_take(model, amount)
            elif kind == "claw":
                taken = await points.take_back(
                    client.id, amount, PointsKind.REVERSE, f"t:{client.id}:{step}", now=now
                )
                expected = min(amount, sum(lot.left for lot in model))
                assert (taken.points if taken else 0) == -expected
                model_take(model, expected)
            else:
                now += timedelta(days=amount)
                await points.expire_due(client.id, now)
                model_expire(model, now)
        await check(client, model)


async def test_a_reference_is_written_once(db_url: str) -> None:
    client = await Client.create(phone="+380670000001")
    async with in_transaction():
        first = await points.append(client.id, 10, PointsKind.ACCRUE, "accrue:order:1", now=T0)
        again = await points.append(client.id, 10, PointsKind.ACCRUE, "accrue:order:1", now=T0)
    assert first is not None and again is None
    assert await points.balance(client.id) == 10


async def test_an_expiry_takes_only_what_is_left_of_its_lot(db_url: str) -> None:
    client = await Client.create(phone="+380670000002")
    async with in_transaction():
        await points.append(
            client.id, 100, PointsKind.ACCRUE, "a", now=T0, expires_at=T0 + timedelta(days=10)
        )
        await points.append(
            client.id, 50, PointsKind.ACCRUE, "b", now=T0, expires_at=T0 + timedelta(days=20)
        )
        await points.append(client.id, -120, PointsKind.SPEND, "s", now=T0)  # 100 of a, 20 of b
        expired = await points.expire_due(client.id, T0 + timedelta(days=15))
    assert expired == []  # lot a is empty
    async with in_transaction():
        expired = await points.expire_due(client.id, T0 + timedelta(days=25))
    assert [(e.points, e.reference) for e in expired] == [(-30, f"expire:{expired[0].lot_id}")]
    assert await points.balance(client.id) == 0
