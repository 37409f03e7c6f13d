"""What every messenger adapter in bots/ offers the runtime.

An adapter translates its platform to the neutral contract: it feeds :class:`Incoming` to the
dispatcher, renders :class:`Reply`, and provides a :class:`Sender` for the outbox. Adding a
messenger is one new module implementing this and one line in ``bots/app.py``.
"""

from __future__ import annotations

from typing import Protocol

from aiohttp import web

from core.sending import Sender


class ChannelAdapter(Protocol):
    name: str

    @property
    def sender(self) -> Sender:
        """Sends this channel's outbox rows."""

    def setup_web(self, app: web.Application) -> None:
        """Add this channel's webhook routes to the shared web app (may do nothing)."""

    async def start(self) -> None:
        """Begin receiving (polling loop, webhook registration); must return promptly."""

    async def stop(self) -> None:
        """Stop receiving and close connections; in-flight updates finish first."""
