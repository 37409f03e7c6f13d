"""``/help`` (and the Help button in Settings): what the bot can do, in the reader's language.

A client reads the client's help; a staff member reads the staff desk's help, listing only the
commands their role may use.
"""

from __future__ import annotations

from core.contract import Button, Incoming, Reply, column
from core.payloads import Payload, encode
from core.staff import routes
from core.staff.roles import allowed
from handlers.context import Context
from handlers.router import Router
from handlers.staff.common import role_label
from handlers.staff.desk import COMMAND_HELP

router = Router("help")


def client_help(ctx: Context) -> Reply:
    t = ctx.t
    text = t("help-client", agency=ctx.services.rules.agency.name)
    return Reply(text, column(Button(t("button-back"), encode("menu"))))


def staff_help(ctx: Context) -> Reply:
    staff = ctx.staff
    assert staff is not None
    t = ctx.t
    lines = [t("help-staff", agency=ctx.services.rules.agency.name, role=role_label(t, staff.role))]
    lines += [
        t("help-staff-" + name.lstrip("/"))
        for name, roles in COMMAND_HELP.items()
        if allowed(staff, roles)
    ]
    lines.append(t("help-staff-menu"))
    return Reply("\n".join(lines), column(Button(t("st-menu-button"), encode(routes.MENU))))


def help_reply(ctx: Context) -> Reply:
    return staff_help(ctx) if ctx.staff is not None else client_help(ctx)


@router.command("help")
async def help_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    ctx.state.reset()
    return [help_reply(ctx)]


@router.button("help")
async def help_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    ctx.state.reset()
    return [help_reply(ctx)]
