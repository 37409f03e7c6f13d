"""Reply -> Viber ``send_message`` bodies.

A :class:`Reply` becomes one text message (more if the text is longer than Viber allows) whose
last part carries the keyboard: our rows of buttons laid out on Viber's 6-column grid, link
buttons as ``open-url``, and the "share my phone" request as a ``share-phone`` button (which
needs ``min_api_version`` 3). Viber cannot edit messages, so ``Reply.edit`` is ignored and a new
message is sent. ``Reply.cards`` become a rich-media carousel (up to six cards a message, each a
picture, its text and its own buttons) sent before the text.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from bots.viber.client import dumps
from core.contract import AnyButton, Card, LinkButton, Reply

log = logging.getLogger("tourdesk.viber")

COLUMNS = 6  # a keyboard row is 6 columns wide
MAX_TEXT = 7000  # characters in a text message
MAX_BODY_BYTES = 30 * 1024  # the whole JSON request
MAX_TRACKING = 4000
MAX_SENDER_NAME = 28
MAX_BUTTON_TEXT = 250
MAX_PICTURE_TEXT = 768
SHARE_PHONE_MIN_API = 3
SHARE_PHONE_BODY = "share-phone"
EMPTY_TEXT = "…"  # Viber refuses an empty text; a keyboard-only reply still needs one


def sender_info(name: str, avatar: str | None) -> dict[str, str]:
    info = {"name": name.strip()[:MAX_SENDER_NAME].strip() or "Bot"}
    if avatar:
        info["avatar"] = avatar
    return info


def column_widths(count: int) -> list[int]:
    """Share a row's 6 columns among ``count`` (1-6) buttons: 2 -> [3, 3], 4 -> [2, 2, 1, 1]."""
    base, extra = divmod(COLUMNS, count)
    return [base + 1 if i < extra else base for i in range(count)]


def _label(text: str) -> str:
    # Button texts are read as (a little) HTML by Viber: keep our labels literal.
    return html.escape(text[:MAX_BUTTON_TEXT], quote=False)


def _button(button: AnyButton, columns: int) -> dict[str, Any]:
    if isinstance(button, LinkButton):
        return {
            "Columns": columns,
            "Rows": 1,
            "ActionType": "open-url",
            "ActionBody": button.url,
            "Text": _label(button.label),
        }
    return {
        "Columns": columns,
        "Rows": 1,
        "ActionType": "reply",
        "ActionBody": button.payload,
        "Text": _label(button.label),
        "Silent": True,  # do not echo the payload into the chat as the user's message
    }


def keyboard_buttons(reply: Reply) -> list[dict[str, Any]]:
    buttons: list[dict[str, Any]] = []
    if reply.request_phone:
        buttons.append(
            {
                "Columns": COLUMNS,
                "Rows": 1,
                "ActionType": "share-phone",
                "ActionBody": SHARE_PHONE_BODY,
                "Text": _label(reply.phone_label or "📱"),
            }
        )
    for row in reply.buttons:
        for start in range(0, len(row), COLUMNS):
            chunk = row[start : start + COLUMNS]
            for button, width in zip(chunk, column_widths(len(chunk)), strict=True):
                buttons.append(_button(button, width))
    return buttons


CAROUSEL_ROWS = 7  # a card's height on the rich-media grid (Viber's maximum)
CAROUSEL_MAX = 6  # cards in one rich-media message
CARD_IMAGE_ROWS = 3
CARD_MAX_BUTTONS = 3
CARD_TEXT = 220  # characters of a card's text; more would not show
RICH_MEDIA_MIN_API = 2


def _card_text(text: str) -> str:
    cut = text if len(text) <= CARD_TEXT else text[: CARD_TEXT - 1].rstrip() + "…"
    return html.escape(cut, quote=False).replace("\n", "<br>")


def card_buttons(card: Card) -> list[dict[str, Any]]:
    """One card as rich-media grid cells: picture, text, then one button a row; always
    :data:`CAROUSEL_ROWS` rows high, as Viber requires of every card of a group."""
    actions = [_button(b, COLUMNS) for b in card.buttons[:CARD_MAX_BUTTONS]]
    media = card.media
    # a URL only: a file id of another messenger cannot travel
    ref = (media.file_ref or "") if media is not None else ""
    picture = media is not None and media.kind == "photo" and ref.startswith("http")
    cells: list[dict[str, Any]] = []
    if picture:
        image = {"Columns": COLUMNS, "Rows": CARD_IMAGE_ROWS, "ActionType": "none"}
        cells.append({**image, "Image": ref})
    text_rows = CAROUSEL_ROWS - len(actions) - (CARD_IMAGE_ROWS if picture else 0)
    cells.append(
        {
            "Columns": COLUMNS,
            "Rows": text_rows,
            "ActionType": "none",
            "Text": _card_text(card.text),
            "TextSize": "small",
            "TextVAlign": "top",
            "TextHAlign": "left",
        }
    )
    return cells + actions


