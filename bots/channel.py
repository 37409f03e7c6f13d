"""What every messenger package in bots/ offers: one :class:`ChannelSpec` and the adapter.

A spec names the channel and says how to read its settings section, whether it is configured,
how to build its adapter (renderer, sender, web routes), its deep-link format and its pace. The
composition root (``bots/app.py``) lists the specs explicitly, once; adding a messenger is one
new package declaring a spec and one entry in that list. Nothing registers at import time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Protocol, TypeVar

from aiohttp import web
from pydantic import BaseModel, ConfigDict, ValidationError

from core.batching import BatchSender
from core.channels import Capabilities, ChannelInfo, ChannelName, TextCost
from core.contract import Incoming, Reply
from core.errors import ConfigError
from core.pacing import ChannelPace
from core.rules import Rules
from core.sending import Sender
from core.services import Services
from core.settings import Settings

Dispatch = Callable[[Incoming], Awaitable[list[Reply]]]

M = TypeVar("M", bound=BaseModel)


class ChannelTable(BaseModel):
    """Base of a channel's ``[channels.<name>]`` table in tourdesk.toml (typos refused)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def table_of(rules: Rules, name: str, model: type[M]) -> M:
    """The ``[channels.<name>]`` table as ``model``; a bad value is a :class:`ConfigError`."""
    try:
        return model.model_validate(rules.channels.get(name, {}))
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "(table)"
        msg = err["msg"].removeprefix("Value error, ")
        raise ConfigError(f"[channels.{name}] {key}: {msg}") from None


class ChannelAdapter(Protocol):
    name: str

    @property
    def sender(self) -> Sender:
        """Sends this channel's outbox rows."""

    def setup_web(self, app: web.Application) -> None:
        """Add this channel's webhook routes to the shared web app (may do nothing)."""

    async def start(self) -> None:
        """Begin receiving (polling loop, webhook registration); must return promptly."""

    async def stop(self) -> None:
        """Stop receiving and close connections; in-flight updates finish first."""


def _always(settings: Settings) -> bool:
    return True


@dataclass(frozen=True)
class ChannelSpec:
    """One messenger, as the composition root sees it."""

    name: ChannelName
    title: str  # shown to users ("your code went to Telegram")
    # the adapter (renderer + sender + web routes); None: built elsewhere (the console demo)
    build: Callable[[Services, Dispatch], ChannelAdapter] | None = None
    # configured in this deployment? (its settings section read from the environment)
    enabled: Callable[[Settings], bool] = _always
    capabilities: Capabilities = field(default_factory=Capabilities)
    # (settings, rules, code) -> a link opening the bot with ``/start code``, or None
    deep_link: Callable[[Settings, Rules, str], str | None] | None = None
    pace: Callable[[Settings, Rules], ChannelPace | None] | None = None
    trusted: bool = False  # the operator's own terminal: no flood control
    # its ``[channels.<name>]`` table in tourdesk.toml (checked at start-up), if it has one
    table: type[ChannelTable] | None = None
    # its adapter -> a sender of one message to many receivers per request (Viber broadcast)
    batch_sender: Callable[[ChannelAdapter], BatchSender | None] | None = None
    # (settings, n) -> what sending n bulk messages costs (Telegram Stars), None when free
    bulk_cost: Callable[[Settings, int], int | None] | None = None
    # (settings, rules, n, text) -> what sending that text to n people costs (SMS parts)
    text_cost: Callable[[Settings, Rules, int, str], TextCost | None] | None = None
    # settings -> fields for its start-up log line: the mode it runs in when configured
    # (``{"mode": "webhook"}``), why not when it is off (``{"reason": "… is not set"}``)
    explain: Callable[[Settings], dict[str, str]] | None = None
    # settings -> None, or a ConfigError naming the variable: settings that are each valid
    # but cannot work together, refused before anything starts (``check_channels``)
    check: Callable[[Settings], None] | None = None

    def runs_in(self, settings: Settings) -> bool:
        """Whether ``tourdesk run`` starts this channel (it has an adapter and is configured)."""
        return self.build is not None and self.enabled(settings)

    def startup_fields(self, settings: Settings) -> dict[str, str]:
        """``state=on|off`` and the spec's own explanation, for the start-up log."""
        fields = {"state": "on" if self.runs_in(settings) else "off"}
        fields.update(self.explain(settings) if self.explain else {})
        if fields["state"] == "off":
            fields.setdefault("reason", "not configured")
        return fields

    def info(self, settings: Settings, rules: Rules) -> ChannelInfo:
        # the deep link reads the rules when asked (they are the deployment's, tests swap them)
        """The platform-free facts core/ may read (``Services.channels``)."""
        if self.table is not None:
            table_of(rules, self.name, self.table)  # refuse a bad table at start-up
        return ChannelInfo(
            name=self.name,
            title=self.title,
            capabilities=self.capabilities,
            deep_link=partial(self.deep_link, settings) if self.deep_link else None,
            pace=self.pace(settings, rules) if self.pace else None,
            trusted=self.trusted,
            bulk_cost=partial(self.bulk_cost, settings) if self.bulk_cost else None,
            text_cost=partial(self.text_cost, settings, rules) if self.text_cost else None,
            enabled=self.enabled(settings),
        )
