"""Screens more than one flow shows: the main menu, the language picker, the phone request, the
consent question, the settings screen and the answer to input nobody understood.

They live here, not in a flow, so flows import screens and never each other in a circle."""

from __future__ import annotations

from core.contract import Button, Reply, column, rows
from core.payloads import encode
from handlers.context import Context

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


def not_understood(ctx: Context) -> list[Reply]:
    """What any input nobody claimed gets (a client's, or anybody's who is not staff): one
    message, the hint above the menu."""
    return [main_menu(ctx, note=ctx.t("hint-not-understood"))]


def language_picker(ctx: Context, *, back: str | None = None, note: str | None = None) -> Reply:
    enabled = ctx.services.rules.agency.locales
    buttons = [Button(LANGUAGE_NAMES[loc], encode("lang", loc)) for loc in enabled]
    extra = [Button(ctx.t("button-back"), encode(back))] if back else []
    text = ctx.t("language-choose")
    return Reply(f"{note}\n\n{text}" if note else text, rows(buttons, extra))


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
