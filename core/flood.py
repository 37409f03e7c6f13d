"""Flood control per user, for every messenger: more than ``rules.delivery.flood_messages``
events within ``flood_window_seconds`` and the excess is ignored, with one polite note.

Counted with the shared :mod:`core.ratelimit` limiter (Redis when configured), so a user who
spreads a burst over several processes is still counted once. Ignored events do not count,
so a user is heard again as soon as the window has room. A channel its spec marks trusted (the
operator's own console, the offline demo) is exempt.

A channel that claims updates books the event with the claim (``turn.claim(..., flood=limit(...))``,
one Redis round trip for both); :func:`hold` then only reads the verdict.
"""

from __future__ import annotations

from core import turn
from core.contract import Incoming, Reply
from core.i18n import T
from core.ratelimit import Limit, Rate
from core.services import Services


def limit(services: Services, incoming: Incoming) -> Limit | None:
    """The limit ``incoming`` counts under; None when its channel is trusted (not counted)."""
    if services.channels.trusted(incoming.channel):
        return None
    rules = services.rules.delivery
    rate = Rate(rules.flood_messages, rules.flood_window_seconds)
    return Limit(f"flood:{incoming.channel}:{incoming.user_id}", rate)


async def hold(services: Services, incoming: Incoming, t: T) -> list[Reply] | None:
    """None: go on handling. Otherwise the answer to a flooding user: one note, then nothing."""
    counted = limit(services, incoming)
    if counted is None:
        return None
    limiter = services.limiter
    granted = turn.flood_verdict(incoming.address)  # booked with the update's claim
    if granted is None:
        granted = (await limiter.reserve([counted], max_wait=0)).granted
    if granted:
        return None
    rules = services.rules.delivery
    who = f"{incoming.channel}:{incoming.user_id}"
    if await limiter.once(f"flood-note:{who}", rules.flood_window_seconds):
        return [Reply(t("hint-flood"))]
    return []
