"""Ledger invariants: a balance is the sum of its entries, never goes below zero through a
spend or an adjustment, and no reference is ever written twice — checked with random
operation sequences (hypothesis) and with concurrent spends."""

from __future__ import annotations

import asyncio
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import ledger
from core.errors import DomainError, Forbidden, InvalidInput
from storage.models import (
    AuditEntry,
    Client,
    EntryKind,
    LedgerEntry,
    Order,
    OrderStatus,
    Role,
    Staff,
)

PERCENT = 30
_phones = itertools.count(1_000_000)

operation = st.one_of(
    st.tuples(st.just("credit"), st.integers(1, 50_000), st.integers(0, 5)),
    st.tuples(st.just("spend"), st.integers(1, 80_000), st.just(0)),
    st.tuples(st.just("adjust"), st.integers(-60_000, 60_000).filter(bool), st.just(0)),
)


async def fresh_client() -> Client:
    return await Client.create(phone=f"+38067{next(_phones):07d}")


async def big_order(client: Client, price: int = 10**9) -> Order:
    return await Order.create(
        number=f"L-{client.id}-{next(_phones)}",
        client=client,
        destination="Spain",
        price=price,
        currency="UAH",
        status=OrderStatus.BOOKED,
    )


async def check_invariants(client: Client, model: int) -> None:
    entries = await LedgerEntry.filter(client_id=client.id)
    total = sum(e.amount for e in entries)
    assert await ledger.balance(client.id, "UAH") == total == model
    assert total >= 0
    refs = [e.reference for e in entries]
    assert len(refs) == len(set(refs))


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(operation, min_size=1, max_size=12))
async def test_random_operations_keep_the_books_straight(
    db_url: str, ops: list[tuple[str, int, int]]
) -> None:
    client = await fresh_client()
    accountant = await Staff.create(name="Acc", role=Role.ACCOUNTANT)
    order = await big_order(client)
    model = 0
    for kind, amount, ref in ops:
        if kind == "credit":
            entry = await ledger.credit(
                client.id, amount, "UAH", EntryKind.BONUS, f"t:{client.id}:{ref}"
            )
            if entry is not None:
                model += amount
        elif kind == "spend":
            try:
                await ledger.pay_order_from_balance(
                    client.id, order.id, amount, default_percent=PERCENT
                )
                model -= amount
            except ledger.InsufficientBalance:
                assert model < amount
        else:
            try:
                await ledger.adjust(client.id, amount, "UAH", reason="test", staff_id=accountant.id)
                model += amount
            except ledger.InsufficientBalance:
                assert model + amount < 0
        await check_invariants(client, model)
    order = await Order.get(id=order.id)
    spent = -sum(
        e.amount for e in await LedgerEntry.filter(client_id=client.id, kind=EntryKind.ORDER_CHARGE)
    )
    assert order.paid == spent


async def test_concurrent_spends_never_overdraw(db_url: str) -> None:
    """Ten spends of 30 000 race for a 100 000 balance: exactly three win."""
    client = await fresh_client()
    order = await big_order(client)
    await ledger.credit(client.id, 100_000, "UAH", EntryKind.PAYMENT, "seed")

    async def spend() -> bool:
        try:
            await ledger.pay_order_from_balance(client.id, order.id, 30_000, default_percent=30)
        except ledger.InsufficientBalance:
            return False
        return True

    results = await asyncio.gather(*(spend() for _ in range(10)))
    assert results.count(True) == 3
    assert await ledger.balance(client.id, "UAH") == 10_000
    assert (await Order.get(id=order.id)).paid == 90_000


async def test_paying_an_order_confirms_then_completes_it(db_url: str) -> None:
    client = await fresh_client()
    order = await big_order(client, price=100_000)
    await ledger.credit(client.id, 100_000, "UAH", EntryKind.PAYMENT, "seed")
    settled = await ledger.pay_order_from_balance(client.id, order.id, 30_000, default_percent=30)
    assert settled.order.status is OrderStatus.CONFIRMED
    settled = await ledger.pay_order_from_balance(client.id, order.id, 70_000, default_percent=30)
    assert (settled.order.status, settled.order.paid) == (OrderStatus.PAID, 100_000)
    with pytest.raises(DomainError):
        await ledger.pay_order_from_balance(client.id, order.id, 1, default_percent=30)


async def test_someone_elses_order_cannot_be_paid(db_url: str) -> None:
    owner, other = await fresh_client(), await fresh_client()
    order = await big_order(owner)
    await ledger.credit(other.id, 50_000, "UAH", EntryKind.PAYMENT, "seed")
    with pytest.raises(Forbidden):
        await ledger.pay_order_from_balance(other.id, order.id, 10_000, default_percent=30)
    assert await ledger.balance(other.id, "UAH") == 50_000


async def test_adjustments_are_for_admins_and_accountants_with_a_reason(db_url: str) -> None:
    client = await fresh_client()
    manager = await Staff.create(name="M", role=Role.MANAGER)
    admin = await Staff.create(name="A", role=Role.ADMIN)
    with pytest.raises(Forbidden):
        await ledger.adjust(client.id, 100, "UAH", reason="gift", staff_id=manager.id)
    with pytest.raises(InvalidInput):
        await ledger.adjust(client.id, 100, "UAH", reason="  ", staff_id=admin.id)
    with pytest.raises(ledger.InsufficientBalance):
        await ledger.adjust(client.id, -1, "UAH", reason="oops", staff_id=admin.id)
    entry = await ledger.adjust(
        client.id, 2_500, "UAH", reason="compensation", staff_id=admin.id, reference="adj-1"
    )
    assert (entry.kind, entry.staff_id, entry.reason) == (  # type: ignore[attr-defined]
        EntryKind.ADJUSTMENT,
        admin.id,
        "compensation",
    )
    with pytest.raises(DomainError):  # a double press with the same reference
        await ledger.adjust(
            client.id, 2_500, "UAH", reason="compensation", staff_id=admin.id, reference="adj-1"
        )
    assert await ledger.balance(client.id, "UAH") == 2_500
    audit = await AuditEntry.get(action="balance-adjust")
    assert audit.actor == f"staff:{admin.id}" and audit.details["amount"] == 2_500


async def test_balances_are_per_currency(db_url: str) -> None:
    client = await fresh_client()
    await ledger.credit(client.id, 100, "UAH", EntryKind.PAYMENT, "a")
    await ledger.credit(client.id, 200, "USD", EntryKind.PAYMENT, "b")
    assert await ledger.balances(client.id) == {"UAH": 100, "USD": 200}
    assert await ledger.credit(client.id, 100, "UAH", EntryKind.PAYMENT, "a") is None
