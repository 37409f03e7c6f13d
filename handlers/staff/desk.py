"""The staff menu, linking an account by invite code, and the desk's answers to escapes and to
input nothing else claimed.

Two routers: :data:`door` (anyone: an invite code; a staff wizard left behind by someone who is
no longer staff) and :data:`router`, included under the staff desk that admits active staff only
(the escapes ``/start``, ``/menu``, ``/cancel`` and the menu button open the staff menu)."""

from __future__ import annotations

from core import relay_backlog
from core.contract import AnyButton, Button, Incoming, Kind, Reply, rows
from core.payloads import Payload, encode
from core.staff import invites, routes
from core.staff.roles import ADMINS, EVERYONE, MONEY, SALES, allowed
from handlers.context import Context
from handlers.router import Router
from handlers.screens import not_understood
from handlers.staff.common import button, command, role_label
from storage.models import Role

door = Router("staff.door")
router = Router("staff.desk")

COMMAND_HELP = {
    "/orders": EVERYONE,
    "/order": EVERYONE,
    "/find": EVERYONE,
    "/debtors": EVERYONE,
    "/today": EVERYONE,
    "/requests": SALES,
    "/myrequests": SALES,
    "/neworder": SALES,
    "/commission": SALES,
    "/netprice": SALES,
    "/team": ADMINS,
    "/invite": ADMINS,
    "/audit": ADMINS,
    "/mailings": ADMINS,
    "/commissionrule": ADMINS,
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
        grid.append(
            [
                Button(t("st-menu-new-order"), encode(routes.NEW_ORDER, "start")),
                Button(t("cm-menu"), encode(routes.COMMISSION)),
            ]
        )
    if can(ADMINS):
        grid.append(
            [
                Button(t("st-menu-team"), encode(routes.TEAM, 0)),
                Button(t("st-menu-audit"), encode(routes.AUDIT, 0)),
            ]
        )
        grid.append([Button(t("mchat-menu"), encode(routes.MAILINGS))])
    if can(MONEY):
        grid.append([Button(t("report-menu"), encode(routes.REPORTS))])
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
    held = await relay_backlog.hand_over(ctx.services, staff)
    if held:
        welcome = f"{welcome}\n\n{ctx.t('relay-held-note', count=held)}"
    return [Reply(welcome), staff_menu(ctx)]


@door.pre_route
async def invite_code(ctx: Context, incoming: Incoming) -> list[Reply] | None:
    """An invite code, from anyone (``/start <code>`` or typed); None for anything else."""
    code = invite_code_of(incoming)
    if code is None:
        return None
    return await link_by_invite(ctx, code)


@door.state("staff.*")
async def left_behind(ctx: Context, incoming: Incoming) -> list[Reply]:
    """Input in a staff wizard from someone who is not staff (any more): the wizard is dropped
    and the answer is the one for any unknown input."""
    ctx.state.reset()
    return not_understood(ctx)


@command(router, "start", "menu", "cancel", roles=EVERYONE)
async def escape(ctx: Context, incoming: Incoming) -> list[Reply]:
    note = ctx.t("st-welcome-back") if incoming.command == "start" else None
    return [staff_menu(ctx, note=note)]


@button(router, "menu", roles=EVERYONE)
async def client_menu_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    ctx.state.reset()
    return [staff_menu(ctx, edit=True)]


@router.state("staff.*")
async def unknown_step(ctx: Context, incoming: Incoming) -> list[Reply]:
    """A staff state no wizard handles (any more): dropped, and the staff menu."""
    ctx.state.reset()
    return [staff_menu(ctx, note=ctx.t("hint-not-understood"))]


@router.fallback
async def staff_fallback(ctx: Context, incoming: Incoming) -> list[Reply] | None:
    """Input nobody understood, from a staff member: the staff menu instead of the client's."""
    return [staff_menu(ctx, note=ctx.t("hint-not-understood"))]


@command(router, "staff", roles=EVERYONE)
async def staff_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    ctx.state.reset()
    return [staff_menu(ctx)]


@button(router, routes.MENU, roles=EVERYONE)
async def menu_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    ctx.state.reset()
    return [staff_menu(ctx, edit=True)]


@button(router, routes.CANCEL, roles=EVERYONE)
async def cancel_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    ctx.state.reset()
    return [staff_menu(ctx, note=ctx.t("st-cancelled"))]
