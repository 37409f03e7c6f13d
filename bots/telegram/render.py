"""A neutral :class:`Reply` -> Telegram messages.

Texts are plain (handlers never write markup), so everything is HTML-escaped and sent with
``parse_mode=HTML``. Texts longer than Telegram's 4096 characters are split at line or word
boundaries; buttons go on the last part. Buttons become an inline keyboard; a phone request
becomes a one-time reply keyboard with a "share contact" button. A message can carry only one
keyboard, so a phone request that also has inline buttons is sent as the text with the inline
buttons, then the phone button under its own label.
"""

from __future__ import annotations

import asyncio
import html
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import aiohttp
from aiogram import Bot
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from pydantic_core import to_json

from bots.telegram.session import TelegramSession
from bots.telegram.spec import TEXT_LIMIT
from core.contract import AnyButton, LinkButton, Media, Reply

CAPTION_LIMIT = 1024
PHONE_LABEL_FALLBACK = "📱"  # used only if a handler forgot phone_label

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
Pace = Callable[[], Awaitable[None]]
_timeouts: dict[float, aiohttp.ClientTimeout] = {}  # one per timeout value, made once


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _fit(text: str, limit: int) -> int:
    """The longest prefix (in code points) of ``text`` that is at most ``limit`` UTF-16 units."""
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            return index
    return len(text)


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut ``text`` into parts of at most ``limit``: at a line break if there is one in the
    second half of the part, else at the last space, else at any line break, else hard."""
    parts: list[str] = []
    rest = text
    while utf16_len(rest) > limit:
        cut = _fit(rest, limit)
        window = rest[: cut + 1]  # a break right after the limit is dropped, so it may be used
        line, space = window.rfind("\n"), window.rfind(" ")
        at = line if line >= cut // 2 else (space if space > 0 else line)
        if at <= 0:
            parts.append(rest[:cut])
            rest = rest[cut:]
            continue
        parts.append(rest[:at].rstrip() or rest[:at])
        rest = rest[at + 1 :]
    if rest or not parts:
        parts.append(rest)
    return parts


def escape(text: str) -> str:
    return html.escape(text, quote=False)


def inline_keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    """The inline keyboard of ``reply``'s buttons. The same buttons (a menu shown again) give
    the same object, built once: aiogram validates every button it builds, measured as a
    tenth of a webhook reply's CPU (bench/telegram_webhook.py). Nothing changes a keyboard
    once built (aiogram only reads it to send it)."""
    if not reply.buttons:
        return None
    return _inline_keyboard(reply.buttons)


@lru_cache(maxsize=2048)
def _inline_keyboard(buttons: tuple[tuple[AnyButton, ...], ...]) -> InlineKeyboardMarkup:
    rows = [
        [
            InlineKeyboardButton(text=b.label, url=b.url)
            if isinstance(b, LinkButton)
            else InlineKeyboardButton(text=b.label, callback_data=b.payload)
            for b in row
        ]
        for row in buttons
        if row
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def phone_keyboard(label: str) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=label, request_contact=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


@dataclass(frozen=True, slots=True)
class Part:
    """One Telegram message: HTML text (already escaped), an optional keyboard and media."""

    text: str
    markup: Markup | None = None
    media: Media | None = None


def plan(reply: Reply, *, remove_keyboard: bool = False) -> list[Part]:
    """The messages that show ``reply``. ``remove_keyboard`` takes away a contact keyboard
    left from an earlier phone request (only where no inline keyboard needs the slot)."""
    inline = inline_keyboard(reply)
    last_markup: Markup | None = inline
    if last_markup is None and remove_keyboard and not reply.request_phone:
        last_markup = ReplyKeyboardRemove(remove_keyboard=True)
    if reply.request_phone and inline is None:
        last_markup = phone_keyboard(reply.phone_label or PHONE_LABEL_FALLBACK)
    parts: list[Part] = []
    text = reply.text
    media = reply.media if reply.media and reply.media.file_ref else None
    if media is not None:
        fits = utf16_len(text) <= CAPTION_LIMIT and media.kind != "sticker"
        parts.append(Part(escape(text) if fits else "", None, media))
        if fits:
            text = ""
    if text or not parts:
        parts += [Part(escape(chunk)) for chunk in split_text(text)]
    parts[-1] = Part(parts[-1].text, last_markup, parts[-1].media)
    if reply.request_phone and inline is not None:
        label = reply.phone_label or PHONE_LABEL_FALLBACK
        parts.append(Part(escape(label), phone_keyboard(label)))
    return parts


def can_edit(reply: Reply) -> bool:
    """Only a single text message with (at most) inline buttons can replace another in place."""
    return reply.edit and editable(reply)


def editable(reply: Reply) -> bool:
    """Whether ``reply`` fits in place of an earlier text message (one part, inline buttons)."""
    return (
        not reply.request_phone
        and reply.media is None
        and utf16_len(reply.text) <= TEXT_LIMIT
        and bool(reply.text)
    )


_MEDIA_METHODS = {
    "photo": ("send_photo", "photo"),
    "document": ("send_document", "document"),
    "video": ("send_video", "video"),
    "voice": ("send_voice", "voice"),
    "audio": ("send_audio", "audio"),
    "animation": ("send_animation", "animation"),
    "sticker": ("send_sticker", "sticker"),
    "video_note": ("send_video_note", "video_note"),
}


def _dumps(fields: dict[str, Any]) -> bytes:
    """Compact JSON, UTF-8 as is: what ``json.dumps(..., ensure_ascii=False, separators=(",",
    ":"))`` gives for these plain values, in a sixth of its time (pydantic's encoder)."""
    return to_json(fields)


_markup_json: dict[int, tuple[Markup, dict[str, Any]]] = {}


def markup_json(markup: Markup) -> dict[str, Any]:
    """``markup`` as the JSON it is sent as; worked out once per keyboard object (inline
    keyboards are built once per set of buttons, so a menu's is reused by every reply)."""
    known = _markup_json.get(id(markup))
    if known is not None and known[0] is markup:
        return known[1]
    if len(_markup_json) >= 4096:
        _markup_json.clear()
    value = markup.model_dump(mode="json", exclude_none=True)
    _markup_json[id(markup)] = (markup, value)
    return value


def encoded_tail(part: Part, *, paid: bool) -> bytes | None:
    """A text part's sendMessage body after the chat id, JSON-encoded once for every chat it
    goes to (a mailing); None for media parts (sent the usual way)."""
    if part.media is not None:
        return None
    fields: dict[str, Any] = {"text": part.text, "parse_mode": ParseMode.HTML.value}
    if part.markup is not None:
        fields["reply_markup"] = markup_json(part.markup)
    if paid:
        fields["allow_paid_broadcast"] = True
    return _dumps(fields)[1:]


def edit_body(chat_id: int, message_id: int, reply: Reply) -> bytes:
    """The editMessageText body that shows ``reply`` in place of ``message_id``: the fields
    aiogram's ``edit_message_text`` sends for it, as one JSON document."""
    fields: dict[str, Any] = {
        "chat_id": chat_id,
        "message_id": message_id,
        "text": escape(reply.text),
        "parse_mode": ParseMode.HTML.value,
    }
    markup = inline_keyboard(reply)
    if markup is not None:
        fields["reply_markup"] = markup_json(markup)
    return _dumps(fields)


class Renderer:
    """Sends planned parts with one bot; raises aiogram's errors for the caller to classify."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send_encoded(
        self,
        chat_id: int,
        part: Part,
        tail: bytes | None,
        paid: bool,
        within: float | None = None,
    ) -> int:
        """One part whose body after the chat id is ``tail`` (:func:`encoded_tail`), straight
        through :meth:`TelegramSession.post_json` where the bot has one; its message id.
        ``within`` (seconds) bounds the request: the HTTP client's own timer on the JSON way,
        ``asyncio.timeout`` on aiogram's."""
        session = self.bot.session
        if tail is None or not isinstance(session, TelegramSession):
            async with asyncio.timeout(within):
                return (await self.send_part(chat_id, part, paid=paid)).message_id
        body = b'{"chat_id":' + str(chat_id).encode() + b"," + tail

        def method() -> SendMessage:
            return SendMessage(chat_id=chat_id, text=part.text, parse_mode=ParseMode.HTML)

        limit = _timeouts.get(within) if within is not None else None
        if within is not None and limit is None:
            limit = _timeouts[within] = aiohttp.ClientTimeout(total=within)
        result = await session.post_json(self.bot, "sendMessage", method, body, limit)
        return int(result["message_id"])

    async def send_part(self, chat_id: int, part: Part, *, paid: bool = False) -> Message:
        """One part; ``paid``: allow_paid_broadcast (bulk lane above the free 30/s)."""
        extra: dict[str, Any] = {"allow_paid_broadcast": True} if paid else {}
        if part.media is not None and part.media.file_ref:
            method, field = _MEDIA_METHODS.get(part.media.kind, ("send_document", "document"))
            kwargs: dict[str, Any] = {field: part.media.file_ref, "reply_markup": part.markup}
            kwargs.update(extra)
            if part.text and method not in ("send_sticker", "send_video_note"):
                kwargs.update(caption=part.text, parse_mode=ParseMode.HTML)
            result: Message = await getattr(self.bot, method)(chat_id=chat_id, **kwargs)
            return result
        return await self.bot.send_message(
            chat_id=chat_id,
            text=part.text,
            parse_mode=ParseMode.HTML,
            reply_markup=part.markup,
            **extra,
        )

    async def send(
        self,
        chat_id: int,
        reply: Reply,
        *,
        remove_keyboard: bool = False,
        pace: Pace | None = None,
    ) -> list[int]:
        """Send every part of ``reply``; returns their message ids."""
        ids: list[int] = []
        for part in plan(reply, remove_keyboard=remove_keyboard):
            if pace is not None:
                await pace()
            tail = encoded_tail(part, paid=False)
            ids.append(await self.send_encoded(chat_id, part, tail, False))
        return ids

    async def answer_callback(self, query_id: str) -> None:
        """answerCallbackQuery with nothing but the id (stops the button's spinner)."""
        session = self.bot.session
        if not isinstance(session, TelegramSession):
            await self.bot.answer_callback_query(callback_query_id=query_id)
            return

        def method() -> AnswerCallbackQuery:
            return AnswerCallbackQuery(callback_query_id=query_id)

        body = _dumps({"callback_query_id": query_id})
        await session.post_json(self.bot, "answerCallbackQuery", method, body)

    async def edit_text(self, chat_id: int, message_id: int, reply: Reply) -> Message | bool:
        """Replace the text and buttons of ``message_id``; raises aiogram's errors."""
        return await self.bot.edit_message_text(
            chat_id=chat_id,
            message_id=message_id,
            text=escape(reply.text),
            parse_mode=ParseMode.HTML,
            reply_markup=inline_keyboard(reply),
        )

    async def edit(self, chat_id: int, message_id: int, reply: Reply) -> bool:
        """Replace the text and buttons of ``message_id``; False when it cannot be edited.

        Sent as one JSON body through :meth:`TelegramSession.post_json` where the bot has one
        (no method or answer model built; errors raise what aiogram's path raises)."""
        try:
            session = self.bot.session
            if isinstance(session, TelegramSession):

                def method() -> EditMessageText:
                    text = escape(reply.text)
                    return EditMessageText(chat_id=chat_id, message_id=message_id, text=text)

                body = edit_body(chat_id, message_id, reply)
                await session.post_json(self.bot, "editMessageText", method, body)
            else:
                await self.edit_text(chat_id, message_id, reply)
        except TelegramBadRequest as exc:
            # "not modified": the same button pressed twice, the message already shows this
            return "message is not modified" in exc.message.lower()
        return True
