"""Telegram as one channel of the composition root (see bots/channel.py)."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from bots.channel import ChannelAdapter, ChannelSpec, ChannelTable, Dispatch, table_of
from bots.telegram.settings import telegram_settings
from core.channels import Capabilities
from core.errors import ConfigError
from core.mailings.cost import paid_broadcast_stars
from core.pacing import ChannelPace, steady
from core.rules import Rules
from core.services import Services
from core.settings import Settings

NAME = "telegram"
# characters after entity parsing, counted in UTF-16 code units (bots/telegram/render.py)
TEXT_LIMIT = 4096


class TelegramTable(ChannelTable):
    """``[channels.telegram]`` (older configs: ``[agency] telegram_bot``, ``[delivery]
    telegram_rate`` ...)."""

    bot: str = ""  # the bot's username (with or without @), for invite deep links
    rate: float = Field(30.0, gt=0)  # the bot's global rate, messages/s (all processes)
    paid_rate: float = Field(1000.0, gt=0)  # bulk lane with TELEGRAM_PAID_BROADCAST
    chat_rate: float = Field(1.0, ge=0)  # one private chat (0: no per-chat pacing)

    @field_validator("bot")
    @classmethod
    def _bot_username(cls, value: str) -> str:
        name = value.strip().removeprefix("@")
        if name and not re.fullmatch(r"[A-Za-z0-9_]{3,64}", name):
            raise ValueError("must be a Telegram bot username (letters, digits, _)")
        return name


def _enabled(settings: Settings) -> bool:
    return telegram_settings(settings).token is not None


def _build(services: Services, dispatcher: Dispatch) -> ChannelAdapter:
    from bots.telegram.channel import TelegramChannel  # aiogram only when Telegram runs

    return TelegramChannel(services, dispatcher)


def explain(settings: Settings) -> dict[str, str]:
    """The start-up line: polling or webhook (and where), or why Telegram is off."""
    section = telegram_settings(settings)
    if section.token is None:
        return {"reason": "TELEGRAM_TOKEN is not set"}
    from bots.telegram.webhook import PATH  # the adapter's own modules only when it is configured

    public_url = settings.web.public_url
    mode = section.resolved_mode(public_url)
    fields = {"mode": mode, "api": section.api_url}
    if mode == "webhook":
        fields["webhook"] = f"{public_url}{PATH}" if public_url else "(PUBLIC_URL is not set)"
    return fields


def check(settings: Settings) -> None:
    """Webhook mode needs an address Telegram can call: refused before anything starts."""
    if telegram_settings(settings).mode == "webhook" and not settings.web.public_url:
        raise ConfigError("TELEGRAM_MODE=webhook needs PUBLIC_URL")


def deep_link(settings: Settings, rules: Rules, code: str) -> str | None:
    """``https://t.me/<bot>?start=<code>`` when ``[channels.telegram] bot`` is set."""
    bot = table_of(rules, NAME, TelegramTable).bot
    return f"https://t.me/{bot}?start={code}" if bot else None


def pace(settings: Settings, rules: Rules) -> ChannelPace:
    """From ``[channels.telegram]`` (and TELEGRAM_PAID_BROADCAST for the bulk lane)."""
    table = table_of(rules, NAME, TelegramTable)
    paid = telegram_settings(settings).paid_broadcast
    return ChannelPace(
        NAME,
        per_chat=steady(table.chat_rate) if table.chat_rate else None,
        global_rate=steady(table.rate),
        bulk_rate=steady(table.paid_rate) if paid else None,
    )


def bulk_cost(settings: Settings, messages: int) -> int | None:
    """Stars a bulk send costs under paid broadcast (messages over the free 30/s)."""
    if not telegram_settings(settings).paid_broadcast:
        return None
    return paid_broadcast_stars(messages)


TELEGRAM = ChannelSpec(
    name=NAME,
    title="Telegram",
    build=_build,
    enabled=_enabled,
    capabilities=Capabilities(
        max_text=TEXT_LIMIT,
        buttons=True,
        edit_in_place=True,
        request_phone=True,
        buttons_stay=True,
    ),
    deep_link=deep_link,
    pace=pace,
    table=TelegramTable,
    bulk_cost=bulk_cost,
    explain=explain,
    check=check,
)
