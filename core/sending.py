"""What a channel's outbox sender must do, and what it reports back.

A :class:`Sender` lives in ``bots/`` (one per messenger); the delivery engine in
``core/delivery.py`` claims outbox rows and hands each to the sender of its channel, then
records the :class:`SendResult`. Senders never raise for platform errors: they classify them.

Pacing is the engine's job, not the sender's. A sender that can split a message into parts
implements :meth:`PartSender.send_parts`: it starts at ``ctx.start`` (parts already delivered by
an earlier attempt) and awaits ``ctx.before_part(i)`` before each part — that call paces the
chat, confirms the claim is still held (raising :class:`LostClaim` when it is not: the part is
never sent) and records how many parts went out, so a retry resumes from the failed part.

A channel that can change a message it sent (Telegram ``editMessageText``) also implements
:meth:`EditSender.edit`; the engine uses it for rows that replace an earlier message
(``Outbox.enqueue(..., replaces=key)``, core/replacing.py). A channel without it gets a new
message instead, and its spec says ``edit_in_place=False`` so producers send less often.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from core.contract import Address, ChannelName, Reply


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # transient: network, 5xx; backs off and uses an attempt
    THROTTLED = "throttled"  # the platform said "too many requests": wait, no attempt used
    DEFER = "defer"  # not now by our own limits (pacing, Viber's hourly cap): no attempt used
    BLOCKED = "blocked"  # the user blocked the bot / chat not found: never retry
    UNSUBSCRIBED = "unsubscribed"  # Viber 5/6: never message until the user writes
    FAILED = "failed"  # permanent error (bad request): record, no retry


class Scope(StrEnum):
    CHAT = "chat"  # a 429 about this chat: only its messages wait
    CHANNEL = "channel"  # the whole channel must wait (global flood control)


@dataclass(frozen=True, slots=True)
class SendResult:
    outcome: Outcome
    message_id: str | None = None
    retry_after: float | None = None
    error: str | None = None
    scope: Scope = Scope.CHAT
    parts_sent: int | None = None  # parts delivered in total (when the sender splits)


class LostClaim(Exception):
    """The row was re-claimed by another process or cancelled: send nothing more."""


@dataclass(frozen=True, slots=True)
class SendContext:
    lane: str
    start: int  # parts already delivered
    before_part: Callable[[int], Awaitable[None]]
    kind: str = ""  # the outbox row's kind ("payment.receipt", "mailing", ...)
    account_id: int | None = None  # the recipient's messenger account row


class Sender(Protocol):
    @property
    def channel(self) -> ChannelName: ...

    async def send(self, address: Address, reply: Reply) -> SendResult: ...


@runtime_checkable
class PartSender(Protocol):
    async def send_parts(self, address: Address, reply: Reply, ctx: SendContext) -> SendResult: ...


@runtime_checkable
class EditSender(Protocol):
    async def edit(
        self, address: Address, message_id: str, reply: Reply, ctx: SendContext
    ) -> SendResult:
        """Show ``reply`` in place of message ``message_id`` (awaiting ``ctx.before_part(0)``
        first). The result's ``message_id`` is the message that now shows it: the same one, or
        a new one when the old could not be edited (deleted by the user, say)."""
        ...
