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

from core.contract import ChannelName
from core.pacing import ChannelPace
from core.rules import Rules

__all__ = ["Capabilities", "ChannelDirectory", "ChannelInfo", "ChannelName", "DeepLink"]

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

    def pacing(self) -> dict[ChannelName, ChannelPace]:
        return {name: i.pace for name, i in self._infos.items() if i.pace is not None}
