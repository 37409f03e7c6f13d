"""Flood control per user, for every messenger: more than ``rules.delivery.flood_messages``
events within ``flood_window_seconds`` and the excess is ignored, with one polite note.

Counted with the shared :mod:`core.ratelimit` limiter (Redis when configured), so a user who
spreads a burst over several processes is still counted once. Ignored events do not count,
so a user is heard again as soon as the window has room. The console channel (the operator's
own terminal, the offline demo) is exempt.
"""

from __future__ import annotations

from core.contract import Channel, Incoming, Reply
from core.i18n import T
from core.ratelimit import Limit, Rate, limiter_for
from core.services import Services

EXEMPT = frozenset({Channel.CONSOLE})


async def hold(services: Services, incoming: Incoming, t: T) -> list[Reply] | None:
    """None: go on handling. Otherwise the answer to a flooding user: one note, then nothing."""
    if incoming.channel in EXEMPT:
        return None
    rules = services.rules.delivery
    who = f"{incoming.channel.value}:{incoming.user_id}"
    limiter = limiter_for(services)
    rate = Rate(rules.flood_messages, rules.flood_window_seconds)
    reservation = await limiter.reserve([Limit(f"flood:{who}", rate)], max_wait=0)
    if reservation.granted:
        return None
    if await limiter.once(f"flood-note:{who}", rules.flood_window_seconds):
        return [Reply(t("hint-flood"))]
    return []
