"""The staff desk's router and the one role check every staff route goes through.

Staff routes live in their own :data:`staff_router`, consulted (by :mod:`handlers.staff.gate`)
only when the account belongs to an active staff member — so a client or a stranger who sends
``/orders`` or a forged staff button gets exactly the answer any unknown input gets. Each route
declares its roles; the wrapper checks them on every request, whatever a payload says.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime
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

staff_router = Router()

# Every staff route and the roles allowed on it: "/orders", "button:soc", "state:staff.find".
ROUTE_ROLES: dict[str, tuple[Role, ...]] = {}


def require(ctx: Context, *roles: Role) -> Staff:
    """The active staff member behind ``ctx`` if their role is one of ``roles`` (any role when
    none are given); :class:`Forbidden` otherwise."""
    return staff_roles.check(ctx.staff, roles or staff_roles.EVERYONE)


async def guard(ctx: Context, route: str, roles: Iterable[Role]) -> Staff:
    """:func:`require`, auditing a refused attempt of a staff member."""
    try:
        return require(ctx, *roles)
    except Forbidden:
        if ctx.staff is not None:
            await audit_at(
                ctx.staff, "staff.denied", at=ctx.services.clock.now(), details={"route": route}
            )
        raise


def command(*names: str, roles: tuple[Role, ...]) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        async def checked(ctx: Context, incoming: Incoming) -> list[Reply]:
            await guard(ctx, f"/{names[0]}", roles)
            return await func(ctx, incoming)

        staff_router.command(*names)(checked)
        for name in names:
            ROUTE_ROLES[f"/{name}"] = roles
        return func

    return register


def button(action: str, *, roles: tuple[Role, ...]) -> Callable[[ButtonHandler], ButtonHandler]:
    def register(func: ButtonHandler) -> ButtonHandler:
        async def checked(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
            await guard(ctx, f"button:{action}", roles)
            return await func(ctx, incoming, payload)

        staff_router.button(action)(checked)
        ROUTE_ROLES[f"button:{action}"] = roles
        return func

    return register


def state(name: str, *, roles: tuple[Role, ...]) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        async def checked(ctx: Context, incoming: Incoming) -> list[Reply]:
            await guard(ctx, f"state:{name}", roles)
            return await func(ctx, incoming)

        staff_router.state(name)(checked)
        ROUTE_ROLES[f"state:{name}"] = roles
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
