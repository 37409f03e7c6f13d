"""Viber as one channel of the composition root (see bots/channel.py)."""

from __future__ import annotations

from pydantic import Field

from bots.channel import ChannelAdapter, ChannelSpec, ChannelTable, Dispatch, table_of
from bots.viber.render import MAX_TEXT
from bots.viber.settings import viber_settings
from core.batching import BatchSender
from core.channels import Capabilities
from core.pacing import ChannelPace, steady
from core.rules import Rules
from core.services import Services
from core.settings import Settings

NAME = "viber"


class ViberTable(ChannelTable):
    """``[channels.viber]`` (older configs: ``[delivery] viber_rate``, ``viber_chat_rate``)."""

    rate: float = Field(50.0, gt=0)  # Viber publishes 500 broadcast requests per 10 s
    chat_rate: float = Field(1.0, ge=0)  # one user (0: no per-chat pacing)
    # the bot's URI (viber://pa?chatURI=<uri>): invite links open the chat with a context
    uri: str = Field("", pattern=r"^[A-Za-z0-9_.-]*$", max_length=64)


def _enabled(settings: Settings) -> bool:
    return viber_settings(settings).token is not None


def _build(services: Services, dispatcher: Dispatch) -> ChannelAdapter:
    from bots.viber.channel import ViberChannel

    return ViberChannel(services, dispatcher)


def explain(settings: Settings) -> dict[str, str]:
    """The start-up line: Viber only calls a webhook, so where it is, or why Viber is off."""
    section = viber_settings(settings)
    if section.token is None:
        return {"reason": "VIBER_TOKEN is not set"}
    from bots.viber.webhook import PATH  # the adapter's own modules only when it is configured

    public_url = settings.web.public_url
    if not public_url:
        return {"mode": "webhook", "webhook": "(PUBLIC_URL is not set: Viber cannot reach us)"}
    return {"mode": "webhook", "webhook": f"{public_url}{PATH}", "api": section.api_url}


def pace(settings: Settings, rules: Rules) -> ChannelPace:
    table = table_of(rules, NAME, ViberTable)
    return ChannelPace(
        NAME,
        per_chat=steady(table.chat_rate) if table.chat_rate else None,
        global_rate=steady(table.rate),
    )


def deep_link(settings: Settings, rules: Rules, code: str) -> str | None:
    """``viber://pa?chatURI=<uri>&context=<code>`` when ``[channels.viber] uri`` is set: Viber
    opens the chat and sends ``conversation_started`` with ``context`` (our start parameter)."""
    uri = table_of(rules, NAME, ViberTable).uri
    return f"viber://pa?chatURI={uri}&context={code}" if uri else None


def _batch_sender(adapter: ChannelAdapter) -> BatchSender | None:
    from bots.viber.broadcast import batch_sender  # the adapter's own client and renderer

    return batch_sender(adapter)


VIBER = ChannelSpec(
    name=NAME,
    title="Viber",
    build=_build,
    enabled=_enabled,
    capabilities=Capabilities(
        max_text=MAX_TEXT, buttons=True, edit_in_place=False, request_phone=True, carousel=True
    ),
    deep_link=deep_link,
    pace=pace,
    table=ViberTable,
    batch_sender=_batch_sender,
    explain=explain,
)
