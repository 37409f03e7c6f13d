"""Provider events left at ``received`` (the process died between storing a callback and
applying it) are verified again from the stored body and applied through the same
exactly-once path, until each is applied or rejected with a reason."""

from __future__ import annotations

import logging
from datetime import timedelta

from core.payments.processing import apply_callback, verify
from core.payments.registry import payment_providers
from core.payments.sandbox import SandboxProvider
from core.services import Services
from storage.models import ProviderEvent

log = logging.getLogger("tourdesk.payments")

STUCK_AFTER = timedelta(minutes=5)  # a live callback is long done by then
BATCH = 100
MAX_ATTEMPTS = 10


async def stuck_events(services: Services) -> list[ProviderEvent]:
    cutoff = services.clock.now() - STUCK_AFTER
    return (
        await ProviderEvent.filter(outcome="received", received_at__lte=cutoff)
        .order_by("received_at", "id")
        .limit(BATCH)
    )


async def retry_stuck(services: Services) -> int:
    """Retry a batch of stuck events; returns how many were settled (applied or rejected)."""
    settled = 0
    for event in await stuck_events(services):
        try:
            outcome = await _retry(services, event)
        except Exception:
            log.exception("stuck provider event %s: retry failed", event.id)
            attempts = event.attempts + 1
            values: dict[str, object] = {"attempts": attempts}
            if attempts >= MAX_ATTEMPTS:
                values["outcome"] = "rejected: retries exhausted"
            await ProviderEvent.filter(id=event.id, outcome="received").update(**values)
            continue
        settled += 1
        log.info("stuck provider event %s retried: %s", event.id, outcome)
    return settled


async def _reject(event: ProviderEvent, reason: str) -> str:
    outcome = f"rejected: {reason}"[:64]
    await ProviderEvent.filter(id=event.id).update(outcome=outcome, attempts=event.attempts + 1)
    return outcome


async def _retry(services: Services, event: ProviderEvent) -> str:
    provider = payment_providers(services).get(event.provider)
    if provider is None:
        return await _reject(event, "provider not configured")
    body = event.body.encode("utf-8")
    if event.body_size is not None and event.body_size != len(body):
        return await _reject(event, "body not kept whole")
    if isinstance(provider, SandboxProvider):
        await provider.ready()
    verdict = verify(provider, body, {})
    if verdict.callback is None:
        return await _reject(event, verdict.reason)
    await ProviderEvent.filter(id=event.id).update(attempts=event.attempts + 1)
    applied = await apply_callback(services, verdict.callback, event.id)
    return applied.outcome


async def anything_stuck() -> bool:
    return await ProviderEvent.filter(outcome="received").exists()
