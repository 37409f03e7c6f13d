"""Settings: language, marketing consent, my phone, and "forget me"."""

from __future__ import annotations

from core.audit import audit
from core.clients import mask_phone
from core.contract import Button, Incoming, Reply, column, rows
from core.erasure import request_buttons
from core.notify import notify_roles
from core.payloads import Payload, encode
from handlers.context import Context
from handlers.identity import AFTER_PHONE, phone_request
from handlers.menu import language_picker
from handlers.router import Router
from storage.models import Role

router = Router()


def settings_screen(ctx: Context, *, note: str | None = None, edit: bool = False) -> Reply:
    t = ctx.t
    client = ctx.client
    consent = client.marketing_consent if client else None
    lines = [t("settings-title"), t("settings-language", language=t("language-name"))]
    if client is not None:
        lines.append(t("settings-phone", phone=client.phone or "—"))
        lines.append(t("settings-consent-on" if consent else "settings-consent-off"))
    else:
        lines.append(t("settings-phone-unknown"))
    if note:
        lines.insert(0, note + "\n")
    buttons = [Button(t("settings-change-language"), encode("set", "lang"))]
    if client is not None:
        buttons.append(
            Button(
                t("settings-consent-turn-off" if consent else "settings-consent-turn-on"),
                encode("consent", "0" if consent else "1", "settings"),
            )
        )
        buttons.append(Button(t("settings-change-phone"), encode("set", "phone")))
        buttons.append(Button(t("settings-forget-me"), encode("set", "forget")))
    else:
        buttons.append(Button(t("menu-share-phone"), encode("set", "phone")))
    buttons.append(Button(t("help-button"), encode("help")))
    buttons.append(Button(t("button-back"), encode("menu")))
    return Reply("\n".join(lines), column(*buttons), edit=edit)


async def _back_to_settings(ctx: Context) -> list[Reply]:
    ctx.state.goto("settings")
    return [settings_screen(ctx)]


AFTER_PHONE["settings"] = _back_to_settings


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
            # a declined request may be made again: one notice per request
            dedupe_key=f"forget:{client.id}:{int(requested.timestamp())}",
        )
    ctx.state.goto("settings")
    return [settings_screen(ctx, note=ctx.t("forget-recorded"))]
