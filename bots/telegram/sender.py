"""The outbox sender for Telegram: send a message's parts, classify the Bot API's errors.

Pacing (about one message a second per chat, 30/s for the bot) is the delivery engine's job
(core/delivery.py, core/pacing.py): this sender awaits ``ctx.before_part(i)`` before each part,
which paces, confirms the claim and records the parts already sent, so a retry resumes from
the part that failed. The bulk lane may use ``allow_paid_broadcast`` (TELEGRAM_PAID_BROADCAST).
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramBadRequest,
    TelegramEntityTooLarge,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)

from bots.telegram.render import Part, Renderer, editable, encoded_tail, plan
from bots.telegram.spec import NAME
from core.contract import Address, Reply
from core.sending import Outcome, SendContext, SendResult

log = logging.getLogger("tourdesk.telegram")

PLAN_CACHE = 256  # replies kept planned and encoded
GONE = ("chat not found", "user not found", "peer_id_invalid", "user is deactivated")
NOT_MODIFIED = "message is not modified"  # the message already shows this: done
# the message to edit is gone (deleted by the user) or too old: show a new one instead
UNEDITABLE = ("message to edit not found", "message can't be edited")


def classify(exc: BaseException) -> SendResult:
    """An error from the Bot API (or the way to it) -> what the delivery worker should do."""
    text = str(exc)
    if isinstance(exc, TelegramRetryAfter):
        # Telegram's flood control is about the chat we wrote to; the engine also keeps the
        # bot's global rate, so a 429 holds back this chat only
        return SendResult(Outcome.THROTTLED, retry_after=float(exc.retry_after), error=text)
    if isinstance(exc, TelegramForbiddenError):
        return SendResult(Outcome.BLOCKED, error=text)
    if isinstance(exc, TelegramBadRequest):
        gone = any(marker in exc.message.lower() for marker in GONE)
        return SendResult(Outcome.BLOCKED if gone else Outcome.FAILED, error=text)
    if isinstance(exc, TelegramEntityTooLarge):
        return SendResult(Outcome.FAILED, error=text)
    if isinstance(
        exc,
        TelegramNetworkError
        | TelegramServerError
        | TelegramUnauthorizedError  # a token problem the operator will fix: keep the message
        | ClientDecodeError
        | aiohttp.ClientError
        | asyncio.TimeoutError,
    ):
        return SendResult(Outcome.RETRY, error=text)
    return SendResult(Outcome.FAILED, error=text)


async def _no_check(index: int) -> None:
    return None


class TelegramSender:
    channel = NAME

    def __init__(
        self, renderer: Renderer, *, paid_broadcast: bool = False, part_timeout: float = 30.0
    ) -> None:
        self.renderer = renderer
        self.paid_broadcast = paid_broadcast
        self.part_timeout = part_timeout
        # a mailing sends one reply to thousands of chats: planned and encoded once
        self._plans: dict[tuple[Reply, bool], list[tuple[Part, bytes | None]]] = {}

    def _plan(self, reply: Reply, paid: bool) -> list[tuple[Part, bytes | None]]:
        key = (reply, paid)
        try:
            planned = self._plans.get(key)
        except TypeError:  # something unhashable in it: plan it for this send only
            return [(p, encoded_tail(p, paid=paid)) for p in plan(reply)]
        if planned is None:
            if len(self._plans) >= PLAN_CACHE:
                self._plans.clear()
            planned = [(p, encoded_tail(p, paid=paid)) for p in plan(reply)]
            self._plans[key] = planned
        return planned

    async def send(self, address: Address, reply: Reply) -> SendResult:
        return await self.send_parts(address, reply, SendContext("direct", 0, _no_check))

    async def send_parts(self, address: Address, reply: Reply, ctx: SendContext) -> SendResult:
        try:
            chat_id = int(address.user_id)
        except ValueError:
            return SendResult(Outcome.FAILED, error=f"not a Telegram chat id: {address.user_id!r}")
        paid = self.paid_broadcast and ctx.lane == "bulk"
        parts = self._plan(reply, paid)
        first_id: str | None = None
        index = ctx.start
        try:
            for index in range(ctx.start, len(parts)):
                await ctx.before_part(index)
                part, tail = parts[index]
                # bounded, so that a stalled Bot API cannot outlive the claim's lease: by the
                # HTTP client's own timer (not a wait_for task and timer more per part)
                message_id = await self.renderer.send_encoded(
                    chat_id, part, tail, paid, self.part_timeout
                )
                if first_id is None:
                    first_id = str(message_id)
        except (TelegramAPIError, ClientDecodeError, aiohttp.ClientError, TimeoutError) as exc:
            return _failed(exc, index)
        return SendResult(Outcome.SENT, message_id=first_id, parts_sent=len(parts))

    async def edit(
        self, address: Address, message_id: str, reply: Reply, ctx: SendContext
    ) -> SendResult:
        """editMessageText on ``message_id``; a new message when that one cannot be edited."""
        if not editable(reply):
            return await self.send_parts(address, reply, ctx)
        try:
            chat_id, old_id = int(address.user_id), int(message_id)
        except ValueError:
            return await self.send_parts(address, reply, ctx)
        await ctx.before_part(ctx.start)
        try:
            await asyncio.wait_for(
                self.renderer.edit_text(chat_id, old_id, reply), self.part_timeout
            )
        except TelegramBadRequest as exc:
            text = exc.message.lower()
            if NOT_MODIFIED in text:
                return SendResult(Outcome.SENT, message_id=message_id, parts_sent=1)
            if any(marker in text for marker in UNEDITABLE):
                # the slot booked for the edit goes to the new message
                return await self.send_parts(address, reply, _slot_taken(ctx))
            return _failed(exc, 0)
        except (TelegramAPIError, ClientDecodeError, aiohttp.ClientError, TimeoutError) as exc:
            return _failed(exc, 0)
        return SendResult(Outcome.SENT, message_id=message_id, parts_sent=1)


def _slot_taken(ctx: SendContext) -> SendContext:
    """``ctx`` whose first part is already paced and confirmed."""

    async def before(index: int) -> None:
        if index != ctx.start:
            await ctx.before_part(index)

    return SendContext(ctx.lane, ctx.start, before)


def _failed(exc: BaseException, parts_sent: int) -> SendResult:
    result = classify(exc)
    log.warning("send failed channel=telegram outcome=%s error=%s", result.outcome, result.error)
    return SendResult(
        result.outcome,
        retry_after=result.retry_after,
        error=result.error,
        scope=result.scope,
        parts_sent=parts_sent,
    )
