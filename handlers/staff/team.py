"""Admins: the team (list, revoke), invites issued in chat, and the audit log."""

from __future__ import annotations

from core.audit import log_page
from core.audit_text import sentences
from core.contract import AnyButton, Button, Incoming, Kind, Reply, rows
from core.errors import InvalidInput, NotFound
from core.i18n import T
from core.payloads import Payload, encode
from core.staff import invites, routes
from core.staff.roles import ADMINS
from handlers.context import Context
from handlers.router import Router
from handlers.staff.common import (
    button,
    cancel_button,
    command,
    int_arg,
    join,
    local_dt,
    log,
    menu_button,
    nav_row,
    page_arg,
    page_note,
    require,
    role_label,
    state,
)
from storage.models import Role, Staff

router = Router("staff.team")

INVITE_STATE = "staff.invite"
TEAM_PAGE = 8
AUDIT_PAGE = 10


# ---- the team ---------------------------------------------------------------------------------


def member_line(ctx: Context, item: invites.Member) -> str:
    t = ctx.t
    member = item.staff
    channels = ", ".join(item.channels) or "—"
    key = "st-team-line" if member.active else "st-team-line-revoked"
    return t(
        key,
        id=str(member.id),
        name=member.name,
        role=role_label(t, member.role),
        channels=channels,
        revoked=local_dt(ctx, member.revoked_at),
    )


