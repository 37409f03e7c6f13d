"""The channel-neutral conversation contract: what comes in, what goes out.

Every messenger adapter in ``bots/`` maps its platform's updates to :class:`Incoming`
and renders :class:`Reply` back; handlers never see anything platform specific.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

# An opaque messenger name ("telegram", "viber", an SMS gateway...). core/ and handlers/ never
# compare it with a list of known names: what a channel can do is in ``core.channels``.
ChannelName = str


class Kind(StrEnum):
    START = "start"  # the conversation (re)started: /start, Viber conversation_started
    TEXT = "text"  # free text typed by the user (commands included)
    BUTTON = "button"  # a button press carrying a payload
    CONTACT = "contact"  # the user shared their own phone number
    LOCATION = "location"
    MEDIA = "media"  # photo, document, sticker, ...


@dataclass(frozen=True, slots=True)
class Address:
    """Where a conversation lives: stored with every message so later ones go back the same way."""

    channel: ChannelName
    user_id: str

    def __str__(self) -> str:
        return f"{self.channel}:{self.user_id}"


@dataclass(frozen=True, slots=True)
class Media:
    kind: str  # photo | document | sticker | video | voice | other
    file_ref: str | None = None  # platform file id / URL, for relaying
    caption: str | None = None


@dataclass(frozen=True, slots=True)
class Incoming:
    channel: ChannelName
    user_id: str
    kind: Kind
    text: str | None = None
    payload: str | None = None  # button payload
    phone: str | None = None  # shared contact
    # The messenger vouches that ``phone`` is the sender's own (Telegram: contact.user_id is the
    # sender). A contact without it is just a number someone sent us.
    phone_verified: bool = False
    language: str | None = None  # the messenger's language hint (e.g. "uk", "en-US")
    user_name: str | None = None
    start_param: str | None = None  # deep-link payload of /start
    location: tuple[float, float] | None = None
    media: Media | None = None
    reply_to: str | None = None  # id of the bot message this one replies to (if any)
    message_id: str | None = None  # the platform's id of this incoming message

    @property
    def address(self) -> Address:
        return Address(self.channel, self.user_id)

    @property
    def command(self) -> str | None:
        """``"start"`` for ``/start foo``; None when the text is not a slash command."""
        if self.kind is Kind.START:
            return "start"
        if self.kind is Kind.TEXT and self.text and self.text.startswith("/"):
            head = self.text[1:].split(maxsplit=1)[0] if len(self.text) > 1 else ""
            return head.split("@", 1)[0].lower() or None
        return None

    @property
    def command_args(self) -> str:
        if self.kind is Kind.TEXT and self.text and self.text.startswith("/"):
            parts = self.text.split(maxsplit=1)
            return parts[1].strip() if len(parts) > 1 else ""
        return self.start_param or ""


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    payload: str


@dataclass(frozen=True, slots=True)
class LinkButton:
    label: str
    url: str


AnyButton = Button | LinkButton


@dataclass(frozen=True, slots=True)
class Card:
    """One item of a carousel: a picture, a short text and its own buttons (one per row)."""

    text: str
    media: Media | None = None
    buttons: tuple[AnyButton, ...] = ()


@dataclass(frozen=True, slots=True)
class Reply:
    """One message to show the user. Texts are already localised.

    ``buttons`` are rows of buttons. ``request_phone`` asks the channel to show its native
    "share my phone" control (Telegram contact keyboard, Viber share-phone). ``edit`` hints that
    this reply replaces the previous bot message (menu navigation); channels that cannot edit
    send a new message instead. ``cards``: a carousel shown before the text, only for channels
    whose capabilities say ``carousel``. ``text`` is plain (it may contain what users typed):
    channels that render markup escape all of it.
    """

    text: str
    buttons: tuple[tuple[AnyButton, ...], ...] = ()
    request_phone: bool = False
    phone_label: str | None = None
    edit: bool = False
    media: Media | None = None
    cards: tuple[Card, ...] = ()

    def all_buttons(self) -> list[AnyButton]:
        return [b for row in self.buttons for b in row]


def rows(*rows_: Sequence[AnyButton]) -> tuple[tuple[AnyButton, ...], ...]:
    """Build the ``buttons`` value of a :class:`Reply` from lists of buttons."""
    return tuple(tuple(r) for r in rows_ if r)


def column(*buttons: AnyButton) -> tuple[tuple[AnyButton, ...], ...]:
    """One button per row."""
    return tuple((b,) for b in buttons)
