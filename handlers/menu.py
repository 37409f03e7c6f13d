"""The main menu and the start of every conversation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.contract import Button, Incoming, Reply, column, rows
from core.payloads import Payload, encode
from handlers.context import Context
from handlers.router import Router

router = Router()

# Flows may take input nobody else handled before the menu answers it (e.g. a staff member's
# reply to a relayed client message); a hook returns None to pass it on.
FALLBACK_HOOKS: list[Callable[[Context, Incoming], Awaitable[list[Reply] | None]]] = []

LANGUAGE_NAMES = {"uk": "Українська", "en": "English", "ru": "Русский"}


def main_menu(ctx: Context, *, edit: bool = False, note: str | None = None) -> Reply:
    t = ctx.t
    buttons = [
        Button(t("menu-find-tour"), encode("tour")),
        Button(t("menu-my-trips"), encode("trips")),
        Button(t("menu-balance"), encode("balance")),
        Button(t("menu-contact-manager"), encode("contact")),
        Button(t("menu-settings"), encode("settings")),
    ]
    if ctx.client is None:
        buttons.insert(0, Button(t("menu-share-phone"), encode("phone")))
    text = t("menu-title")
    if note:
        text = f"{note}\n\n{text}"
    return Reply(text, column(*buttons), edit=edit)


def language_picker(ctx: Context, *, back: str | None = None) -> Reply:
    enabled = ctx.services.rules.agency.locales
    buttons = [Button(LANGUAGE_NAMES[loc], encode("lang", loc)) for loc in enabled]
    extra = [Button(ctx.t("button-back"), encode(back))] if back else []
    return Reply(ctx.t("language-choose"), rows(buttons, extra))


@router.command("start")
async def start(ctx: Context, incoming: Incoming) -> list[Reply]:
    ctx.state.reset()
    if incoming.start_param and not ctx.state.data.get("_source"):
        ctx.state.data["_source"] = incoming.start_param[:64]
        if ctx.client is not None and not ctx.client.lead_source:
            ctx.client.lead_source = incoming.start_param[:64]
            await ctx.client.save(update_fields=["lead_source"])
    greeting = ctx.t("start-greeting", agency=ctx.services.rules.agency.name)
    if ctx.client is None and "_locale" not in ctx.state.data:
        ctx.state.goto("start.language")
        return [Reply(greeting), language_picker(ctx)]
    return [Reply(greeting), main_menu(ctx)]


@router.command("menu", "cancel")
async def menu_command(ctx: Context, incoming: Incoming) -> list[Reply]:
    ctx.state.reset()
    return [main_menu(ctx)]


@router.button("menu")
async def menu_button(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    ctx.state.reset()
    return [main_menu(ctx, edit=True)]


@router.button("lang")
async def choose_language(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    locale = payload.arg(0)
    if locale not in ctx.services.rules.agency.locales:
        return [language_picker(ctx)]
    ctx.state.data["_locale"] = locale
    if ctx.client is not None:
        ctx.client.locale = locale
        await ctx.client.save(update_fields=["locale"])
    ctx.relocalise(locale)
    back_to_settings = ctx.state.name == "settings.language"
    ctx.state.reset()
    if back_to_settings:
        from handlers.settings import settings_screen

        return [Reply(ctx.t("language-changed")), settings_screen(ctx)]
    return [main_menu(ctx, edit=True, note=ctx.t("language-changed"))]


@router.state("start.language")
async def language_expected(ctx: Context, incoming: Incoming) -> list[Reply]:
    return [Reply(ctx.t("hint-use-buttons")), language_picker(ctx)]


@router.fallback
async def fallback(ctx: Context, incoming: Incoming) -> list[Reply]:
    for hook in FALLBACK_HOOKS:
        handled = await hook(ctx, incoming)
        if handled is not None:
            return handled
    return [Reply(ctx.t("hint-not-understood")), main_menu(ctx)]


@router.stale_button
async def stale_button(ctx: Context, incoming: Incoming) -> list[Reply]:
    ctx.state.reset()
    return [Reply(ctx.t("hint-stale-button")), main_menu(ctx)]
