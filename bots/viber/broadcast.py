"""Viber ``broadcast_message``: one message to up to 300 subscribed users per request.

The body is a ``send_message`` body with ``broadcast_list`` instead of ``receiver``; Viber
allows 500 such requests per 10 s. The answer's ``status`` is about the request as a whole
(12: too many requests, the whole batch waits); receivers it could not reach come back in
``failed_list`` with their own status: 5/6 (not registered / not subscribed) mark the user
unsubscribed, anything else is retried. The delivery engine groups the rows (core/batching.py).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from bots.viber.client import (
    TOO_MANY_REQUESTS,
    UNSUBSCRIBED_STATUSES,
    ViberClient,
    ViberHttpError,
    ViberTransportError,
)
from bots.viber.render import Renderer
from bots.viber.sender import THROTTLE_WAIT, classify
from core.batching import BatchResult, BatchSender
from core.contract import ChannelName, Reply
from core.ratelimit import Rate
from core.sending import Outcome, SendResult

log = logging.getLogger("tourdesk.viber")

METHOD = "broadcast_message"
MAX_RECEIVERS = 300
REQUESTS = Rate(500, 10.0, burst=1)  # 500 requests per 10 s, evenly spread


def receiver_result(entry: dict[str, Any]) -> SendResult:
    """One entry of ``failed_list`` -> what happens to that receiver's row."""
    try:
        status = int(entry.get("status", -1))
    except (TypeError, ValueError):
        status = -1
    error = f"viber status {status}: {entry.get('status_message', '')}"
    if status in UNSUBSCRIBED_STATUSES:
        return SendResult(Outcome.UNSUBSCRIBED, error=error)
    if status == TOO_MANY_REQUESTS:
        return SendResult(Outcome.THROTTLED, retry_after=THROTTLE_WAIT, error=error)
    return SendResult(Outcome.RETRY, error=error)


class ViberBroadcaster:
    """The :class:`~core.batching.BatchSender` of the Viber channel."""

    channel: ChannelName = "viber"
    max_receivers = MAX_RECEIVERS
    rate = REQUESTS

    def __init__(self, client: ViberClient, renderer: Renderer) -> None:
        self.client = client
        self.renderer = renderer

    def parts(self, reply: Reply) -> int:
        return len(self.renderer.messages(reply, receiver=None))

    async def send_part(self, receivers: Sequence[str], reply: Reply, index: int) -> BatchResult:
        body = self.renderer.messages(reply, receiver=None)[index]
        body["broadcast_list"] = list(receivers)
        try:
            api = await self.client.call(METHOD, body)
        except ViberTransportError as exc:
            return BatchResult(
                SendResult(Outcome.RETRY, retry_after=exc.retry_after, error=str(exc))
            )
        except ViberHttpError as exc:
            return BatchResult(SendResult(Outcome.FAILED, error=str(exc)))
        if not api.ok:
            log.info("viber broadcast to %d receivers: %s", len(receivers), api.describe())
            return BatchResult(classify(api))
        failed: dict[str, SendResult] = {}
        for entry in api.data.get("failed_list") or []:
            if isinstance(entry, dict) and entry.get("receiver") is not None:
                failed[str(entry["receiver"])] = receiver_result(entry)
        return BatchResult(SendResult(Outcome.SENT, message_id=api.message_token), failed)


def batch_sender(adapter: object) -> BatchSender | None:
    """The Viber adapter's broadcaster (declared on the Viber ChannelSpec)."""
    from bots.viber.channel import ViberChannel

    if isinstance(adapter, ViberChannel):
        return ViberBroadcaster(adapter.client, adapter.renderer)
    return None
