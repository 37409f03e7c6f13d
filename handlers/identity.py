"""Identify a tourist by phone: shared contact (Telegram/Viber) or typed (any channel).

A number that already belongs to another client opens it only when proven (see
:mod:`core.identity`); otherwise the claim goes on in :mod:`handlers.claims`."""

from __future__ import annotations

from core import identity
from core.clients import normalise_phone
from core.contract import Incoming, Kind, Reply
from core.errors import InvalidInput
from core.identity import Taken
from core.payloads import Payload
from core.webhooks import events as webhook_events
from handlers.after_phone import continue_after, welcome
from handlers.claims import claim_started
from handlers.context import Context
from handlers.router import Router
from handlers.screens import consent_question, main_menu, phone_request, settings_screen

__all__ = ["phone_request", "router"]  # phone_request: flows that import it from here

router = Router("identity")


@router.button("phone")
async def ask_phone(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    ctx.state.goto("identify.phone", after=payload.arg(0, "menu"))
    return [phone_request(ctx)]


@router.state("identify.phone")
async def receive_phone(ctx: Context, incoming: Incoming) -> list[Reply]:
    if incoming.kind is Kind.CONTACT and incoming.phone:
        raw = incoming.phone
    elif incoming.kind is Kind.TEXT and incoming.text:
        raw = incoming.text
    else:
        return [Reply(ctx.t("phone-hint")), phone_request(ctx)]
    after = str(ctx.state.data.get("after") or "")
    region = ctx.services.rules.agency.country
    try:
        phone = normalise_phone(raw, region)
    except InvalidInput:
        return [Reply(ctx.t("error-phone")), phone_request(ctx)]
    verified = incoming.kind is Kind.CONTACT and incoming.phone_verified
    outcome = await identity.take_phone(
        ctx.account,
        ctx.client,
        phone,
        verified=verified,
        locale=ctx.locale,
        first_name=(incoming.user_name or "")[:100],
    )
    if outcome.taken is Taken.NEW:
        await webhook_events.client_created(ctx.services, outcome.client)
    source = ctx.state.data.get("_source")
    relocale = "_locale" in ctx.state.data
    ctx.client = client = outcome.client
    ctx.state.reset()
    if source and not client.lead_source:
        client.lead_source = str(source)
        await client.save(update_fields=["lead_source"])
    if outcome.taken is Taken.CLAIM:
        assert outcome.claim is not None
        return await claim_started(ctx, outcome.claim, after)
    if outcome.taken is Taken.SAME and after != "settings" and client.marketing_consent is not None:
        # nothing new (a contact shared again from another screen): say so and go on
        return await continue_after(ctx, after, note=ctx.t("phone-same", phone=phone))
    if outcome.taken is Taken.CHANGED or (outcome.taken is Taken.SAME and after == "settings"):
        changed = Reply(ctx.t("journey-phone-changed", phone=phone))
        return [changed, *await continue_after(ctx, after)]
    if client.locale != ctx.locale and outcome.taken is Taken.KNOWN and relocale:
        client.locale = ctx.locale
        await client.save(update_fields=["locale"])
    ctx.relocalise(client.locale)
    return await welcome(
        ctx, after, "phone-linked-new" if outcome.taken is Taken.NEW else "phone-linked-known"
    )


@router.state("identify.consent")
async def consent_expected(ctx: Context, incoming: Incoming) -> list[Reply]:
    return [Reply(ctx.t("hint-use-buttons")), consent_question(ctx)]


@router.button("consent")
async def set_consent(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return [Reply(ctx.t("phone-needed")), phone_request(ctx)]
    ctx.client.marketing_consent = payload.arg(0) == "1"
    await ctx.client.save(update_fields=["marketing_consent"])
    came_from_settings = ctx.state.name == "settings" or payload.arg(1) == "settings"
    after = ctx.state.data.get("after") if ctx.state.name == "identify.consent" else None
    ctx.state.reset()
    note = ctx.t("consent-saved-yes" if ctx.client.marketing_consent else "consent-saved-no")
    if came_from_settings:
        return [settings_screen(ctx, note=note, edit=True)]
    if after in ctx.after_phone:
        return await continue_after(ctx, after, note=note)
    return [main_menu(ctx, note=note, edit=True)]
