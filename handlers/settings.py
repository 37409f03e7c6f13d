"""Settings: language, marketing consent, my phone, and "forget me"."""

from __future__ import annotations

from core.audit import audit
from core.clients import mask_phone
from core.contract import Button, Incoming, Reply, rows
from core.erasure import request_buttons
from core.notify import notify_roles
from core.payloads import Payload, encode
from handlers.context import Context
from handlers.router import Router
from handlers.screens import language_picker, phone_request, settings_screen
from storage.models import Role

router = Router("settings")


@router.after_phone("settings")
async def back_to_settings(ctx: Context) -> list[Reply]:
    ctx.state.goto("settings")
    return [settings_screen(ctx)]


@router.screen("settings", "settings.*")
async def settings_again(ctx: Context) -> list[Reply]:
    if ctx.state.name == "settings.language":
        return [language_picker(ctx, back="settings")]
    ctx.state.goto("settings")
    return [settings_screen(ctx)]


@router.button("settings")
async def open_settings(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    ctx.state.goto("settings")
    return [settings_screen(ctx, edit=True)]


@router.state("settings")
async def settings_text(ctx: Context, incoming: Incoming) -> list[Reply]:
    return [Reply(ctx.t("hint-use-buttons")), settings_screen(ctx)]


@router.button("set")
async def settings_action(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
    what = payload.arg(0)
    if what == "lang":
        ctx.state.goto("settings.language")
        return [language_picker(ctx, back="settings")]
    if what == "phone":
        ctx.state.goto("identify.phone", after="settings")
        return [phone_request(ctx)]
    if what == "forget" and ctx.client is not None:
        ctx.state.goto("settings.forget")
        return [
            Reply(
                ctx.t("forget-confirm"),
                rows(
                    [
                        Button(ctx.t("forget-yes"), encode("set", "forget-yes")),
                        Button(ctx.t("button-back"), encode("settings")),
                    ]
                ),
            )
        ]
    if what == "forget-yes" and ctx.client is not None:
        return await _forget_me(ctx)
    return [settings_screen(ctx)]


async def _forget_me(ctx: Context) -> list[Reply]:
    client = ctx.client
    assert client is not None
    services = ctx.services
    if client.forget_requested_at is None:
        requested = services.clock.now()
        client.forget_requested_at = requested
        await client.save(update_fields=["forget_requested_at"])
        await audit(f"client:{client.id}", "forget-me-requested", subject=f"client:{client.id}")
        name = client.display_name
        phone = mask_phone(client.phone)
        await notify_roles(
            services,
            [Role.ADMIN],
            lambda t: Reply(
                t("staff-forget-request", name=name, phone=phone, id=str(client.id)),
                request_buttons(t, client.id),
            ),
            kind="forget-request",
            details={"client": client.id},
            # a declined request may be made again: one notice per request
            dedupe_key=f"forget:{client.id}:{int(requested.timestamp())}",
        )
    ctx.state.goto("settings")
    return [settings_screen(ctx, note=ctx.t("forget-recorded"))]
