"""What core/ and handlers/ may know about messengers: opaque names and a directory of facts.

A channel is a name (``"telegram"``, ``"viber"``, an SMS gateway...). Each messenger package in
``bots/`` describes itself with a ``ChannelSpec`` (bots/channel.py); the composition root turns
the specs into one :class:`ChannelDirectory` on ``Services.channels``. Core code asks the
directory (a display title, an invite deep link, the pace of the outbox) and never compares a
channel against a list of known names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from core.contract import ChannelName
from core.pacing import ChannelPace
from core.rules import Rules

__all__ = [
    "Capabilities",
    "ChannelDirectory",
    "ChannelInfo",
    "ChannelName",
    "DeepLink",
    "TextCost",
]

# (rules, code) -> a link that opens the bot with ``/start code``, or None
DeepLink = Callable[[Rules, str], "str | None"]


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a channel can show; renderers degrade where it cannot (buttons as numbered text)."""

    max_text: int = 4096
    buttons: bool = True
    link_buttons: bool = True
    edit_in_place: bool = False
    request_phone: bool = False
    # each message keeps its own buttons (Telegram's inline keyboards), rather than one keyboard
    # that the next message replaces (Viber): several cards in a row can each carry buttons
    buttons_stay: bool = False
    # several cards side by side in one message, each with its own buttons (Viber rich media)
    carousel: bool = False
    # a channel that reaches a client by a field of the client record rather than by a
    # messenger account the person opened ("phone" for SMS, "email" for e-mail): its account
    # row is made on demand from that field (delivery fallback, clients with no messenger)
    address: Literal["phone", "email"] | None = None


@dataclass(frozen=True, slots=True)
class TextCost:
    """What sending one text to ``messages`` people costs where each message is paid by its
    parts (SMS): ``parts`` x ``messages`` x ``part_price`` (minor units of ``currency``; 0 when
    the price is not configured)."""

    parts: int
    messages: int
    part_price: int
    currency: str

    @property
    def total(self) -> int:
        return self.parts * self.messages * self.part_price


@dataclass(frozen=True, slots=True)
class ChannelInfo:
    """The platform-free facts about one channel, as its spec declared them."""

    name: ChannelName
    title: str
    capabilities: Capabilities = field(default_factory=Capabilities)
    deep_link: DeepLink | None = None
    pace: ChannelPace | None = None
    # the operator's own terminal: no flood control
    trusted: bool = False
    # what a bulk send of n messages costs, in the platform's unit (Telegram Stars under paid
    # broadcast); None: free
    bulk_cost: Callable[[int], int | None] | None = None
    # (messages, text) -> what sending that text to that many people costs (SMS parts)
    text_cost: Callable[[int, str], TextCost | None] | None = None
    # configured in this deployment (its settings are set): the delivery fallback only picks
    # channels that are
    enabled: bool = True


class ChannelDirectory:
    """The channels this deployment knows, by name (built once, then read-only)."""

    def __init__(self, infos: Iterable[ChannelInfo] = ()) -> None:
        self._infos: dict[ChannelName, ChannelInfo] = {}
        for info in infos:
            if info.name in self._infos:
                raise ValueError(f"channel {info.name!r} declared twice")
            self._infos[info.name] = info

    def __contains__(self, name: object) -> bool:
        return name in self._infos

    def get(self, name: ChannelName) -> ChannelInfo | None:
        return self._infos.get(name)

    def names(self) -> tuple[ChannelName, ...]:
        return tuple(self._infos)

    def enabled_names(self) -> tuple[ChannelName, ...]:
        """The channels configured in this deployment (their settings are set)."""
        return tuple(name for name, info in self._infos.items() if info.enabled)

    def title(self, name: ChannelName) -> str:
        info = self._infos.get(name)
        return info.title if info is not None else name

    def trusted(self, name: ChannelName) -> bool:
        info = self._infos.get(name)
        return info is not None and info.trusted

    def deep_link(self, rules: Rules, code: str) -> str | None:
        """The first channel's link that opens the bot with ``code`` (staff invites, referrals)."""
        for info in self._infos.values():
            link = info.deep_link(rules, code) if info.deep_link is not None else None
            if link:
                return link
        return None

    def reaching_by(self, name: ChannelName) -> str | None:
        """The client field (``"phone"``, ``"email"``) an enabled channel reaches clients by;
        None for a messenger, an unknown or a disabled channel."""
        info = self._infos.get(name)
        if info is None or not info.enabled:
            return None
        return info.capabilities.address

    def pacing(self) -> dict[ChannelName, ChannelPace]:
        return {name: i.pace for name, i in self._infos.items() if i.pace is not None}
