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

from bots.telegram.render import Renderer, plan
from bots.telegram.spec import NAME
from core.contract import Address, Reply
from core.sending import Outcome, SendContext, SendResult

log = logging.getLogger("tourdesk.telegram")

GONE = ("chat not found", "user not found", "peer_id_invalid", "user is deactivated")


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

    async def send(self, address: Address, reply: Reply) -> SendResult:
        return await self.send_parts(address, reply, SendContext("direct", 0, _no_check))

    async def send_parts(self, address: Address, reply: Reply, ctx: SendContext) -> SendResult:
        try:
            chat_id = int(address.user_id)
        except ValueError:
            return SendResult(Outcome.FAILED, error=f"not a Telegram chat id: {address.user_id!r}")
        parts = plan(reply)
        paid = self.paid_broadcast and ctx.lane == "bulk"
        first_id: str | None = None
        index = ctx.start
        try:
            for index in range(ctx.start, len(parts)):
                await ctx.before_part(index)
                # bounded, so that a stalled Bot API cannot outlive the claim's lease
                message = await asyncio.wait_for(
                    self.renderer.send_part(chat_id, parts[index], paid=paid), self.part_timeout
                )
                if first_id is None:
                    first_id = str(message.message_id)
        except (TelegramAPIError, ClientDecodeError, aiohttp.ClientError, TimeoutError) as exc:
            result = classify(exc)
            log.warning(
                "send failed channel=telegram outcome=%s error=%s", result.outcome, result.error
            )
            return SendResult(
                result.outcome,
                retry_after=result.retry_after,
                error=result.error,
                scope=result.scope,
                parts_sent=index,
            )
        return SendResult(Outcome.SENT, message_id=first_id, parts_sent=len(parts))
