"""One platform update's Redis work in two round trips instead of four.

Handling an update reads and writes three Redis keys of the same user and update: the update's
claim (``storage.dedupe``), the conversation state (``storage.state``), and, once handled, the
claim again ("done") and the state when it changed. Each was its own round trip, and each
costs redis-py more CPU than the server's work (bench/telegram_webhook.py profile). Here the
claim and the state read are one script (atomic, so the claim means what ``SET NX`` meant),
and "done" with the state write is one pipeline. The keys, values and expiries are exactly
those of :class:`~storage.dedupe.RedisUpdateLog` and :class:`~storage.state.RedisStateStore`,
so either may read what the other wrote.

The claim may also book the sender under the flood limit (:mod:`core.flood`): the same GCRA
step, key and value as :meth:`RedisLimiter.reserve` with ``max_wait=0`` (a third round trip
before), done only when the update is claimed now, as flood control ran only for updates that
were handled.

Concurrent updates share their round trips: the claims (and the "done"s) that arrive while one
is on its way to Redis leave together in the next pipeline (:class:`core.coalesce.Coalescer`;
the first leaves at once). A webhook process keeps dozens of updates in flight, and redis-py's
cost per call (connection pool, locks, parsing) was most of what a claim cost us; a pipeline of
N commands is one such call. Each update still gets its own script run (atomic as before) and
its own answer.
"""

from __future__ import annotations

from typing import Any

from redis.exceptions import NoScriptError

from core.coalesce import Coalescer
from core.contract import Address
from core.ratelimit import Limit, RedisLimiter
from core.state import State
from storage.dedupe import BUSY, DONE, NEW, TTL_SECONDS, RedisUpdateLog
from storage.state import RedisStateStore, decode_state, encode_state

# KEYS[1]: the update's claim, KEYS[2]: the user's state, KEYS[3] (optional): the flood limit's
# key; ARGV[1]: the lease in ms, ARGV[2], ARGV[3]: the flood limit's interval and capacity.
# Returns {"new", state or false, flood} when claimed now (flood: 1 granted, 0 refused, -1 not
# asked), {"busy"} or {"done"} otherwise. The flood step is core.ratelimit's _RESERVE for one
# limit with max_wait 0 (nothing booked when refused).
_BEGIN = """
if redis.call('SET', KEYS[1], 'doing', 'NX', 'PX', ARGV[1]) then
  local flood = -1
  if #KEYS > 2 then
    local t = redis.call('TIME')
    local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
    local interval = tonumber(ARGV[2])
    local capacity = tonumber(ARGV[3])
    local tat = tonumber(redis.call('GET', KEYS[3]) or '0')
    if tat < now then tat = now end
    local wait = tat - (capacity - 1) * interval - now
    if wait < 0 then wait = 0 end
    if wait > 0.000001 then
      flood = 0
    else
      local at = now + wait
      if at > tat then tat = at end
      tat = tat + interval
      local ttl = math.ceil((tat - now) * 1000) + 1000
      redis.call('SET', KEYS[3], string.format('%.6f', tat), 'PX', ttl)
      flood = 1
    end
  end
  return {'new', redis.call('GET', KEYS[2]), flood}
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
        self._begins: Coalescer[tuple[list[str], list[Any]], Any] = Coalescer(self._begin_many)
        self._finishes: Coalescer[tuple[str | None, str, str], None] = Coalescer(self._finish_many)

    async def _begin_many(self, calls: list[tuple[list[str], list[Any]]]) -> list[Any]:
        """The claim script for every call in one pipeline; each call's answer (or the error
        its script raised, returned for its caller to raise)."""
        answers: list[Any] = [None] * len(calls)
        todo = list(range(len(calls)))
        for attempt in range(2):
            pipe = self._redis.pipeline(transaction=False)
            for i in todo:
                keys, args = calls[i]
                pipe.evalsha(self._begin.sha, len(keys), *keys, *args)
            results = await pipe.execute(raise_on_error=False)
            missing = []
            for i, result in zip(todo, results, strict=True):
                if isinstance(result, NoScriptError) and attempt == 0:
                    missing.append(i)  # Redis restarted or flushed its scripts: not run
                else:
                    answers[i] = result
            if not missing:
                break
            await self._redis.script_load(self._begin.script)
            todo = missing
        return answers

    async def _finish_many(self, calls: list[tuple[str | None, str, str]]) -> list[None]:
        """(state key or None, encoded state, update key) per call: one pipeline for all."""
        pipe = self._redis.pipeline(transaction=False)
        for state_key, state, update_key in calls:
            if state_key is not None:
                pipe.set(state_key, state)
            pipe.set(update_key, "done", ex=TTL_SECONDS)
        await pipe.execute()
        return [None] * len(calls)

    def _ours(self, updates: Any, states: Any) -> bool:
        return (
            isinstance(updates, RedisUpdateLog)
            and isinstance(states, RedisStateStore)
            and updates._redis is self._redis
            and states._redis is self._redis
        )

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
        """(NEW, the user's state, granted under ``flood``) when this update is ours to
        handle; (BUSY or DONE, None, None). Granted is None when ``flood`` is None or the
        limiter is not a Redis one on this connection (the caller asks it itself)."""
        if not self._ours(updates, states):
            return None
        keys = [updates._key(channel, key), states._key(address)]
        args: list[Any] = [updates.lease_ms]
        if flood is not None and isinstance(limiter, RedisLimiter) and limiter.uses(self._redis):
            keys.append(limiter.key(flood.key))
            args += [flood.rate.interval, flood.rate.capacity]
        answer = await self._begins((keys, args))
        if isinstance(answer, Exception):
            raise answer
        claim = _text(answer[0])
        if claim != NEW:
            return (BUSY if claim == BUSY else DONE), None, None
        raw = answer[1] if len(answer) > 1 else None
        verdict = int(answer[2]) if len(answer) > 2 else -1
        return NEW, decode_state(raw), (None if verdict < 0 else verdict == 1)

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
        if state is None:
            await self._finishes((None, "", updates._key(channel, key)))
        else:
            call = (states._key(address), encode_state(state), updates._key(channel, key))
            await self._finishes(call)
        return True
