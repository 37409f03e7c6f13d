"""What a channel's outbox sender must do, and what it reports back.

A :class:`Sender` lives in ``bots/`` (one per messenger); the delivery worker in
``core/delivery.py`` claims outbox rows and hands each to the sender of its channel, then
records the :class:`SendResult`. Senders never raise for platform errors: they classify them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from core.contract import Address, Channel, Reply


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # transient: network, 5xx, 429 (retry_after tells when); uses an attempt
    DEFER = "defer"  # not now by our own limits (pacing, Viber's hourly cap): no attempt used
    BLOCKED = "blocked"  # the user blocked the bot / chat not found: never retry
    UNSUBSCRIBED = "unsubscribed"  # Viber 5/6: never message until the user writes
    FAILED = "failed"  # permanent error (bad request): record, no retry


@dataclass(frozen=True, slots=True)
class SendResult:
    outcome: Outcome
    message_id: str | None = None
    retry_after: float | None = None
    error: str | None = None


class Sender(Protocol):
    @property
    def channel(self) -> Channel: ...

    async def send(self, address: Address, reply: Reply) -> SendResult: ...
