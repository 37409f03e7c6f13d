"""Identify a tourist by phone: shared contact (Telegram/Viber) or typed (any channel)."""

from __future__ import annotations

from core.clients import link_phone, normalise_phone
from core.contract import Button, Incoming, Kind, Reply, rows
from core.errors import InvalidInput
from core.payloads import Payload, encode
from handlers.context import Context
from handlers.menu import main_menu
from handlers.router import Router

router = Router()


def phone_request(ctx: Context) -> Reply:
    return Reply(
        ctx.t("phone-ask"),
        rows([Button(ctx.t("button-cancel"), encode("menu"))]),
        request_phone=True,
        phone_label=ctx.t("phone-share-button"),
    )


def consent_question(ctx: Context) -> Reply:
    return Reply(
        ctx.t("consent-ask"),
        rows(
            [
                Button(ctx.t("consent-yes"), encode("consent", "1")),
                Button(ctx.t("consent-no"), encode("consent", "0")),
            ]
        ),
    )


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
    region = ctx.services.rules.agency.country
    try:
        phone = normalise_phone(raw, region)
    except InvalidInput:
        return [Reply(ctx.t("error-phone")), phone_request(ctx)]
    client, created = await link_phone(
        ctx.account, phone, locale=ctx.locale, first_name=(incoming.user_name or "")[:100]
    )
    if ctx.state.data.get("_source") and not client.lead_source:
        client.lead_source = str(ctx.state.data["_source"])
        await client.save(update_fields=["lead_source"])
    if client.locale != ctx.locale and created is False and "_locale" in ctx.state.data:
        client.locale = ctx.locale
        await client.save(update_fields=["locale"])
    ctx.client = client
    ctx.relocalise(client.locale)
    ctx.state.reset()
    thanks = Reply(ctx.t("phone-linked-new" if created else "phone-linked-known"))
    if client.marketing_consent is None:
        ctx.state.goto("identify.consent")
        return [thanks, consent_question(ctx)]
    return [thanks, main_menu(ctx)]


@router.state("identify.consent")
async def consent_expected(ctx: Context, incoming: Incoming) -> list[Reply]:
    return [Reply(ctx.t("hint-use-buttons")), consent_question(ctx)]


@router.button("consent")
async def set_consent(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    if ctx.client is None:
        return [Reply(ctx.t("phone-needed")), phone_request(ctx)]
    ctx.client.marketing_consent = payload.arg(0) == "1"
    await ctx.client.save(update_fields=["marketing_consent"])
    came_from_settings = ctx.state.name == "settings"
    ctx.state.reset()
    note = ctx.t("consent-saved-yes" if ctx.client.marketing_consent else "consent-saved-no")
    if came_from_settings:
        from handlers.settings import settings_screen

        return [settings_screen(ctx, note=note, edit=True)]
    return [main_menu(ctx, note=note, edit=True)]
