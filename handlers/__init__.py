"""Conversation flows, channel-neutral: Incoming -> state -> [Reply]."""

from handlers.router import Router


def build_router() -> Router:
    """The router of every flow; each flow module owns a :class:`Router` of its own."""
    from handlers import identity, menu, settings, soon

    root = Router()
    for module in (menu, identity, settings, soon):
        root.include(module.router)
    return root
