"""Flood control per user, for every messenger: more than ``rules.delivery.flood_messages``
events within ``flood_window_seconds`` and the excess is ignored, with one polite note.

Counted with the shared :mod:`core.ratelimit` limiter (Redis when configured), so a user who
spreads a burst over several processes is still counted once. Ignored events do not count,
so a user is heard again as soon as the window has room. A channel its spec marks trusted (the
operator's own console, the offline demo) is exempt.
"""

from __future__ import annotations

from core.contract import Incoming, Reply
from core.i18n import T
from core.ratelimit import Limit, Rate
from core.services import Services


async def hold(services: Services, incoming: Incoming, t: T) -> list[Reply] | None:
    """None: go on handling. Otherwise the answer to a flooding user: one note, then nothing."""
    if services.channels.trusted(incoming.channel):
        return None
    rules = services.rules.delivery
    who = f"{incoming.channel}:{incoming.user_id}"
    limiter = services.limiter
    rate = Rate(rules.flood_messages, rules.flood_window_seconds)
    reservation = await limiter.reserve([Limit(f"flood:{who}", rate)], max_wait=0)
    if reservation.granted:
        return None
    if await limiter.once(f"flood-note:{who}", rules.flood_window_seconds):
        return [Reply(t("hint-flood"))]
    return []
