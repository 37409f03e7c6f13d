"""core.gate.Gate: at most n inside, first come first served, cancellation loses no place."""

from __future__ import annotations

import asyncio

import pytest

from core.gate import Gate


async def test_at_most_n_inside_and_first_come_first_served() -> None:
    gate = Gate(2)
    inside = 0
    most = 0
    order: list[int] = []

    async def one(i: int) -> None:
        nonlocal inside, most
        async with gate:
            order.append(i)
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.001)
            inside -= 1

    await asyncio.gather(*(one(i) for i in range(50)))
    assert most == 2
    assert order == list(range(50))


async def test_a_cancelled_waiter_gives_up_its_turn_and_no_place_is_lost() -> None:
    gate = Gate(1)
    release = asyncio.Event()
    entered: list[str] = []

    async def holder() -> None:
        async with gate:
            entered.append("holder")
            await release.wait()

    async def waiter(name: str) -> None:
        async with gate:
            entered.append(name)

    first = asyncio.create_task(holder())
    await asyncio.sleep(0)
    cancelled = asyncio.create_task(waiter("cancelled"))
    later = asyncio.create_task(waiter("later"))
    await asyncio.sleep(0)
    cancelled.cancel()
    release.set()
    await asyncio.gather(first, later)
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert entered == ["holder", "later"]
    async with gate:  # the place came back
        assert gate.waiting == 0


async def test_cancelled_right_after_being_handed_the_place_passes_it_on() -> None:
    gate = Gate(1)
    entered: list[str] = []

    async def waiter(name: str) -> None:
        async with gate:
            entered.append(name)

    await gate.__aenter__()
    handed = asyncio.create_task(waiter("handed"))
    after = asyncio.create_task(waiter("after"))
    await asyncio.sleep(0)
    await gate.__aexit__(None, None, None)  # the place goes to "handed"...
    handed.cancel()  # ...which is cancelled before it runs
    await asyncio.gather(handed, after, return_exceptions=True)
    assert entered == ["after"]
    async with gate:
        pass


def test_a_gate_needs_a_place() -> None:
    with pytest.raises(ValueError):
        Gate(0)
