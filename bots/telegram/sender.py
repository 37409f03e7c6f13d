"""The outbox sender for Telegram: paced sends, platform errors classified, never raised.

Pacing: about one message a second per chat and ``TELEGRAM_GLOBAL_RATE`` (30/s) in total,
counted by the shared limiter (Redis when configured, so all processes together keep to it).
The sender waits the computed delay; when it would have to wait longer than ``max_wait`` it
hands the message back to the worker with ``retry_after`` instead of holding the batch.
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

from bots.telegram.render import Renderer
from core.contract import Address, Channel, Reply
from core.ratelimit import Limit, Limiter, Rate
from core.sending import Outcome, SendResult

log = logging.getLogger("tourdesk.telegram")

PER_CHAT = Rate(1, 1.0)  # Telegram: avoid more than one message per second in a chat
MAX_WAIT = 5.0  # seconds the sender may wait for a slot before handing the row back
GONE = ("chat not found", "user not found", "peer_id_invalid", "user is deactivated")


class Paced(Exception):
    def __init__(self, wait: float) -> None:
        super().__init__(f"paced: next slot in {wait:.2f}s")
        self.wait = wait


def classify(exc: BaseException) -> SendResult:
    """An error from the Bot API (or the way to it) -> what the delivery worker should do."""
    text = str(exc)
    if isinstance(exc, TelegramRetryAfter):
        return SendResult(Outcome.RETRY, retry_after=float(exc.retry_after), error=text)
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


class TelegramSender:
    channel = Channel.TELEGRAM

    def __init__(
        self,
        renderer: Renderer,
        limiter: Limiter,
        *,
        global_rate: float,
        per_chat: Rate = PER_CHAT,
        max_wait: float = MAX_WAIT,
    ) -> None:
        self.renderer = renderer
        self.limiter = limiter
        self.global_rate = Rate(global_rate, 1.0)
        self.per_chat = per_chat
        self.max_wait = max_wait

    def _limits(self, chat_id: int) -> list[Limit]:
        return [
            Limit(f"telegram:chat:{chat_id}", self.per_chat),
            Limit("telegram:global", self.global_rate),
        ]

    async def send(self, address: Address, reply: Reply) -> SendResult:
        try:
            chat_id = int(address.user_id)
        except ValueError:
            return SendResult(Outcome.FAILED, error=f"not a Telegram chat id: {address.user_id!r}")
        first = True

        async def pace() -> None:
            nonlocal first
            # The first part may be handed back; once a message has started, its parts follow.
            reservation = await self.limiter.reserve(
                self._limits(chat_id), max_wait=self.max_wait if first else None
            )
            if not reservation.granted:
                raise Paced(reservation.wait)
            first = False
            if reservation.wait > 0:
                await asyncio.sleep(reservation.wait)

        try:
            ids = await self.renderer.send(chat_id, reply, pace=pace)
        except Paced as exc:
            return SendResult(Outcome.DEFER, retry_after=exc.wait, error=str(exc))
        except (TelegramAPIError, ClientDecodeError, aiohttp.ClientError, TimeoutError) as exc:
            result = classify(exc)
            log.warning(
                "send failed channel=telegram outcome=%s error=%s", result.outcome, result.error
            )
            return result
        return SendResult(Outcome.SENT, message_id=str(ids[0]) if ids else None)
