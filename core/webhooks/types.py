"""The events tourdesk publishes (a contract with the agency's systems: add, never rename)."""

from __future__ import annotations

EVENT_TYPES = (
    "client.created",
    "request.created",
    "order.created",
    "order.status_changed",
    "payment.succeeded",
    "payment.refunded",
    "booking.cancelled",
    "review.received",
)


def selects(patterns: tuple[str, ...], event_type: str) -> bool:
    """Whether an endpoint subscribed to ``patterns`` (``*``, ``payment.*`` or a full type)
    wants ``event_type``."""
    for pattern in patterns:
        if pattern == "*" or pattern == event_type:
            return True
        if pattern.endswith(".*") and event_type.startswith(pattern[:-1]):
            return True
    return False


def check_pattern(pattern: str) -> str:
    """A subscription pattern that matches no event type is a typo: refuse it."""
    if not any(selects((pattern,), t) for t in EVENT_TYPES):
        raise ValueError(f"unknown event {pattern!r}: use one of {', '.join(EVENT_TYPES)}, or *")
    return pattern
