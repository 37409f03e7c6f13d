"""One retry policy for the whole project (after aiogram's ``utils/backoff.py``).

A small validated :class:`BackoffConfig` says how long to wait before the n-th retry: ``min``
seconds at first, multiplied by ``factor`` per attempt up to ``max``, spread by ``jitter`` (a
fraction of the delay, both ways) so that many failures at once do not retry in lockstep. The
outbox and the job runner both use it; nothing else hand-writes a backoff loop.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BackoffConfig:
    min_delay: float = 5.0
    max_delay: float = 3600.0
    factor: float = 2.0
    jitter: float = 0.1

    def __post_init__(self) -> None:
        if self.min_delay <= 0:
            raise ValueError("min_delay must be positive")
        if self.max_delay < self.min_delay:
            raise ValueError("max_delay must be >= min_delay")
        if self.factor < 1:
            raise ValueError("factor must be >= 1")
        if not 0 <= self.jitter < 1:
            raise ValueError("jitter must be in [0, 1)")

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Seconds to wait after the ``attempt``-th failure (1 = the first)."""
        base = min(self.min_delay * self.factor ** max(attempt - 1, 0), self.max_delay)
        if not self.jitter:
            return base
        spread = base * self.jitter
        return max(0.0, (rng or random).uniform(base - spread, base + spread))


DEFAULT = BackoffConfig()
