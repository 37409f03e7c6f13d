"""Erasure at the staff desk (admins only): from a client's "Forget me" notice or the client
card: confirm, erase (or, with money open, force with a reason), or decline the request."""

from __future__ import annotations

from core import erasure
from core.contract import Button, Incoming, Kind, Reply, rows
from core.errors import InvalidInput, NotFound
from core.i18n import T
from core.payloads import Payload, encode
from core.staff import routes
from core.staff.roles import ADMINS
from handlers.context import Context
from handlers.router import Router
from handlers.staff.clients import show_client
from handlers.staff.common import button, cancel_button, int_arg, join, require, state
from storage.models import Client

router = Router("staff.erasure")

REASON_STATE = "staff.erase"


def refusal(t: T, client_id: int, summary: erasure.OpenMoneySummary, *, title: str) -> Reply:
    text = join(title, *summary.lines(t), t("erasure-open-money-hint"))
    force = Button(t("erasure-force-button"), encode(routes.ERASE, client_id, "force"))
    return Reply(text, rows([force, cancel_button(t)]))


async def _client(client_id: int) -> Client:
    client = await Client.get_or_none(id=client_id)
    if client is None:
        raise NotFound("erasure-client-not-found")
    return client


async def confirm(ctx: Context, client_id: int) -> list[Reply]:
    t = ctx.t
    client = await _client(client_id)
    if client.erased_at is not None:
        return await show_client(ctx, client_id, note=t("erasure-already-staff", id=str(client_id)))
    money = await erasure.open_money(client, ctx.services)
    if money:
        return [refusal(t, client_id, money, title=t("erasure-open-money-title"))]
    text = t("erasure-confirm", name=client.display_name or "—", id=str(client_id))
    yes = Button(t("erasure-confirm-yes"), encode(routes.ERASE, client_id, "yes"))
    return [Reply(text, rows([yes, cancel_button(t)]))]


async def run(ctx: Context, client_id: int, *, force: bool, reason: str = "") -> list[Reply]:
    staff = require(ctx, *ADMINS)
    t = ctx.t
    try:
        done = await erasure.erase(ctx.services, client_id, by=staff, force=force, reason=reason)
    except erasure.OpenMoney as refused:
        ctx.state.reset()
        return [refusal(t, client_id, refused.summary, title=t("erasure-refused-open-money"))]
    ctx.state.reset()
    if done.already:
        note = t("erasure-already-staff", id=str(client_id))
    else:
        note = t("erasure-done-staff", id=str(client_id), accounts=done.unlinked)
        if done.forced:
            note = join(note, t("erasure-done-forced"))
    return await show_client(ctx, client_id, note=note)


def reason_prompt(ctx: Context, note: str | None = None) -> Reply:
    return Reply(join(note, ctx.t("erasure-ask-reason")), rows([cancel_button(ctx.t)]))


@button(router, routes.ERASE, roles=ADMINS)
async def erase_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    client_id = int_arg(payload, 0)
    step = payload.arg(1)
    if step == "yes":
        return await run(ctx, client_id, force=False)
    if step == "force":
        client = await _client(client_id)
        if client.erased_at is not None:
            return await run(ctx, client_id, force=False)
        ctx.state.reset()
        ctx.state.goto(REASON_STATE, client_id=client_id)
        return [reason_prompt(ctx)]
    return await confirm(ctx, client_id)


@state(router, REASON_STATE, roles=ADMINS)
async def reason_typed(ctx: Context, incoming: Incoming) -> list[Reply]:
    text = (incoming.text or "").strip() if incoming.kind is Kind.TEXT else ""
    if not text:
        return [reason_prompt(ctx)]
    client_id = int(ctx.state.data.get("client_id") or 0)
    try:
        return await run(ctx, client_id, force=True, reason=text)
    except InvalidInput as error:
        ctx.state.goto(REASON_STATE, client_id=client_id)
        return [reason_prompt(ctx, ctx.t(error.key, **error.args_))]


@button(router, routes.ERASE_DECLINE, roles=ADMINS)
async def decline_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    staff = require(ctx, *ADMINS)
    client_id = int_arg(payload, 0)
    await erasure.decline(ctx.services, client_id, by=staff)
    note = ctx.t("erasure-declined-staff", id=str(client_id))
    return await show_client(ctx, client_id, note=note)
