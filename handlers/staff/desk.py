"""The staff menu, the gate in front of the router, and linking an account by invite code."""

from __future__ import annotations

from core.contract import AnyButton, Button, Incoming, Kind, Reply, rows
from core.payloads import Payload, PayloadError, decode, encode
from core.staff import invites, routes
from core.staff.roles import ADMINS, EVERYONE, SALES, allowed
from handlers import menu as client_menu
from handlers.context import Context
from handlers.dispatcher import PRE_ROUTE
from handlers.router import Router
from handlers.staff.common import button, command, role_label, staff_router
from storage.models import Role

# The router listed in handlers.FLOWS: it only catches input in a staff state (``staff.*``).
router = Router()

COMMAND_HELP = {
    "/orders": EVERYONE,
    "/order": EVERYONE,
    "/find": EVERYONE,
    "/debtors": EVERYONE,
    "/today": EVERYONE,
    "/requests": SALES,
    "/myrequests": SALES,
    "/neworder": SALES,
    "/team": ADMINS,
    "/invite": ADMINS,
    "/audit": ADMINS,
    "/mailings": ADMINS,
}


def staff_menu(ctx: Context, *, note: str | None = None, edit: bool = False) -> Reply:
    """The staff desk's menu: a keyboard of what this member's role may do (Viber has no
    command menu; in Telegram the same commands also work typed)."""
    staff = ctx.staff
    assert staff is not None
    t = ctx.t

    def can(roles: tuple[Role, ...]) -> bool:
        return allowed(staff, roles)

    grid: list[list[AnyButton]] = [
        [
            Button(t("st-menu-orders"), encode(routes.ORDERS, "active", 0)),
            Button(t("st-menu-find"), encode(routes.FIND)),
        ],
        [
            Button(t("st-menu-debtors"), encode(routes.DEBTORS, 0)),
            Button(t("st-menu-today"), encode(routes.TODAY)),
        ],
    ]
    if can(SALES):
        grid.append(
            [
                Button(t("st-menu-new-requests"), encode(routes.REQUESTS, "new", 0)),
                Button(t("st-menu-my-requests"), encode(routes.REQUESTS, "mine", 0)),
            ]
        )
        grid.append([Button(t("st-menu-new-order"), encode(routes.NEW_ORDER, "start"))])
    if can(ADMINS):
        grid.append(
            [
                Button(t("st-menu-team"), encode(routes.TEAM, 0)),
                Button(t("st-menu-audit"), encode(routes.AUDIT, 0)),
            ]
        )
        grid.append([Button(t("mchat-menu"), encode(routes.MAILINGS))])
    commands = " ".join(name for name, roles in COMMAND_HELP.items() if can(roles))
    text = t("st-menu-title", name=staff.name, role=role_label(t, staff.role))
    text = f"{text}\n{t('st-menu-commands', commands=commands)}"
    if note:
        text = f"{note}\n\n{text}"
    return Reply(text, rows(*grid), edit=edit)


def invite_code_of(incoming: Incoming) -> str | None:
    if incoming.start_param:
        return invites.code_in(incoming.start_param)
    if incoming.command == "start":
        return invites.code_in(incoming.command_args)
    if incoming.kind is Kind.TEXT:
        return invites.code_in(incoming.text)
    return None


async def link_by_invite(ctx: Context, code: str) -> list[Reply]:
    staff = await invites.redeem(ctx.services.clock.now(), ctx.account, code, ctx.locale)
    ctx.staff = staff
    ctx.relocalise(staff.locale)
    ctx.state.reset()
    welcome = ctx.t("st-invite-welcome", name=staff.name, role=role_label(ctx.t, staff.role))
    return [Reply(welcome), staff_menu(ctx)]


ESCAPES = ("start", "menu", "cancel")


async def gate(ctx: Context, incoming: Incoming) -> list[Reply] | None:
    """Before the router: invite codes (anyone), then staff commands and buttons (active staff
    only). None lets the router answer as it would for anybody."""
    code = invite_code_of(incoming)
    if code is not None:
        return await link_by_invite(ctx, code)
    if ctx.staff is None:
        return None
    name = incoming.command
    if name in ESCAPES:
        ctx.state.reset()
        note = ctx.t("st-welcome-back") if name == "start" else None
        return [staff_menu(ctx, note=note)]
    if name is not None and name in staff_router.commands:
        ctx.state.reset()  # a command leaves whatever flow the member was in
        return await staff_router.commands[name](ctx, incoming)
    if incoming.kind is Kind.BUTTON:
        try:
            payload = decode(incoming.payload or "")
        except PayloadError:
            return None
        if payload.action == "menu":
            ctx.state.reset()
            return [staff_menu(ctx, edit=True)]
        handler = staff_router.buttons.get(payload.action)
        if handler is not None:
            return await handler(ctx, incoming, payload)
    return None


PRE_ROUTE.append(gate)


@router.state("staff.*")
async def in_staff_state(ctx: Context, incoming: Incoming) -> list[Reply]:
    """Input while in a staff wizard: the wizard's, if still staff; otherwise (revoked a moment
    ago) the wizard is dropped and the answer is the one for any unknown input."""
    handler = staff_router._state_handler(ctx.state.name)
    if ctx.staff is None or handler is None:
        ctx.state.reset()
        return await client_menu.fallback(ctx, incoming)
    return await handler(ctx, incoming)


async def staff_fallback(ctx: Context, incoming: Incoming) -> list[Reply] | None:
    """Input nobody understood, from a staff member: the staff menu instead of the client's.
    (Staff replies to relayed client messages are taken earlier, by a PRE_ROUTE hook.)"""
    if ctx.staff is None:
        return None
    return [staff_menu(ctx, note=ctx.t("hint-not-understood"))]


client_menu.FALLBACK_HOOKS.append(staff_fallback)


@command("staff", roles=EVERYONE)
async def staff_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    ctx.state.reset()
    return [staff_menu(ctx)]


@button(routes.MENU, roles=EVERYONE)
async def menu_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    ctx.state.reset()
    return [staff_menu(ctx, edit=True)]


@button(routes.CANCEL, roles=EVERYONE)
async def cancel_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    ctx.state.reset()
    return [staff_menu(ctx, note=ctx.t("st-cancelled"))]
