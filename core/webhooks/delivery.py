"""Delivering an event to one endpoint: POST, log the attempt, plan the next one on failure.

Accepted means a 2xx answer within ``[webhooks] timeout_seconds``. Anything else — another
status, a timeout, a refused connection — is logged and tried again after a growing wait
(:class:`core.backoff.BackoffConfig` from ``retry_min_seconds`` to ``retry_max_seconds``) until
``max_attempts``; then the event stays in the log as failed, and ``tourdesk webhooks replay``
can send it again later. The body is the same bytes on every attempt; the signature's
timestamp is the moment of the attempt.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import aiohttp

from core import metrics
from core.backoff import BackoffConfig
from core.webhooks import signing
from core.webhooks.publish import DELIVER, plan
from core.webhooks.secrets import secret_of
from storage.models import Job, WebhookDelivery, WebhookEvent

if TYPE_CHECKING:
    from core.services import Services

log = logging.getLogger(__name__)

USER_AGENT = "tourdesk-webhooks/1"
KEPT_ANSWER = 500  # characters of the receiver's answer kept in the log


def body_of(event: WebhookEvent) -> bytes:
    envelope = {
        "id": event.uid,
        "type": event.type,
        "created": event.created_at.isoformat(),
        "data": event.data,
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


def headers_of(event: WebhookEvent, secret: str, body: bytes, now: float) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Tourdesk-Event-Id": event.uid,
        "Tourdesk-Event-Type": event.type,
        signing.HEADER: signing.sign(secret, int(now), body),
    }


async def post(
    url: str, body: bytes, headers: dict[str, str], seconds: float
) -> tuple[int | None, str, str | None]:
    """(status or None, the start of the answer, what went wrong before an answer)."""
    try:
        async with (
            aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=seconds)) as session,
            session.post(url, data=body, headers=headers, allow_redirects=False) as response,
        ):
            text = await response.text(errors="replace")
            return response.status, text[:KEPT_ANSWER], None
    except TimeoutError:
        return None, "", f"no answer within {seconds:g} s"
    except aiohttp.ClientError as exc:
        return None, "", f"{type(exc).__name__}: {exc}"[:KEPT_ANSWER]


async def deliver(services: Services, job: Job) -> str:
    """Run one planned attempt; returns what happened (for logs and metrics)."""
    payload: dict[str, Any] = job.payload
    config = services.rules.webhooks
    name = str(payload["endpoint"])
    attempt = int(payload["attempt"])
    event = await WebhookEvent.get_or_none(id=payload["event"])
    endpoint = config.endpoints.get(name)
    if event is None:
        return "event-gone"
    if endpoint is None or not endpoint.enabled:
        log.warning("webhook %s: endpoint %s is no longer configured; not sent", event.uid, name)
        return "endpoint-gone"
    body = body_of(event)
    wall = time.time()
    started = time.monotonic()
    status, answer, error = await post(
        endpoint.url,
        body,
        headers_of(event, secret_of(services.settings, name, endpoint), body, wall),
        config.timeout_seconds,
    )
    ok = status is not None and 200 <= status < 300
    if status is not None and not ok:
        error = f"HTTP {status}"
    await WebhookDelivery.create(
        event_id=event.id,
        endpoint=name,
        url=endpoint.url,
        attempt=attempt,
        status_code=status,
        ok=ok,
        error=error,
        response=answer or None,
        duration_ms=int((time.monotonic() - started) * 1000),
        created_at=services.clock.now(),
    )
    if ok:
        metrics.WEBHOOKS.labels(name, "delivered").inc()
        return "delivered"
    if attempt >= config.max_attempts:
        metrics.WEBHOOKS.labels(name, "gave-up").inc()
        log.warning(
            "webhook %s (%s) to %s failed %d times; giving up (replay: tourdesk webhooks replay"
            " %s)",
            event.uid,
            event.type,
            name,
            attempt,
            event.uid,
        )
        return "gave-up"
    metrics.WEBHOOKS.labels(name, "retry").inc()
    wait = BackoffConfig(
        min_delay=config.retry_min_seconds, max_delay=config.retry_max_seconds
    ).delay(attempt)
    await plan(
        services,
        event,
        name,
        chain=str(payload.get("chain", "0")),
        attempt=attempt + 1,
        at=services.clock.now() + timedelta(seconds=wait),
    )
    return "retry"


def register(services: Services) -> None:
    @services.jobs.handler(DELIVER)
    async def _deliver(job: Job) -> None:
        outcome = await deliver(services, job)
        log.info(
            "webhook event=%s endpoint=%s attempt=%s outcome=%s",
            job.payload.get("event"),
            job.payload.get("endpoint"),
            job.payload.get("attempt"),
            outcome,
        )
