"""One platform update's Redis work in two round trips instead of four.

Handling an update reads and writes three Redis keys of the same user and update: the update's
claim (``storage.dedupe``), the conversation state (``storage.state``), and, once handled, the
claim again ("done") and the state when it changed. Each was its own round trip, and each
costs redis-py more CPU than the server's work (bench/telegram_webhook.py profile). Here the
claim and the state read are one script (atomic, so the claim means what ``SET NX`` meant),
and "done" with the state write is one pipeline. The keys, values and expiries are exactly
those of :class:`~storage.dedupe.RedisUpdateLog` and :class:`~storage.state.RedisStateStore`,
so either may read what the other wrote.
"""

from __future__ import annotations

from typing import Any

from core.contract import Address
from core.state import State
from storage.dedupe import BUSY, DONE, NEW, TTL_SECONDS, RedisUpdateLog
from storage.state import RedisStateStore, decode_state, encode_state

# KEYS[1]: the update's claim, KEYS[2]: the user's state; ARGV[1]: the lease in ms.
# Returns {"new", state or false} when claimed now, {"busy"} or {"done"} otherwise.
_BEGIN = """
if redis.call('SET', KEYS[1], 'doing', 'NX', 'PX', ARGV[1]) then
  return {'new', redis.call('GET', KEYS[2])}
end
if redis.call('GET', KEYS[1]) == 'doing' then
  return {'busy'}
end
return {'done'}
"""


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class RedisTurns:
    """The claim with the state read, and "done" with the state write (see the module), for
    the update log and state store in use (``services.updates`` / ``services.states``, read at
    each call: a test may swap them) when both are Redis ones on this connection; None from
    :meth:`begin` / False from :meth:`finish` otherwise (the caller makes the plain calls)."""

    def __init__(self, redis: Any) -> None:
        self._redis = redis
        self._begin = redis.register_script(_BEGIN)

    def _ours(self, updates: Any, states: Any) -> bool:
        return (
            isinstance(updates, RedisUpdateLog)
            and isinstance(states, RedisStateStore)
            and updates._redis is self._redis
            and states._redis is self._redis
        )

    async def begin(
        self, updates: Any, states: Any, channel: str, key: str, address: Address
    ) -> tuple[str, State | None] | None:
        """(NEW, the user's state) when this update is ours to handle; (BUSY or DONE, None)."""
        if not self._ours(updates, states):
            return None
        answer = await self._begin(
            keys=[updates._key(channel, key), states._key(address)], args=[updates.lease_ms]
        )
        claim = _text(answer[0])
        if claim != NEW:
            return (BUSY if claim == BUSY else DONE), None
        raw = answer[1] if len(answer) > 1 else None
        return NEW, decode_state(raw)

    async def finish(
        self,
        updates: Any,
        states: Any,
        channel: str,
        key: str,
        address: Address,
        state: State | None,
    ) -> bool:
        """The update is done; ``state`` (when not None) is written with it."""
        if not self._ours(updates, states):
            return False
        pipe = self._redis.pipeline(transaction=False)
        if state is not None:
            pipe.set(states._key(address), encode_state(state))
        pipe.set(updates._key(channel, key), "done", ex=TTL_SECONDS)
        await pipe.execute()
        return True
