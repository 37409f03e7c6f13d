"""Staff and identity: confirm or reject a phone claim, merge two client records."""

from __future__ import annotations

from core import identity
from core.client_merge import merge_clients
from core.contract import Button, Incoming, Reply, rows
from core.errors import InvalidInput, NotFound
from core.payloads import Payload, encode
from core.staff import routes
from core.staff.roles import SALES
from handlers.context import Context
from handlers.router import Router
from handlers.staff.clients import show_client
from handlers.staff.common import button, cancel_button, int_arg, require, state
from storage.models import Client, PhoneClaim

router = Router("staff.identity")

MERGE_STATE = "staff.merge"


@button(router, routes.IDENTITY, roles=SALES)
async def decide_claim(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    staff = require(ctx, *SALES)
    claim = await PhoneClaim.get_or_none(id=int_arg(payload, 0))
    if claim is None:
        raise NotFound("st-stale")
    t = ctx.t
    if payload.arg(1) == "ok":
        client = await identity.prove(claim, via="staff", actor=staff)
        if client is None:
            return [Reply(t("identity-staff-already"))]
        await identity.tell_claimant(ctx.services, claim, "identity-proven-by-staff")
        return await show_client(ctx, client.id, note=t("identity-staff-confirmed"))
    if not await identity.reject(claim, staff):
        return [Reply(t("identity-staff-already"))]
    await identity.tell_claimant(ctx.services, claim, "identity-rejected")
    return [Reply(t("identity-staff-rejected", phone=claim.phone))]


@button(router, routes.MERGE, roles=SALES)
async def merge_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    staff = require(ctx, *SALES)
    source = int_arg(payload, 0)
    if not payload.arg(1):
        ctx.state.goto(MERGE_STATE, source=source)
        return [Reply(ctx.t("identity-merge-ask", card=str(source)), rows([cancel_button(ctx.t)]))]
    merged = await merge_clients(source, int_arg(payload, 1), actor=staff)
    ctx.state.reset()
    note = ctx.t("identity-merge-done", source=str(source), card=str(merged.client.id))
    return await show_client(ctx, merged.client.id, note=note)


@state(router, MERGE_STATE, roles=SALES)
async def merge_target(ctx: Context, incoming: Incoming) -> list[Reply]:
    t = ctx.t
    source_id = int(ctx.state.data.get("source") or 0)
    typed = (incoming.text or "").strip().lstrip("#")
    if not typed.isdigit():
        return [Reply(t("identity-merge-ask", card=str(source_id)), rows([cancel_button(t)]))]
    source = await Client.get_or_none(id=source_id)
    target = await Client.get_or_none(id=int(typed))
    if source is None or target is None:
        raise NotFound("identity-merge-not-found")
    if source.id == target.id:
        raise InvalidInput("identity-merge-same")
    text = t(
        "identity-merge-confirm",
        source=str(source.id),
        source_name=source.display_name or "—",
        card=str(target.id),
        name=target.display_name or "—",
    )
    yes = Button(t("identity-merge-yes"), encode(routes.MERGE, source.id, target.id))
    return [Reply(text, rows([yes, cancel_button(t)]))]
