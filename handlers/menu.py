"""The main menu and the start of every conversation."""

from __future__ import annotations

from core.contract import Incoming, Reply
from core.payloads import Payload
from handlers.context import Context
from handlers.router import Router
from handlers.screens import language_picker, main_menu, not_understood, settings_screen

__all__ = ["main_menu", "router"]  # main_menu: flows that import it from here keep working

router = Router("menu")


@router.command("start")
async def start(ctx: Context, incoming: Incoming) -> list[Reply]:
    ctx.state.reset()
    if incoming.start_param and not ctx.state.data.get("_source"):
        ctx.state.data["_source"] = incoming.start_param[:64]
        if ctx.client is not None and not ctx.client.lead_source:
            ctx.client.lead_source = incoming.start_param[:64]
            await ctx.client.save(update_fields=["lead_source"])
    greeting = ctx.t("start-greeting", agency=ctx.services.rules.agency.name)
    # one message: the greeting above the question or the menu
    if ctx.client is None and "_locale" not in ctx.state.data:
        ctx.state.goto("start.language")
        return [language_picker(ctx, note=greeting)]
    return [main_menu(ctx, note=greeting)]


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
        return [Reply(ctx.t("language-changed")), settings_screen(ctx)]
    return [main_menu(ctx, edit=True, note=ctx.t("language-changed"))]


@router.state("start.language")
async def language_expected(ctx: Context, incoming: Incoming) -> list[Reply]:
    return [Reply(ctx.t("hint-use-buttons")), language_picker(ctx)]


@router.screen("start.language")
async def language_again(ctx: Context) -> list[Reply]:
    return [language_picker(ctx)]


@router.fallback
async def fallback(ctx: Context, incoming: Incoming) -> list[Reply] | None:
    return not_understood(ctx)


@router.stale_button
async def stale_button(ctx: Context, incoming: Incoming) -> list[Reply]:
    ctx.state.reset()
    return [Reply(ctx.t("hint-stale-button")), main_menu(ctx)]