async def team(ctx: Context, page: int, note: str | None = None) -> list[Reply]:
    me = require(ctx, *ADMINS)
    t = ctx.t
    members, total = await invites.team(page, TEAM_PAGE)
    pages = max((total + TEAM_PAGE - 1) // TEAM_PAGE, 1)
    page = min(max(page, 0), pages - 1)
    if not members and page > 0:
        members, total = await invites.team(page, TEAM_PAGE)
    await log(ctx, "staff.team", page=page)
    text = join(
        note,
        t("st-team-title", count=total),
        "\n".join(member_line(ctx, m) for m in members),
        page_note(t, page, pages),
    )
    grid: list[list[AnyButton]] = [
        [Button(t("st-revoke-button", name=m.staff.name), encode(routes.REVOKE, m.staff.id))]
        for m in members
        if m.staff.active and m.staff.id != me.id
    ]
    grid.append(nav_row(t, routes.TEAM, page, page > 0, page + 1 < pages))
    grid.append([Button(t("st-invite-button"), encode(routes.INVITE)), menu_button(t)])
    return [Reply(text, rows(*grid), edit=True)]


@command(router, "team", roles=ADMINS)
async def team_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    return await team(ctx, 0)


@button(router, routes.TEAM, roles=ADMINS)
async def team_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    return await team(ctx, page_arg(payload, 0))


async def ask_revoke(ctx: Context, staff_id: int) -> list[Reply]:
    t = ctx.t
    member = await Staff.get_or_none(id=staff_id)
    if member is None:
        raise NotFound("st-staff-not-found")
    if member.id == require(ctx, *ADMINS).id:
        raise InvalidInput("st-revoke-self")
    if not member.active:
        raise InvalidInput("st-revoke-already", name=member.name)
    text = t("st-revoke-confirm", name=member.name, role=role_label(t, member.role))
    yes = Button(t("st-revoke-yes"), encode(routes.REVOKE, member.id, "yes"))
    back = Button(t("st-back"), encode(routes.TEAM, 0))
    return [Reply(text, rows([yes, back]), edit=True)]


@command(router, "revoke", roles=ADMINS)
async def revoke_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    arg = incoming.command_args.lstrip("#")
    if not arg.isdigit():
        raise InvalidInput("st-revoke-usage")
    return await ask_revoke(ctx, int(arg))


@button(router, routes.REVOKE, roles=ADMINS)
async def revoke_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    me = require(ctx, *ADMINS)
    staff_id = int_arg(payload, 0)
    if payload.arg(1) != "yes":
        return await ask_revoke(ctx, staff_id)
    member = await invites.revoke(ctx.services.clock.now(), staff_id, by=me)
    return await team(ctx, 0, note=ctx.t("st-revoked", name=member.name))


# ---- invites ----------------------------------------------------------------------------------


def invite_text(ctx: Context, invite: invites.Invite) -> str:
    t = ctx.t
    text = t(
        "st-invite-issued",
        name=invite.name,
        role=role_label(t, invite.role),
        code=invite.code,
        until=local_dt(ctx, invite.expires_at),
    )
    if invite.link:
        text += "\n" + t("st-invite-link", link=invite.link)
    return text


async def issue(ctx: Context, role: Role, name: str) -> list[Reply]:
    me = require(ctx, *ADMINS)
    invite = await invites.create_invite(
        ctx.services.rules,
        ctx.services.clock.now(),
        role,
        name,
        created_by=me,
        links=ctx.services.channels,
    )
    ctx.state.reset()
    return [Reply(invite_text(ctx, invite), rows([menu_button(ctx.t)]))]


def role_picker(t: T) -> Reply:
    choices = [Button(role_label(t, r), encode(routes.INVITE, r.value)) for r in Role]
    return Reply(t("st-invite-ask-role"), rows(choices, [cancel_button(t)]))


@command(router, "invite", roles=ADMINS)
async def invite_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    parts = incoming.command_args.split(maxsplit=1)
    if len(parts) == 2:
        return await issue(ctx, invites.parse_role(parts[0]), parts[1])
    if len(parts) == 1:
        role = invites.parse_role(parts[0])
        ctx.state.goto(INVITE_STATE, role=role.value)
        return [Reply(ctx.t("st-invite-ask-name"), rows([cancel_button(ctx.t)]))]
    return [role_picker(ctx.t)]


@button(router, routes.INVITE, roles=ADMINS)
async def invite_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if not payload.arg(0):
        return [role_picker(ctx.t)]
    role = invites.parse_role(payload.arg(0))
    ctx.state.goto(INVITE_STATE, role=role.value)
    return [Reply(ctx.t("st-invite-ask-name"), rows([cancel_button(ctx.t)]))]


@state(router, INVITE_STATE, roles=ADMINS)
async def invite_name_typed(ctx: Context, incoming: Incoming) -> list[Reply]:
    if incoming.kind is not Kind.TEXT:
        return [Reply(ctx.t("st-invite-ask-name"), rows([cancel_button(ctx.t)]))]
    role = invites.parse_role(str(ctx.state.data.get("role") or ""))
    try:
        return await issue(ctx, role, incoming.text or "")
    except InvalidInput as error:
        text = join(ctx.t(error.key, **error.args_), ctx.t("st-invite-ask-name"))
        return [Reply(text, rows([cancel_button(ctx.t)]))]


# ---- the audit log ----------------------------------------------------------------------------


async def audit_page(ctx: Context, older_than: int | None, newer_than: int | None) -> list[Reply]:
    """A page of the log as sentences in the reader's language. Pages are cut by entry id (the
    cursor rides in the Older / Newer buttons), so lines written meanwhile shift nothing."""
    require(ctx, *ADMINS)
    t = ctx.t
    page = await log_page(older_than=older_than, newer_than=newer_than, size=AUDIT_PAGE)
    if not page.entries and (older_than is not None or newer_than is not None):
        page = await log_page(size=AUDIT_PAGE)  # an old cursor past either end: the newest
    await log(ctx, "staff.audit.view", older_than=older_than, newer_than=newer_than)
    lines = [t("st-audit-title", count=page.total)]
    lines += await sentences(t, page.entries, ctx.services.rules.agency.tz)
    nav: list[AnyButton] = []
    if page.has_newer:
        nav.append(Button(t("st-audit-newer"), encode(routes.AUDIT, "n", page.entries[0].id)))
    if page.has_older:
        nav.append(Button(t("st-audit-older"), encode(routes.AUDIT, "o", page.entries[-1].id)))
    grid: list[list[AnyButton]] = [nav, [menu_button(t)]]
    return [Reply("\n".join(lines), rows(*grid), edit=True)]


def _cursor(payload: Payload) -> tuple[int | None, int | None]:
    """``o|<id>``: older than entry id; ``n|<id>``: newer; anything else: the newest page."""
    side, value = payload.arg(0), payload.arg(1)
    if not value.isdigit():
        return None, None
    return (
        (int(value), None) if side == "o" else (None, int(value)) if side == "n" else (None, None)
    )


@command(router, "audit", roles=ADMINS)
async def audit_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    return await audit_page(ctx, None, None)


@button(router, routes.AUDIT, roles=ADMINS)
async def audit_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    return await audit_page(ctx, *_cursor(payload))
