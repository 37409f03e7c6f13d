"""Routing an :class:`Incoming` to a handler: commands, button payloads, conversation state.

Order: a command (``/start``, ``/cancel``, …) always wins, so a user can escape any flow; a
button press goes to the handler of its payload's action; anything else goes to the handler of
the conversation's current state (exact name, or the longest ``prefix.*`` match); then the
fallback.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from core.contract import Incoming, Kind, Reply
from core.payloads import Payload, PayloadError, decode
from handlers.context import Context

Handler = Callable[[Context, Incoming], Awaitable[list[Reply]]]
ButtonHandler = Callable[[Context, Incoming, Payload], Awaitable[list[Reply]]]
T = TypeVar("T")


def _merge(mine: dict[str, T], theirs: dict[str, T]) -> None:
    clash = set(mine) & set(theirs)
    if clash:
        raise ValueError(f"routes registered twice: {sorted(clash)}")
    mine.update(theirs)


class Router:
    def __init__(self) -> None:
        self.commands: dict[str, Handler] = {}
        self.buttons: dict[str, ButtonHandler] = {}
        self.states: dict[str, Handler] = {}
        self.fallback_handler: Handler | None = None
        self.stale_button_handler: Handler | None = None

    def command(self, *names: str) -> Callable[[Handler], Handler]:
        def register(func: Handler) -> Handler:
            for name in names:
                self.commands[name] = func
            return func

        return register

    def button(self, *actions: str) -> Callable[[ButtonHandler], ButtonHandler]:
        def register(func: ButtonHandler) -> ButtonHandler:
            for action in actions:
                self.buttons[action] = func
            return func

        return register

    def state(self, *names: str) -> Callable[[Handler], Handler]:
        """Handle input while the conversation is in ``name`` (or ``prefix.*``)."""

        def register(func: Handler) -> Handler:
            for name in names:
                self.states[name] = func
            return func

        return register

    def fallback(self, func: Handler) -> Handler:
        self.fallback_handler = func
        return func

    def stale_button(self, func: Handler) -> Handler:
        self.stale_button_handler = func
        return func

    def include(self, other: Router) -> None:
        _merge(self.commands, other.commands)
        _merge(self.buttons, other.buttons)
        _merge(self.states, other.states)
        self.fallback_handler = self.fallback_handler or other.fallback_handler
        self.stale_button_handler = self.stale_button_handler or other.stale_button_handler

    def _state_handler(self, name: str | None) -> Handler | None:
        if not name:
            return None
        if name in self.states:
            return self.states[name]
        parts = name.split(".")
        for cut in range(len(parts) - 1, 0, -1):
            handler = self.states.get(".".join(parts[:cut]) + ".*")
            if handler is not None:
                return handler
        return None

    async def route(self, ctx: Context, incoming: Incoming) -> list[Reply]:
        command = incoming.command
        if command is not None and command in self.commands:
            return await self.commands[command](ctx, incoming)
        if incoming.kind is Kind.BUTTON:
            try:
                payload = decode(incoming.payload or "")
            except PayloadError:
                payload = None
            handler = self.buttons.get(payload.action) if payload else None
            if payload is not None and handler is not None:
                return await handler(ctx, incoming, payload)
            if self.stale_button_handler is not None:
                return await self.stale_button_handler(ctx, incoming)
            return []
        state_handler = self._state_handler(ctx.state.name)
        if state_handler is not None:
            return await state_handler(ctx, incoming)
        if self.fallback_handler is not None:
            return await self.fallback_handler(ctx, incoming)
        return []
