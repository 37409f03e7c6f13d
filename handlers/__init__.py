"""Conversation flows, channel-neutral: Incoming -> state -> [Reply]."""

from importlib import import_module

from handlers.router import Router

# One line per flow module; each owns a Router named ``router``.
FLOWS = [
    "handlers.menu",
    "handlers.identity",
    "handlers.claims",
    "handlers.settings",
    "handlers.tour_request",
    "handlers.trips",
    "handlers.relay",
    "handlers.review",
    "handlers.pay",
    "handlers.balance",
    "handlers.mailings",
    "handlers.staff",
    "handlers.help",
]


def build_router() -> Router:
    root = Router()
    for name in FLOWS:
        root.include(import_module(name).router)
    return root
