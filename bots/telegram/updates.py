"""The parts of a Telegram update tourdesk reads, validated as such (and nothing more).

aiogram's ``Update`` model validates every field the Bot API defines: a message is a model of
about eighty fields, a button press carries the whole message with its keyboard, each a model
with private attributes set up after validation. That was the largest single cost of a webhook
update in our own code (bench/telegram_webhook.py profile). Here an update is validated into
small models holding exactly what :mod:`bots.telegram.mapping` reads, with the Bot API's types
and required fields; other fields are ignored, so a junk value in a field we never read is no
longer refused (one we read still is: a 400 with a reason, as before).

Long polling still gets aiogram's ``Update`` from ``getUpdates``; :func:`from_aiogram` turns it
into these, so every update goes through the same code from there on.
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field


class _Part(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


_FROM = AliasChoices("from", "from_user")  # the sender: ``from`` on the wire, a Python keyword


class User(_Part):
    id: int
    is_bot: bool
    first_name: str
    last_name: str | None = None
    language_code: str | None = None

    @property
    def full_name(self) -> str:
        if self.last_name:
            return f"{self.first_name} {self.last_name}"
        return self.first_name


class Chat(_Part):
    id: int
    type: str


class File(_Part):
    file_id: str


class Contact(_Part):
    phone_number: str
    user_id: int | None = None


class Location(_Part):
    latitude: float
    longitude: float


class Replied(_Part):
    message_id: int


class Message(_Part):
    """A message, or (``date`` 0) one no longer accessible, as the Bot API marks it."""

    message_id: int
    date: int
    chat: Chat
    from_user: User | None = Field(None, validation_alias=_FROM)
    reply_to_message: Replied | None = None
    text: str | None = None
    caption: str | None = None
    contact: Contact | None = None
    location: Location | None = None
    photo: list[File] | None = None
    document: File | None = None
    video: File | None = None
    voice: File | None = None
    audio: File | None = None
    animation: File | None = None
    sticker: File | None = None
    video_note: File | None = None


class CallbackQuery(_Part):
    id: str
    from_user: User = Field(validation_alias=_FROM)
    message: Message | None = None
    data: str | None = None


class Member(_Part):
    status: str


class ChatMemberUpdated(_Part):
    chat: Chat
    from_user: User = Field(validation_alias=_FROM)
    new_chat_member: Member


class Update(_Part):
    update_id: int
    message: Message | None = None
    callback_query: CallbackQuery | None = None
    my_chat_member: ChatMemberUpdated | None = None


def from_aiogram(update: Any) -> Update:
    """An update aiogram parsed (long polling) as one of these."""
    return Update.model_validate(update.model_dump(mode="json", by_alias=True, exclude_none=True))
