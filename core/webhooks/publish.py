"""Publishing an event: once per cause, in the caller's transaction, fanned out to endpoints."""

from __future__ import annotations

import logging
import uuid
from typing import TYPE_CHECKING, Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.webhooks.types import EVENT_TYPES, selects
from storage.models import WebhookEvent

if TYPE_CHECKING:
    from core.services import Services

log = logging.getLogger(__name__)

DELIVER = "webhook.deliver"  # the job kind


def new_event_id() -> str:
    return f"evt_{uuid.uuid4().hex}"


def delivery_key(event_id: str, endpoint: str, chain: str, attempt: int) -> str:
    """One planned attempt: a retry or a replay can never be planned twice."""
    return f"webhook:{event_id}:{endpoint}:{chain}:{attempt}"


def subscribers(services: Services, event_type: str) -> list[str]:
    return [
        name
        for name, endpoint in services.rules.webhooks.endpoints.items()
        if endpoint.enabled and selects(endpoint.events, event_type)
    ]


async def publish(
    services: Services,
    event_type: str,
    ref: str,
    data: dict[str, Any],
    *,
    client_id: int | None = None,
) -> WebhookEvent | None:
    """Record ``event_type`` caused by ``ref`` (unique: a second publish of the same cause —
    a duplicated callback, a retried job — does nothing) and plan its deliveries.

    Runs inside the caller's transaction when there is one (a savepoint keeps a duplicate from
    spoiling it), so the event exists exactly when the change that caused it does. With no
    endpoint subscribed nothing is written. ``client_id`` says whom the event is about, so
    erasing that client scrubs it.
    """
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event {event_type!r}")
    endpoints = subscribers(services, event_type)
    if not endpoints:
        return None
    now = services.clock.now()
    try:
        async with in_transaction():
            event = await WebhookEvent.create(
                uid=new_event_id(),
                type=event_type,
                ref=f"{event_type}:{ref}"[:191],
                data=data,
                client_id=client_id,
                created_at=now,
            )
            for name in endpoints:
                await plan(services, event, name, chain="0", attempt=1, at=now)
    except IntegrityError:
        log.debug("webhook event %s for %s already published", event_type, ref)
        return None
    return event


async def plan(
    services: Services, event: WebhookEvent, endpoint: str, *, chain: str, attempt: int, at: Any
) -> bool:
    job = await services.jobs.schedule(
        DELIVER,
        at,
        {"event": event.id, "endpoint": endpoint, "chain": chain, "attempt": attempt},
        dedupe_key=delivery_key(event.uid, endpoint, chain, attempt),
    )
    return job is not None


async def replay(services: Services, uid: str, endpoint: str | None = None) -> list[str]:
    """Send an event again (to one endpoint or to all that subscribe to its type now), as a new
    chain of attempts with the same event id; returns the endpoints planned."""
    event = await WebhookEvent.get_or_none(uid=uid)
    if event is None:
        raise LookupError(uid)
    names = subscribers(services, event.type) if endpoint is None else [endpoint]
    chain = uuid.uuid4().hex[:12]
    now = services.clock.now()
    for name in names:
        await plan(services, event, name, chain=chain, attempt=1, at=now)
    return names
