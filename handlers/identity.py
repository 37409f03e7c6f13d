"""Identify a tourist by phone: shared contact (Telegram/Viber) or typed (any channel)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from tortoise.exceptions import IntegrityError

from core.audit import audit
from core.clients import link_phone, normalise_phone
from core.contract import Button, Incoming, Kind, Reply, rows
from core.errors import InvalidInput
from core.payloads import Payload, encode
from handlers.context import Context
from handlers.menu import main_menu
from handlers.router import Router
from storage.models import Client

router = Router()

# Flows that ask for the phone on their way in (``after=<name>``) register how to go on once
# it is shared: ``AFTER_PHONE["tour"] = start_wizard``. Anything else returns to the menu.
AFTER_PHONE: dict[str, Callable[[Context], Awaitable[list[Reply]]]] = {}


async def continue_after(ctx: Context, after: str | None, note: str | None = None) -> list[Reply]:
    handler = AFTER_PHONE.get(after or "")
    if handler is None:
        return [main_menu(ctx, note=note)]
    replies = await handler(ctx)
    return [Reply(note), *replies] if note else replies


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
    after = str(ctx.state.data.get("after") or "")
    region = ctx.services.rules.agency.country
    try:
        phone = normalise_phone(raw, region)
    except InvalidInput:
        return [Reply(ctx.t("error-phone")), phone_request(ctx)]
    if after == "settings" and ctx.client is not None and await _move_phone(ctx.client, phone):
        ctx.state.reset()
        changed = Reply(ctx.t("journey-phone-changed", phone=phone))
        return [changed, *await continue_after(ctx, after)]
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
        ctx.state.goto("identify.consent", after=after)
        return [thanks, consent_question(ctx)]
    return [thanks, *await continue_after(ctx, after)]


async def _move_phone(client: Client, phone: str) -> bool:
    """Settings -> "Change my phone": the client keeps their record and trips under the new
    number, unless another client already has it (then the account is linked to that one)."""
    if client.phone == phone or await Client.exists(phone=phone):
        return False
    try:
        moved = await Client.filter(id=client.id).update(phone=phone)
    except IntegrityError:  # someone took the number a moment ago
        return False
    if moved:
        client.phone = phone
        await audit(f"client:{client.id}", "phone-changed", subject=f"client:{client.id}")
    return bool(moved)


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
        from handlers.settings import settings_screen

        return [settings_screen(ctx, note=note, edit=True)]
    if after in AFTER_PHONE:
        return await continue_after(ctx, after, note=note)
    return [main_menu(ctx, note=note, edit=True)]
