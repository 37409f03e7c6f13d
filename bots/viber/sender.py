"""The outbox's Viber sender: render, send, classify Viber's verdict.

Viber's status in the body decides: 0 sent; 5/6 the user is gone until they write again; 12
too many requests (retry later); anything else is a permanent error recorded on the row.
Network trouble and 5xx are retried. Viber allows at most 100 messages to one user per hour
while they do not write back; the sender keeps under that by asking the worker to come back
when the hour window has room again (the message is kept, never dropped).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from bots.viber.client import (
    TOO_MANY_REQUESTS,
    UNSUBSCRIBED_STATUSES,
    ApiResult,
    ViberClient,
    ViberHttpError,
    ViberTransportError,
)
from bots.viber.render import Renderer
from bots.viber.spec import NAME
from core import accounts, receipts
from core.clock import Clock
from core.contract import Address, Reply
from core.sending import Outcome, SendContext, SendResult

log = logging.getLogger("tourdesk.viber")

HOURLY_LIMIT = 100  # messages to one user per hour without a reply from them
WINDOW = timedelta(hours=1)
THROTTLE_WAIT = 60.0  # seconds this user's messages wait after Viber's "too many requests"


def classify(result: ApiResult) -> SendResult:
    if result.ok:
        return SendResult(Outcome.SENT, message_id=result.message_token)
    if result.status in UNSUBSCRIBED_STATUSES:
        return SendResult(Outcome.UNSUBSCRIBED, error=result.describe())
    if result.status == TOO_MANY_REQUESTS:
        return SendResult(Outcome.THROTTLED, retry_after=THROTTLE_WAIT, error=result.describe())
    return SendResult(Outcome.FAILED, error=result.describe())


class ViberSender:
    channel = NAME

    def __init__(self, client: ViberClient, renderer: Renderer, clock: Clock) -> None:
        self.client = client
        self.renderer = renderer
        self.clock = clock

    async def send(self, address: Address, reply: Reply) -> SendResult:
        """Deliver one outbox message (not a direct reply: those skip the hourly check)."""
        wait = await self.hourly_wait(address)
        if wait is not None:
            return SendResult(
                Outcome.DEFER,
                retry_after=wait,
                error=f"viber: {HOURLY_LIMIT} messages an hour without a reply reached",
            )
        return await self.deliver(address, reply)

    async def send_parts(self, address: Address, reply: Reply, ctx: SendContext) -> SendResult:
        """The engine's entry: the hourly check, then the parts from ``ctx.start`` on."""
        wait = await self.hourly_wait(address)
        if wait is not None:
            return SendResult(
                Outcome.DEFER,
                retry_after=wait,
                error=f"viber: {HOURLY_LIMIT} messages an hour without a reply reached",
            )
        return await self.deliver(address, reply, ctx)

    async def deliver(
        self, address: Address, reply: Reply, ctx: SendContext | None = None
    ) -> SendResult:
        """Send every part of ``reply``; the result is the last part's (or the first failure)."""
        result = SendResult(Outcome.FAILED, error="nothing to send")
        bodies = list(self.renderer.messages(reply, receiver=address.user_id))
        start = ctx.start if ctx is not None else 0
        for index in range(start, len(bodies)):
            if ctx is not None:
                await ctx.before_part(index)
            try:
                api = await self.client.send_message(bodies[index])
            except ViberTransportError as exc:
                return SendResult(
                    Outcome.RETRY, retry_after=exc.retry_after, error=str(exc), parts_sent=index
                )
            except ViberHttpError as exc:
                return SendResult(Outcome.FAILED, error=str(exc), parts_sent=index)
            result = classify(api)
            if result.outcome is not Outcome.SENT:
                log.info("viber send to %s: %s", address.user_id, result.error)
                return SendResult(
                    result.outcome,
                    retry_after=result.retry_after,
                    error=result.error,
                    scope=result.scope,
                    parts_sent=index,
                )
        return SendResult(
            result.outcome,
            message_id=result.message_id,
            error=result.error,
            parts_sent=len(bodies),
        )

    async def hourly_wait(self, address: Address) -> float | None:
        """Seconds until one more message fits in Viber's hourly window; None when it fits now."""
        now = self.clock.now()
        since = now - WINDOW
        account = await accounts.find(address)
        if account is not None and account.last_inbound_at is not None:
            since = max(since, account.last_inbound_at)
        sent = await receipts.sent_since(address, since)
        if len(sent) < HOURLY_LIMIT:
            return None
        frees_at = sent[len(sent) - HOURLY_LIMIT] + WINDOW
        return max((frees_at - now).total_seconds(), 0.0) + 1.0
