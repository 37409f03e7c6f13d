"""One platform update, start to finish: its claim, its user's state, and "done".

A channel that claims updates (``services.updates``) calls :func:`claim` / :func:`done` /
:func:`forget` around handling one; the dispatcher reads and writes the conversation state
through :func:`load_state` / :func:`save_state`. With Redis (``services.turns``) the claim
brings the user's state along in the same round trip, and the state a handler changed is
written together with "done" (bench/telegram_webhook.py: two round trips instead of four).
Without it, or outside a claimed update (the console, Viber, a test calling the dispatcher),
each is the plain call on ``services.updates`` / ``services.states``, as before.

A claim may also book the update's sender under the flood limit (:mod:`core.flood`) in the
same round trip: the verdict waits in the turn for :func:`flood_verdict`, and flood control asks
the limiter itself when there is none (no Redis, or outside a claimed update).

Behaviour is the same either way: an update is claimed before anything is handled and "done"
only after its replies went out; the state a handler leaves is stored before the next update
of that user is handled (the channel keeps one user's updates in order), and a failed update
(``forget``, the platform's retry) leaves the state as it was before it.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

from core.contract import Address
from core.ratelimit import Limit
from core.services import Services
from core.state import State

NEW = "new"  # the claim values of ``services.updates`` (storage.dedupe)


class Turns(Protocol):
    async def begin(
        self,
        updates: Any,
        states: Any,
        limiter: Any,
        channel: str,
        key: str,
        address: Address,
        flood: Limit | None,
    ) -> tuple[str, State | None, bool | None] | None:
        """The update's claim in ``updates``; when NEW, also the state of ``address`` in
        ``states`` (read in the same step) and, when ``flood`` is given, one event booked under
        it in ``limiter`` as ``limiter.reserve([flood], max_wait=0)`` would (granted or not;
        None: not booked here). None: these cannot be combined."""
        ...

    async def finish(
        self,
        updates: Any,
        states: Any,
        channel: str,
        key: str,
        address: Address,
        state: State | None,
    ) -> bool:
        """Mark the update done, writing ``state`` (unless None) in the same step; False:
        these two cannot be combined (nothing was written)."""
        ...


@dataclass(slots=True)
class Turn:
    address: Address
    state: State | None  # read with the claim, handed out once
    save: State | None = None  # to write with "done"
    flood: bool | None = None  # booked with the claim: granted or not; handed out once


# The update this task is handling (set by :func:`claim`, cleared by :func:`done`/:func:`forget`).
CURRENT: ContextVar[Turn | None] = ContextVar("tourdesk_turn", default=None)


async def claim(
    services: Services, channel: str, key: str, address: Address, flood: Limit | None = None
) -> str:
    """Claim update ``key`` of ``address``: "new" (handle it), "done" or "busy".

    ``flood``: the limit the update will be counted under once handled (``flood.limit``);
    booked here when it can be in the same round trip."""
    CURRENT.set(None)
    turns = services.turns
    begun = None
    if turns is not None:
        begun = await turns.begin(
            services.updates, services.states, services.limiter, channel, key, address, flood
        )
    if begun is None:
        return await services.updates.claim(channel, key)
    got, state, granted = begun
    if got == NEW:
        CURRENT.set(Turn(address, state, flood=granted))
    return got


def flood_verdict(address: Address) -> bool | None:
    """Whether the update being handled was granted under the flood limit when it was claimed
    (once: a second ask gets None), or None when it was not booked with its claim."""
    turn = CURRENT.get()
    if turn is None or turn.address != address:
        return None
    granted, turn.flood = turn.flood, None
    return granted


async def done(services: Services, channel: str, key: str) -> None:
    """The update was handled: done, with the state its handler left."""
    turn = CURRENT.get()
    CURRENT.set(None)
    turns = services.turns
    if turn is not None and turns is not None:
        args = (services.updates, services.states, channel, key, turn.address, turn.save)
        if await turns.finish(*args):
            return
    if turn is not None and turn.save is not None:
        await services.states.save(turn.address, turn.save)
    await services.updates.done(channel, key)


async def forget(services: Services, channel: str, key: str) -> None:
    """The update was not handled: the platform's retry gets through; no state is written."""
    CURRENT.set(None)
    await services.updates.forget(channel, key)


async def load_state(services: Services, address: Address) -> State:
    turn = CURRENT.get()
    if turn is not None and turn.address == address:
        if turn.save is not None:  # changed earlier in this update, not yet written
            return State(turn.save.name, dict(turn.save.data))
        if turn.state is not None:
            state, turn.state = turn.state, None
            return state
    return await services.states.load(address)


async def save_state(services: Services, address: Address, state: State) -> None:
    turn = CURRENT.get()
    if turn is not None and turn.address == address:
        turn.save = state  # written with "done"
        turn.state = None
        return
    await services.states.save(address, state)