def keyboard(reply: Reply) -> dict[str, Any] | None:
    buttons = keyboard_buttons(reply)
    if not buttons:
        return None
    return {"Type": "keyboard", "DefaultHeight": False, "Buttons": buttons}


def split_text(text: str, limit: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters, at a line break or space."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = rest.rfind("\n", 0, limit)
        if cut < limit // 2:
            cut = rest.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


def merge(replies: Sequence[Reply]) -> Reply | None:
    """Several replies as one message (Viber's welcome message is a single message)."""
    if not replies:
        return None
    if len(replies) == 1:
        return replies[0]
    phone_labels = [r.phone_label for r in replies if r.request_phone and r.phone_label]
    return Reply(
        text="\n\n".join(r.text for r in replies if r.text),
        buttons=tuple(row for r in replies for row in r.buttons),
        request_phone=any(r.request_phone for r in replies),
        phone_label=phone_labels[-1] if phone_labels else None,
        media=next((r.media for r in replies if r.media is not None), None),
    )


class Renderer:
    def __init__(self, sender: dict[str, str]) -> None:
        self.sender = sender

    def _base(self, receiver: str | None, tracking_data: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {"sender": dict(self.sender)}
        if receiver is not None:
            body["receiver"] = receiver
        if tracking_data:
            body["tracking_data"] = tracking_data[:MAX_TRACKING]
        return body

    def _with_keyboard(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        kb = keyboard(reply)
        if kb is not None:
            body["keyboard"] = kb
            if reply.request_phone:
                body["min_api_version"] = SHARE_PHONE_MIN_API
        return body

    def _media_message(
        self, reply: Reply, receiver: str | None, tracking_data: str | None
    ) -> dict[str, Any] | None:
        """The message for ``reply.media`` when it is a URL (platform file ids cannot travel)."""
        media = reply.media
        if media is None or not media.file_ref or not media.file_ref.startswith("http"):
            return None
        body = self._base(receiver, tracking_data)
        if media.kind == "photo":
            body.update(type="picture", media=media.file_ref, text="")
        else:
            body.update(type="url", media=media.file_ref)
        return body

    def carousel(
        self, reply: Reply, receiver: str | None, tracking_data: str | None
    ) -> list[dict[str, Any]]:
        """``reply.cards`` as rich-media messages of up to six cards each."""
        bodies = []
        for start in range(0, len(reply.cards), CAROUSEL_MAX):
            group = reply.cards[start : start + CAROUSEL_MAX]
            body = self._base(receiver, tracking_data)
            body.update(
                type="rich_media",
                min_api_version=RICH_MEDIA_MIN_API,
                alt_text="\n\n".join(c.text for c in group)[:MAX_PICTURE_TEXT],
                rich_media={
                    "Type": "rich_media",
                    "ButtonsGroupColumns": COLUMNS,
                    "ButtonsGroupRows": CAROUSEL_ROWS,
                    "BgColor": "#FFFFFF",
                    "Buttons": [cell for card in group for cell in card_buttons(card)],
                },
            )
            bodies.append(body)
        return bodies

    def messages(
        self, reply: Reply, *, receiver: str | None, tracking_data: str | None = None
    ) -> list[dict[str, Any]]:
        """The ``send_message`` bodies for one reply, in order (the keyboard rides on the last)."""
        if reply.cards:
            cards = self.carousel(reply, receiver, tracking_data)
            if reply.text or reply.media:
                rest = replace(reply, cards=())
                return cards + self.messages(rest, receiver=receiver, tracking_data=tracking_data)
            self._with_keyboard(cards[-1], reply)
            return cards
        media = self._media_message(reply, receiver, tracking_data)
        if media is not None and media["type"] == "picture" and len(reply.text) <= MAX_PICTURE_TEXT:
            media["text"] = reply.text
            return [self._with_keyboard(media, reply)]
        if media is not None and not reply.text:
            return [self._with_keyboard(media, reply)]
        bodies = [media] if media is not None else []
        text = reply.text or EMPTY_TEXT
        limit = MAX_TEXT
        while True:
            chunks = split_text(text, limit)
            texts: list[dict[str, Any]] = []
            for index, chunk in enumerate(chunks):
                body = self._base(receiver, tracking_data)
                body.update(type="text", text=chunk)
                if index == len(chunks) - 1:
                    self._with_keyboard(body, reply)
                texts.append(body)
            if all(len(dumps(b)) <= MAX_BODY_BYTES for b in texts):
                return bodies + texts
            if limit <= 256:
                log.warning("viber message over %d bytes even in small parts", MAX_BODY_BYTES)
                return bodies + texts
            limit //= 2
