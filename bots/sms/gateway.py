"""What an SMS gateway does for tourdesk, whichever company runs it: send one text to one
number, and tell what became of messages it accepted. TurboSMS is one implementation
(bots/sms/turbosms.py); another gateway (SMS Club, ...) is one more class with these two
methods and its own answer codes mapped onto :class:`Verdict`."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class Verdict(StrEnum):
    ACCEPTED = "accepted"  # the gateway took the message (message id when it gave one)
    DUPLICATE = "duplicate"  # the same text to the same number was taken moments ago: sent
    RETRY = "retry"  # the gateway or the network failed: try again later
    HOLD = "hold"  # the account cannot send now (balance, token, sender): the channel waits
    BAD_NUMBER = "bad-number"  # not a number the gateway can deliver to: never retry
    STOPPED = "stopped"  # the number is in the gateway's stop list: the person opted out
    REFUSED = "refused"  # this message is refused (too long, ...): no retry


@dataclass(frozen=True, slots=True)
class SendAnswer:
    verdict: Verdict
    message_id: str | None = None
    code: int | None = None  # the gateway's own answer code, for the error column
    detail: str = ""
    retry_after: float | None = None  # seconds, when the gateway wants a retry sooner or later


class Delivery(StrEnum):
    PENDING = "pending"  # still on its way
    DELIVERED = "delivered"
    FAILED = "failed"  # expired, rejected, undeliverable


@dataclass(frozen=True, slots=True)
class StatusAnswer:
    message_id: str
    state: Delivery
    detail: str = ""


class SmsGateway(Protocol):
    name: str

    async def send(self, phone: str, text: str) -> SendAnswer:
        """Send ``text`` to ``phone`` (E.164, with the plus); never raises for the gateway's
        or the network's failures: they become a verdict."""
        ...

    async def statuses(self, message_ids: list[str]) -> list[StatusAnswer]:
        """What became of messages the gateway accepted (unknown ids are left out)."""
        ...

    async def close(self) -> None: ...
