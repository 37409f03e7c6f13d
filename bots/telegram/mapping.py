"""Telegram updates -> the neutral :class:`Incoming` (and nothing else: no rules here).

Only private chats are conversations; messages in groups and channels are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bots.telegram.spec import NAME
from bots.telegram.updates import CallbackQuery, ChatMemberUpdated, Message, Update, User
from core.contract import Address, Incoming, Kind, Media

# The update types tourdesk handles: asked for in setWebhook / getUpdates.
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
PRIVATE = "private"  # a chat's type (aiogram's ChatType.PRIVATE)
KICKED, MEMBER = "kicked", "member"  # a member's status (aiogram's ChatMemberStatus)


def _base(user: User, message_id: int | None) -> dict[str, Any]:
    return {
        "channel": NAME,
        "user_id": str(user.id),
        "language": user.language_code,
        "user_name": user.full_name,
        "message_id": str(message_id) if message_id is not None else None,
    }


def start_param(text: str) -> str | None:
    """``"/start"`` -> ``""``; ``"/start promo42"`` -> ``"promo42"``; other text -> None."""
    head, _, rest = text.strip().partition(" ")
    if head.lower() == "/start" or head.lower().startswith("/start@"):
        return rest.strip()
    return None


def _media(message: Message) -> Media | None:
    caption = message.caption
    if message.photo:
        return Media("photo", message.photo[-1].file_id, caption)  # the largest size
    if message.document:
        return Media("document", message.document.file_id, caption)
    if message.video:
        return Media("video", message.video.file_id, caption)
    if message.voice:
        return Media("voice", message.voice.file_id, caption)
    if message.audio:
        return Media("audio", message.audio.file_id, caption)
    if message.animation:
        return Media("animation", message.animation.file_id, caption)
    if message.sticker:
        return Media("sticker", message.sticker.file_id)
    if message.video_note:
        return Media("video_note", message.video_note.file_id)
    return None


def from_message(message: Message) -> Incoming | None:
    user = message.from_user
    if user is None or user.is_bot or message.chat.type != PRIVATE:
        return None
    values = _base(user, message.message_id)
    if message.reply_to_message is not None:
        values["reply_to"] = str(message.reply_to_message.message_id)
    if message.text is not None:
        param = start_param(message.text)
        if param is not None:
            return Incoming(kind=Kind.START, text=message.text, start_param=param or None, **values)
        return Incoming(kind=Kind.TEXT, text=message.text, **values)
    if message.contact is not None:
        return Incoming(
            kind=Kind.CONTACT,
            phone=message.contact.phone_number,
            phone_verified=is_own_contact(message),
            **values,
        )
    if message.location is not None:
        location = (message.location.latitude, message.location.longitude)
        return Incoming(kind=Kind.LOCATION, location=location, **values)
    media = _media(message)
    if media is not None:
        return Incoming(kind=Kind.MEDIA, media=media, **values)
    return None


def is_own_contact(message: Message) -> bool:
    """A shared contact counts only when it is the sender's own (Telegram fills ``user_id``)."""
    contact = message.contact
    user = message.from_user
    return bool(contact and user and contact.user_id is not None and contact.user_id == user.id)


def from_callback(query: CallbackQuery) -> Incoming | None:
    """A button press; the message that carried the button must be in a private chat."""
    if query.data is None or query.message is None:
        return None  # game buttons, inline-mode messages: not ours
    if query.message.chat.type != PRIVATE:
        return None
    values = _base(query.from_user, query.message.message_id)
    return Incoming(kind=Kind.BUTTON, payload=query.data, **values)


def editable_message_id(query: CallbackQuery) -> int | None:
    """The message a reply may replace; None when it is no longer accessible (older than 48 h)."""
    message = query.message
    if message is not None and message.date != 0:  # 0: Telegram's "inaccessible message"
        return message.message_id
    return None


@dataclass(frozen=True, slots=True)
class Membership:
    address: Address
    blocked: bool


def membership(event: ChatMemberUpdated) -> Membership | None:
    """The user blocked the bot (``kicked``) or unblocked it (``member``) in their private chat."""
    if event.chat.type != PRIVATE:
        return None
    status = event.new_chat_member.status
    address = Address(NAME, str(event.chat.id))
    if status == KICKED:
        return Membership(address, blocked=True)
    if status == MEMBER:
        return Membership(address, blocked=False)
    return None


def sender_of(update: Update) -> str:
    """Whose update this is: the key that keeps one user's updates in order."""
    for event in (update.message, update.callback_query, update.my_chat_member):
        user = getattr(event, "from_user", None) if event is not None else None
        if user is not None:
            return str(user.id)
    return f"update:{update.update_id}"
