"""Routing an :class:`Incoming` to a handler through a tree of routers.

Each flow module owns a :class:`Router` and fills it with its own decorators; nothing is
registered anywhere else. :func:`handlers.build_router` is the one place that composes them with
:meth:`Router.include_router` (as aiogram's ``include_router``: a router cannot include itself,
an ancestor, or a router that is already in the tree). The routers of the tree are consulted in
inclusion order (a parent before its children); a router built with ``admit`` is skipped, with
its children, for a conversation it does not admit (the staff desk admits active staff only).

An update goes through these phases, each over the admitted routers in order; the first that
claims it answers:

1. pre-route hooks (a hook returns None to pass the update on);
2. a command (``/start``, ``/cancel``, …) — so a user can escape any flow;
3. a button press: the handler of its payload's action, else the first stale-button handler;
4. the conversation's current state: an exact name first, then the longest ``prefix.*``;
5. fallback hooks (None passes on).

Within one admission scope (a router and its children up to the next ``admit``) two routers may
not claim the same command, button, state or after-phone name: the tree refuses the clash, so the
order of flows never decides who answers. A router with ``admit`` answers before later routers
for the conversations it admits — that is the only shadowing, and it is stated where it is
included.

After-phone continuations (``after=<name>`` of a phone request) are a router slot too; the tree
hands the composed table to handlers as ``ctx.after_phone``. So are screens: how to show the
screen of a conversation state again (an exact name or ``prefix.*``), handed to handlers as
``ctx.screens`` -- a phone shared from any screen is taken and that screen comes back
(:mod:`handlers.phone_anywhere`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any, TypeVar

from core.contract import Incoming, Kind, Reply
from core.payloads import Payload, PayloadError, decode
from handlers.context import Context, Continuation

Handler = Callable[[Context, Incoming], Awaitable[list[Reply]]]
ButtonHandler = Callable[[Context, Incoming, Payload], Awaitable[list[Reply]]]
Hook = Callable[[Context, Incoming], Awaitable[list[Reply] | None]]
Admit = Callable[[Context], bool]


def _name_of(func: Callable[..., Any] | None) -> str:
    if func is None:
        return "-"
    return f"{func.__module__}.{func.__qualname__}"


T = TypeVar("T")


def by_state_name(tables: list[dict[str, T]], name: str | None) -> T | None:
    """What ``tables`` (in order) hold for state ``name``: the exact name first, then the
    longest ``prefix.*``."""
    if not name:
        return None
    for table in tables:
        if name in table:
            return table[name]
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        pattern = ".".join(parts[:cut]) + ".*"
        for table in tables:
            if pattern in table:
                return table[pattern]
    return None


class _Composed:
    """What routing reads of a whole tree, worked out once per version of the tree: the
    routers in inclusion order with where each one's subtree ends (to skip it when its
    ``admit`` refuses), and the composed after-phone and screen tables."""

    def __init__(self, root: Router) -> None:
        self.version = Router._version
        self.flat: list[tuple[Router, int]] = []
        self._flatten(root)
        self.continuations = {k: v for r, _ in self.flat for k, v in r.after_phone_steps.items()}
        self.screens = {k: v for r, _ in self.flat for k, v in r.screens.items()}

    def _flatten(self, router: Router) -> None:
        at = len(self.flat)
        self.flat.append((router, 0))
        for child in router.children:
            self._flatten(child)
        self.flat[at] = (router, len(self.flat))

    def admitted(self, ctx: Context) -> list[Router]:
        found: list[Router] = []
        index, flat = 0, self.flat
        while index < len(flat):
            router, end = flat[index]
            if router.admit is not None and not router.admit(ctx):
                index = end
                continue
            found.append(router)
            index += 1
        return found


class Router:
    # bumped by every change to any router (a registration, an inclusion), so a tree's
    # composed tables (:class:`_Composed`) are rebuilt after a change, whichever router it was
    _version = 0

    def __init__(self, name: str = "router", *, admit: Admit | None = None) -> None:
        self.name = name
        self.admit = admit
        self.commands: dict[str, Handler] = {}
        self.buttons: dict[str, ButtonHandler] = {}
        self.states: dict[str, Handler] = {}
        self.pre_route_hooks: list[Hook] = []
        self.fallback_hooks: list[Hook] = []
        self.after_phone_steps: dict[str, Continuation] = {}
        self.screens: dict[str, Continuation] = {}
        self.stale_button_handler: Handler | None = None
        self.children: list[Router] = []
        self._composed: _Composed | None = None

    # ---- filling a router (by the module that owns it) ----------------------------------------

    def command(self, *names: str) -> Callable[[Handler], Handler]:
        def register(func: Handler) -> Handler:
            for name in names:
                self._add(self.commands, name, func, "command")
            return func

        return register

    def button(self, *actions: str) -> Callable[[ButtonHandler], ButtonHandler]:
        def register(func: ButtonHandler) -> ButtonHandler:
            for action in actions:
                self._add(self.buttons, action, func, "button")
            return func

        return register

    def state(self, *names: str) -> Callable[[Handler], Handler]:
        """Handle input while the conversation is in ``name`` (or ``prefix.*``)."""

        def register(func: Handler) -> Handler:
            for name in names:
                self._add(self.states, name, func, "state")
            return func

        return register

    def pre_route(self, func: Hook) -> Hook:
        """See every update before commands, buttons and states; None passes it on."""
        Router._version += 1
        self.pre_route_hooks.append(func)
        return func

    def fallback(self, func: Hook) -> Hook:
        """Answer input nobody claimed; None passes it on to the next router's fallback."""
        Router._version += 1
        self.fallback_hooks.append(func)
        return func

    def stale_button(self, func: Handler) -> Handler:
        Router._version += 1
        self.stale_button_handler = func
        return func

    def after_phone(self, name: str) -> Callable[[Continuation], Continuation]:
        """How to go on once the phone asked for with ``after=name`` is shared."""

        def register(func: Continuation) -> Continuation:
            self._add(self.after_phone_steps, name, func, "after-phone")
            return func

        return register

    def screen(self, *names: str) -> Callable[[Continuation], Continuation]:
        """How to show the screen of state ``name`` (or ``prefix.*``) again, state kept."""

        def register(func: Continuation) -> Continuation:
            for name in names:
                self._add(self.screens, name, func, "screen")
            return func

        return register

    def _add(self, table: dict[str, Any], key: str, func: Any, kind: str) -> None:
        if key in table:
            raise ValueError(f"router {self.name!r}: {kind} {key!r} registered twice")
        Router._version += 1
        table[key] = func

    # ---- composing ----------------------------------------------------------------------------

    def include_router(self, child: Router) -> Router:
        """Add ``child`` (and its children) after the routers included so far."""
        if child is self:
            raise ValueError(f"router {self.name!r} cannot include itself")
        if any(r is self for r in child.walk()):
            raise ValueError(f"including {child.name!r} into {self.name!r} makes a cycle")
        mine_ids = {id(r) for r in self.walk()}
        if any(id(r) in mine_ids for r in child.walk()):
            raise ValueError(f"router {child.name!r} (or one under it) is already included")
        theirs = child._claims() if child.admit is None else child._after_phone_claims()
        clash = self._claims() & theirs
        if clash:
            raise ValueError(f"routes claimed twice: {sorted(clash)}")
        Router._version += 1
        self.children.append(child)
        return child

    def walk(self) -> Iterator[Router]:
        """This router and every router under it, in inclusion order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def _claims(self) -> set[str]:
        """What this router's admission scope answers (children with their own ``admit`` are a
        scope of their own)."""
        claims = {f"/{c}" for c in self.commands}
        claims |= {f"button:{b}" for b in self.buttons}
        claims |= {f"state:{s}" for s in self.states}
        claims |= {f"after-phone:{a}" for a in self.after_phone_steps}
        claims |= {f"screen:{s}" for s in self.screens}
        for child in self.children:
            if child.admit is None:
                claims |= child._claims()
            else:
                claims |= child._after_phone_claims()
        return claims

    def _after_phone_claims(self) -> set[str]:
        """After-phone names are one table for the whole tree, whoever a router admits."""
        return {f"after-phone:{a}" for r in self.walk() for a in r.after_phone_steps}

    def describe(self) -> tuple[Any, ...]:
        """The tree as plain data: what answers what, in which order (for comparing trees)."""
        return (
            self.name,
            _name_of(self.admit),
            tuple((k, _name_of(v)) for k, v in self.commands.items()),
            tuple((k, _name_of(v)) for k, v in self.buttons.items()),
            tuple((k, _name_of(v)) for k, v in self.states.items()),
            tuple(_name_of(h) for h in self.pre_route_hooks),
            tuple(_name_of(h) for h in self.fallback_hooks),
            tuple((k, _name_of(v)) for k, v in self.after_phone_steps.items()),
            tuple((k, _name_of(v)) for k, v in self.screens.items()),
            _name_of(self.stale_button_handler),
            tuple(child.describe() for child in self.children),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Router) and self.describe() == other.describe()

    __hash__ = None  # type: ignore[assignment]

    def continuations(self) -> dict[str, Continuation]:
        return {k: v for r in self.walk() for k, v in r.after_phone_steps.items()}

    def screen_table(self) -> dict[str, Continuation]:
        return {k: v for r in self.walk() for k, v in r.screens.items()}

    # ---- routing ------------------------------------------------------------------------------

    def _tree(self) -> _Composed:
        composed = self._composed
        if composed is None or composed.version != Router._version:
            composed = self._composed = _Composed(self)
        return composed

    def admitted(self, ctx: Context) -> Iterator[Router]:
        if self.admit is not None and not self.admit(ctx):
            return
        yield self
        for child in self.children:
            yield from child.admitted(ctx)

    def _state_handler(self, routers: list[Router], name: str | None) -> Handler | None:
        return by_state_name([r.states for r in routers], name)

    async def route(self, ctx: Context, incoming: Incoming) -> list[Reply]:
        tree = self._tree()
        ctx.after_phone = tree.continuations
        ctx.screens = tree.screens
        routers = tree.admitted(ctx)
        for router in routers:
            for hook in router.pre_route_hooks:
                handled = await hook(ctx, incoming)
                if handled is not None:
                    return handled
        command = incoming.command
        if command is not None:
            for router in routers:
                if command in router.commands:
                    return await router.commands[command](ctx, incoming)
        if incoming.kind is Kind.BUTTON:
            return await self._press(routers, ctx, incoming)
        state_handler = self._state_handler(routers, ctx.state.name)
        if state_handler is not None:
            return await state_handler(ctx, incoming)
        for router in routers:
            for hook in router.fallback_hooks:
                handled = await hook(ctx, incoming)
                if handled is not None:
                    return handled
        return []

    async def _press(self, routers: list[Router], ctx: Context, incoming: Incoming) -> list[Reply]:
        try:
            payload: Payload | None = decode(incoming.payload or "")
        except PayloadError:
            payload = None
        if payload is not None:
            for router in routers:
                handler = router.buttons.get(payload.action)
                if handler is not None:
                    return await handler(ctx, incoming, payload)
        for router in routers:
            if router.stale_button_handler is not None:
                return await router.stale_button_handler(ctx, incoming)
        return []
