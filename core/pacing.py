"""How fast each channel may go: a per-chat pace and a global rate per lane.

The engine asks the shared :class:`~core.ratelimit.Limiter` (Redis when configured, so every
process together keeps to the platform's cap) for one slot under the chat's limit and the
channel's before each message part. The chat must be ready now (else the row waits for its
chat and the worker takes another); a short wait for the channel is fine, since every message
of the channel waits for it alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from core.ratelimit import Limit, Rate

CHANNEL_WAIT = 2.0  # seconds a send may wait for the channel's global rate before handing back
# seconds of the channel's rate the bulk lane of one process may book ahead: a direct message
# (a receipt) books behind at most this much bulk, not behind ``concurrency`` bulk sends
BULK_AHEAD = 0.25
# seconds one send keeps a slot of ``concurrency`` busy when no figure is configured: the wait
# for its slot (up to BULK_AHEAD), the claim check and the platform's answer
SEND_SECONDS = 0.5
MIN_IN_FLIGHT, MAX_IN_FLIGHT = 32, 1000


@dataclass(frozen=True, slots=True)
class ChannelPace:
    channel: str
    per_chat: Rate | None = None
    global_rate: Rate | None = None
    bulk_rate: Rate | None = None  # its own budget for the bulk lane (Telegram paid broadcast)

    def limits(self, chat: str, lane: str, *, chat_ready_now: bool = True) -> list[Limit]:
        limits: list[Limit] = []
        if self.per_chat is not None:
            limits.append(
                Limit(
                    f"{self.channel}:chat:{chat}",
                    self.per_chat,
                    max_wait=0.0 if chat_ready_now else None,
                )
            )
        if lane == "bulk" and self.bulk_rate is not None:
            limits.append(Limit(self.bulk_key, self.bulk_rate))
        elif self.global_rate is not None:
            limits.append(Limit(self.global_key, self.global_rate))
        return limits

    def bulk_in_flight(self) -> int:
        """How many bulk sends of one process may hold a slot of the rate at once."""
        rate = self.bulk_rate or self.global_rate
        if rate is None:
            return 1_000_000
        return max(2, math.ceil(rate.count / rate.period * BULK_AHEAD))

    @property
    def global_key(self) -> str:
        return f"{self.channel}:global"

    @property
    def bulk_key(self) -> str:
        return f"{self.channel}:bulk"

    @property
    def shared_keys(self) -> list[str]:
        """The channel's limits every chat shares (its rate, and the paid bulk rate)."""
        keys = [self.global_key] if self.global_rate is not None else []
        return keys + ([self.bulk_key] if self.bulk_rate is not None else [])

    def chat_key(self, chat: str) -> str:
        return f"{self.channel}:chat:{chat}"

    @property
    def paid(self) -> bool:
        return self.bulk_rate is not None


def in_flight(paces: Iterable[ChannelPace]) -> int:
    """Sends a process keeps in flight when ``[delivery] concurrency`` is not set: enough for
    every channel's fastest rate (the paid bulk rate where there is one) at
    :data:`SEND_SECONDS` a send (Little's law), so the rate is reached without tuning."""
    total = 0.0
    for pace in paces:
        rates = [r for r in (pace.global_rate, pace.bulk_rate) if r is not None]
        if rates:
            total += max(r.count / r.period for r in rates) * SEND_SECONDS
    return max(MIN_IN_FLIGHT, min(MAX_IN_FLIGHT, math.ceil(total)))


def steady(per_second: float) -> Rate:
    """``per_second`` evenly spread (no burst): what the platforms measure."""
    return Rate(per_second, 1.0, burst=1)
