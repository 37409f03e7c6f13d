"""Rate limits shared by every process: Redis when configured, process memory otherwise.

One small interface, two implementations. :meth:`Limiter.reserve` books the next slot under
one or more limits at once (a per-chat pace and a global cap, say) and says how long to wait
before acting; the caller waits exactly that long (or gives up when the wait would be longer
than it can afford — then nothing is booked). The algorithm is GCRA (a leaky bucket kept as
one "theoretical arrival time" per key), so a key costs one number however busy it is.

Time is real time (Redis ``TIME`` or :func:`time.monotonic`), never the services clock: pacing
is about the platform's physics, not business time.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

EPSILON = 1e-6  # float slack when comparing waits


@dataclass(frozen=True, slots=True)
class Rate:
    """``count`` events per ``period`` seconds; up to ``burst`` (default ``count``) at once."""

    count: float
    period: float = 1.0
    burst: int | None = None

    def __post_init__(self) -> None:
        if self.count <= 0 or self.period <= 0:
            raise ValueError("a rate needs a positive count and period")

    @property
    def interval(self) -> float:
        return self.period / self.count

    @property
    def capacity(self) -> int:
        return max(1, self.burst if self.burst is not None else int(self.count))


@dataclass(frozen=True, slots=True)
class Limit:
    key: str
    rate: Rate
    # refuse (book nothing) when this limit would make the caller wait longer than the other
    # limits do, by more than this: a chat that is not ready by the time the channel has a
    # slot is skipped (0), while the short wait for the channel's rate is acceptable
    max_wait: float | None = None


@dataclass(frozen=True, slots=True)
class Reservation:
    granted: bool
    wait: float  # granted: seconds to wait before acting; refused: seconds until it would fit


class Limiter(Protocol):
    async def reserve(
        self, limits: Sequence[Limit], *, max_wait: float | None = None
    ) -> Reservation:
        """Book one event under all ``limits``; refused (nothing booked) if the wait > max_wait."""
        ...

    async def reserve_many(
        self, requests: Sequence[tuple[Sequence[Limit], float | None]]
    ) -> list[Reservation]:
        """:meth:`reserve` for several events (their limits, their max_wait), booked in order
        in one step (one Redis round trip)."""
        ...

    async def once(self, key: str, ttl: float) -> bool:
        """True the first time ``key`` is seen within ``ttl`` seconds, False afterwards."""
        ...

    async def block(self, key: str, seconds: float) -> None:
        """Nothing under ``key`` for ``seconds`` (the platform said so: a 429's retry_after)."""
        ...


def _plan(
    tats: Sequence[float], limits: Sequence[Limit], now: float
) -> tuple[float, list[float], bool]:
    """The GCRA step shared by both implementations: (wait, new arrival times, refused by a
    limit's own ``max_wait``)."""
    waits = [
        max(tat, now) - (limit.rate.capacity - 1) * limit.rate.interval - now
        for tat, limit in zip(tats, limits, strict=True)
    ]
    wait = max([0.0, *waits])
    refused = False
    for i, limit in enumerate(limits):
        if limit.max_wait is None:
            continue
        others = max([0.0, *(w for j, w in enumerate(waits) if j != i)])
        if waits[i] > others + limit.max_wait + EPSILON:
            refused = True
    at = now + wait
    new = [max(tat, at) + lim.rate.interval for tat, lim in zip(tats, limits, strict=True)]
    return wait, new, refused


class MemoryLimiter:
    """For a single process (no Redis): the same arithmetic over a dict."""

    MAX_KEYS = 100_000

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._tats: dict[str, float] = {}
        self._seen: dict[str, float] = {}

    async def reserve(
        self, limits: Sequence[Limit], *, max_wait: float | None = None
    ) -> Reservation:
        now = self._now()
        tats = [self._tats.get(limit.key, now) for limit in limits]
        wait, new_tats, refused = _plan(tats, limits, now)
        if refused or (max_wait is not None and wait > max_wait + EPSILON):
            return Reservation(False, wait)
        for limit, tat in zip(limits, new_tats, strict=True):
            self._tats[limit.key] = tat
        self._prune(now)
        return Reservation(True, max(wait, 0.0))

    async def reserve_many(
        self, requests: Sequence[tuple[Sequence[Limit], float | None]]
    ) -> list[Reservation]:
        return [await self.reserve(limits, max_wait=wait) for limits, wait in requests]

    async def once(self, key: str, ttl: float) -> bool:
        now = self._now()
        expires = self._seen.get(key)
        if expires is not None and expires > now:
            return False
        self._seen[key] = now + ttl
        self._prune(now)
        return True

    async def block(self, key: str, seconds: float) -> None:
        now = self._now()
        self._tats[key] = max(self._tats.get(key, now), now + seconds)

    def _prune(self, now: float) -> None:
        if len(self._tats) > self.MAX_KEYS:
            self._tats = {k: v for k, v in self._tats.items() if v > now}
        if len(self._seen) > self.MAX_KEYS:
            self._seen = {k: v for k, v in self._seen.items() if v > now}


# KEYS: one per limit. ARGV: max_wait (-1: none), then interval, capacity and the limit's own
# max_wait (-1: none) per limit.
# Returns {granted (1/0), wait as a string}. Uses the Redis server's clock so every process
# agrees on "now"; keys expire once their arrival time has passed.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local max_wait = tonumber(ARGV[1])
local n = #KEYS
local tats = {}
local waits = {}
local wait = 0
for i = 1, n do
  local interval = tonumber(ARGV[3 * i - 1])
  local capacity = tonumber(ARGV[3 * i])
  local tat = tonumber(redis.call('GET', KEYS[i]) or '0')
  if tat < now then tat = now end
  tats[i] = tat
  waits[i] = tat - (capacity - 1) * interval - now
  if waits[i] > wait then wait = waits[i] end
end
local refused = false
for i = 1, n do
  local own_max = tonumber(ARGV[3 * i + 1])
  if own_max >= 0 then
    local others = 0
    for j = 1, n do
      if j ~= i and waits[j] > others then others = waits[j] end
    end
    if waits[i] > others + own_max + 0.000001 then refused = true end
  end
end
if refused or (max_wait >= 0 and wait > max_wait + 0.000001) then
  return {0, string.format('%.6f', wait)}
end
local at = now + wait
for i = 1, n do
  local interval = tonumber(ARGV[3 * i - 1])
  local tat = tats[i]
  if at > tat then tat = at end
  tat = tat + interval
  local ttl = math.ceil((tat - now) * 1000) + 1000
  redis.call('SET', KEYS[i], string.format('%.6f', tat), 'PX', ttl)
end
return {1, string.format('%.6f', wait)}
"""


@functools.lru_cache(maxsize=256)
def _encoded(rate: Rate, max_wait: float | None) -> tuple[bytes, bytes, bytes]:
    """A limit's interval, capacity and own max_wait as the script reads them, encoded once:
    a mailing books a few hundred limits per call, and redis-py would format each number
    anew."""
    own = -1 if max_wait is None else max_wait
    return (repr(rate.interval).encode(), str(rate.capacity).encode(), repr(own).encode())


class RedisLimiter:
    """Shared by every process that uses the same Redis and key prefix."""

    def __init__(self, redis: Any, prefix: str) -> None:
        self._redis = redis
        self._prefix = prefix
        self._script = redis.register_script(_RESERVE)
        self._block = redis.register_script(_BLOCK)
        self._many = redis.register_script(_RESERVE_MANY)

    def key(self, limit_key: str) -> str:
        """The Redis key a limit's arrival time is kept under (storage.turns books the flood
        limit with an update's claim, under the same key)."""
        return f"{self._prefix}rate:{limit_key}"

    def uses(self, redis: Any) -> bool:
        return self._redis is redis

    async def reserve(
        self, limits: Sequence[Limit], *, max_wait: float | None = None
    ) -> Reservation:
        keys = [self.key(limit.key) for limit in limits]
        args: list[float | int] = [-1 if max_wait is None else max_wait]
        for limit in limits:
            own = -1 if limit.max_wait is None else limit.max_wait
            args += [limit.rate.interval, limit.rate.capacity, own]
        granted, wait = await self._script(keys=keys, args=args)
        return Reservation(bool(int(granted)), max(float(wait), 0.0))

    async def reserve_many(
        self, requests: Sequence[tuple[Sequence[Limit], float | None]]
    ) -> list[Reservation]:
        keys: list[str] = []
        args: list[float | int | bytes] = [len(requests)]
        for limits, max_wait in requests:
            args += [-1 if max_wait is None else max_wait, len(limits)]
            for limit in limits:
                keys.append(self._prefix + "rate:" + limit.key)
                args += _encoded(limit.rate, limit.max_wait)
        answer = await self._many(keys=keys, args=args)
        return [
            Reservation(bool(int(answer[2 * i])), max(float(answer[2 * i + 1]), 0.0))
            for i in range(len(requests))
        ]

    async def once(self, key: str, ttl: float) -> bool:
        added = await self._redis.set(
            f"{self._prefix}once:{key}", "1", nx=True, px=max(int(ttl * 1000), 1)
        )
        return bool(added)

    async def block(self, key: str, seconds: float) -> None:
        await self._block(keys=[f"{self._prefix}rate:{key}"], args=[max(seconds, 0.0)])


# Several reservations in one call, booked in order (each sees the ones before it). ARGV: the
# number of reservations, then per reservation its max_wait (-1: none), its number of limits and
# interval, capacity, own max_wait per limit; KEYS: the limits' keys, reservation after
# reservation. Returns {granted, wait} per reservation, flattened.
_RESERVE_MANY = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local out = {}
local a = 2
local k = 1
for r = 1, tonumber(ARGV[1]) do
  local max_wait = tonumber(ARGV[a])
  local n = tonumber(ARGV[a + 1])
  a = a + 2
  local tats, waits, intervals, owns, keys = {}, {}, {}, {}, {}
  local wait = 0
  for i = 1, n do
    keys[i] = KEYS[k]
    k = k + 1
    intervals[i] = tonumber(ARGV[a])
    local capacity = tonumber(ARGV[a + 1])
    owns[i] = tonumber(ARGV[a + 2])
    a = a + 3
    local tat = tonumber(redis.call('GET', keys[i]) or '0')
    if tat < now then tat = now end
    tats[i] = tat
    waits[i] = tat - (capacity - 1) * intervals[i] - now
    if waits[i] > wait then wait = waits[i] end
  end
  local refused = false
  for i = 1, n do
    if owns[i] >= 0 then
      local others = 0
      for j = 1, n do
        if j ~= i and waits[j] > others then others = waits[j] end
      end
      if waits[i] > others + owns[i] + 0.000001 then refused = true end
    end
  end
  if refused or (max_wait >= 0 and wait > max_wait + 0.000001) then
    out[#out + 1] = 0
  else
    local at = now + wait
    for i = 1, n do
      local tat = tats[i]
      if at > tat then tat = at end
      tat = tat + intervals[i]
      local ttl = math.ceil((tat - now) * 1000) + 1000
      redis.call('SET', keys[i], string.format('%.6f', tat), 'PX', ttl)
    end
    out[#out + 1] = 1
  end
  out[#out + 1] = string.format('%.6f', wait)
end
return out
"""


# KEYS[1]: the key; ARGV[1]: seconds. Pushes the key's arrival time to at least now + seconds.
_BLOCK = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local until_ = now + tonumber(ARGV[1])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < until_ then
  local ttl = math.ceil(tonumber(ARGV[1]) * 1000) + 1000
  redis.call('SET', KEYS[1], string.format('%.6f', until_), 'PX', ttl)
end
return 1
"""


def build_limiter(redis: Any | None, prefix: str) -> Limiter:
    """The process-wide limiter: shared through Redis when there is one (built once, in
    ``bots/app.py``, and kept on ``Services.limiter``)."""
    if redis is not None:
        return RedisLimiter(redis, prefix)
    return MemoryLimiter()
