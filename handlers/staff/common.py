"""What every staff module shares: the one role check every staff action goes through, the
decorators that put a route on a module's own router with its roles, and common words.

Each staff module owns a :class:`~handlers.router.Router`; :func:`handlers.build_router` includes
them under the staff desk's router, which admits active staff only — so a client or a stranger
who sends ``/orders`` or a forged staff button gets exactly the answer any unknown input gets.
Each route declares its roles; the wrapper checks them on every request, whatever a payload says.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime
from functools import wraps
from typing import Any

from core.audit import audit_at
from core.contract import AnyButton, Button, Incoming, Reply
from core.errors import Forbidden, NotFound
from core.i18n import T
from core.payloads import Payload, PayloadError, encode
from core.staff import roles as staff_roles
from core.staff import routes
from handlers.context import Context
from handlers.router import Router
from storage.models import OrderStatus, Role, Staff

Handler = Callable[[Context, Incoming], Awaitable[list[Reply]]]
ButtonHandler = Callable[[Context, Incoming, Payload], Awaitable[list[Reply]]]


def is_staff(ctx: Context) -> bool:
    """Who the staff desk's router admits: an active staff member."""
    return ctx.staff is not None and ctx.staff.active


def require(ctx: Context, *roles: Role) -> Staff:
    """The active staff member behind ``ctx`` if their role is one of ``roles`` (any role when
    none are given); :class:`Forbidden` otherwise."""
    return staff_roles.check(ctx.staff, roles or staff_roles.EVERYONE)


async def guard(
    ctx: Context, route: str, roles: Iterable[Role], refused: str | None = None
) -> Staff:
    """:func:`require`, auditing a refused attempt of a staff member; ``refused``: the key of
    this action's own refusal text (default ``st-forbidden-role``)."""
    try:
        return require(ctx, *roles)
    except Forbidden as error:
        if ctx.staff is not None:
            await audit_at(
                ctx.staff, "staff.denied", at=ctx.services.clock.now(), details={"route": route}
            )
        if refused is not None:
            raise Forbidden(refused) from error
        raise


def command(router: Router, *names: str, roles: tuple[Role, ...]) -> Callable[[Handler], Handler]:
    """A staff command on ``router``; it leaves whatever flow the member was in."""

    def register(func: Handler) -> Handler:
        @wraps(func)
        async def checked(ctx: Context, incoming: Incoming) -> list[Reply]:
            ctx.state.reset()
            await guard(ctx, f"/{names[0]}", roles)
            return await func(ctx, incoming)

        router.command(*names)(checked)
        return func

    return register


def button(
    router: Router, action: str, *, roles: tuple[Role, ...], refused: str | None = None
) -> Callable[[ButtonHandler], ButtonHandler]:
    def register(func: ButtonHandler) -> ButtonHandler:
        @wraps(func)
        async def checked(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
            await guard(ctx, f"button:{action}", roles, refused)
            return await func(ctx, incoming, payload)

        router.button(action)(checked)
        return func

    return register


def state(router: Router, name: str, *, roles: tuple[Role, ...]) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        @wraps(func)
        async def checked(ctx: Context, incoming: Incoming) -> list[Reply]:
            await guard(ctx, f"state:{name}", roles)
            return await func(ctx, incoming)

        router.state(name)(checked)
        return func

    return register


async def log(ctx: Context, action: str, subject: str = "", **details: Any) -> None:
    """Audit a staff action under the acting member, at the services' clock."""
    assert ctx.staff is not None
    await audit_at(ctx.staff, action, at=ctx.services.clock.now(), subject=subject, details=details)


def int_arg(payload: Payload, index: int) -> int:
    try:
        return payload.int_arg(index)
    except PayloadError:
        raise NotFound("st-stale") from None


def page_arg(payload: Payload, index: int) -> int:
    value = payload.arg(index, "0")
    return int(value) if value.isdigit() else 0


# ---- words and buttons used everywhere ---------------------------------------------------------


def status_label(t: T, status: OrderStatus | str) -> str:
    return t(f"st-status-{OrderStatus(status).value}")


def role_label(t: T, role: Role | str) -> str:
    return t(f"st-role-{Role(role).value}")


def local_dt(ctx: Context, moment: datetime | None) -> str:
    return ctx.t.datetime(moment, ctx.services.rules.agency.tz)


def today(ctx: Context) -> date:
    return ctx.services.clock.now().astimezone(ctx.services.rules.agency.tz).date()


def menu_button(t: T) -> Button:
    return Button(t("st-menu-button"), encode(routes.MENU))


def cancel_button(t: T) -> Button:
    return Button(t("st-cancel"), encode(routes.CANCEL))


def nav_row(
    t: T, action: str, page: int, has_prev: bool, has_next: bool, *args: object
) -> list[AnyButton]:
    row: list[AnyButton] = []
    if has_prev:
        row.append(Button(t("st-prev"), encode(action, *args, page - 1)))
    if has_next:
        row.append(Button(t("st-next"), encode(action, *args, page + 1)))
    return row


def page_note(t: T, page: int, pages: int) -> str | None:
    return t("st-page", page=page + 1, pages=pages) if pages > 1 else None


def join(*parts: str | None) -> str:
    return "\n".join(p for p in parts if p)
