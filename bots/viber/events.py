"""Viber callbacks as typed values: plain dict parsing, no SDK.

Shapes (timestamps in ms)::

    {"event": "message", "timestamp": 1, "message_token": 2,
     "sender": {"id", "name", "avatar", "language", "country", "api_version"},
     "message": {"type": "text", "text": "...", "tracking_data": "..."}}
    {"event": "conversation_started", "user": {...}, "context": "...", "subscribed": false, ...}
    {"event": "subscribed", "user": {...}}      {"event": "unsubscribed", "user_id": "..."}
    {"event": "delivered" | "seen", "message_token": 2, "user_id": "..."}
    {"event": "failed", "message_token": 2, "user_id": "...", "desc": "..."}
    {"event": "webhook", ...}
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class EventError(ValueError):
    """The body is JSON but not a Viber callback we can read: answer 400."""


@dataclass(frozen=True, slots=True)
class ViberUser:
    id: str
    name: str | None = None
    avatar: str | None = None
    language: str | None = None
    country: str | None = None
    api_version: int | None = None


@dataclass(frozen=True, slots=True)
class ViberMessage:
    type: str
    text: str | None = None
    media: str | None = None  # URL of a picture/video/file, or the link of a "url" message
    file_name: str | None = None
    sticker_id: int | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    location: tuple[float, float] | None = None
    tracking_data: str | None = None


@dataclass(frozen=True, slots=True)
class ViberEvent:
    event: str
    timestamp: int | None = None
    message_token: int | None = None
    user: ViberUser | None = None  # "sender" of a message, "user" of subscribed/conversation
    user_id: str | None = None  # unsubscribed, delivered, seen, failed
    message: ViberMessage | None = None
    subscribed: bool | None = None  # conversation_started
    context: str | None = None  # conversation_started: the deep-link context
    desc: str | None = None  # failed

    @property
    def who(self) -> str | None:
        """The Viber id of the user this event concerns."""
        return self.user.id if self.user is not None else self.user_id


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    raise EventError(f"expected a string, got {type(value).__name__}")


def _int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise EventError("expected a number, got a boolean")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise EventError(f"expected a number, got {value!r:.40}") from None


def _obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise EventError(f"{what} must be an object")
    return value


def parse_user(value: Any) -> ViberUser:
    data = _obj(value, "user")
    user_id = _str(data.get("id"))
    if not user_id:
        raise EventError("user without id")
    return ViberUser(
        id=user_id,
        name=_str(data.get("name")),
        avatar=_str(data.get("avatar")),
        language=_str(data.get("language")),
        country=_str(data.get("country")),
        api_version=_int(data.get("api_version")),
    )


def parse_message(value: Any) -> ViberMessage:
    data = _obj(value, "message")
    kind = _str(data.get("type"))
    if not kind:
        raise EventError("message without type")
    contact = data.get("contact")
    contact_name = contact_phone = None
    if contact is not None:
        contact_data = _obj(contact, "contact")
        contact_name = _str(contact_data.get("name"))
        contact_phone = _str(contact_data.get("phone_number"))
    location = None
    if data.get("location") is not None:
        loc = _obj(data["location"], "location")
        try:
            location = (float(loc["lat"]), float(loc["lon"]))
        except (KeyError, TypeError, ValueError):
            raise EventError("location without lat/lon") from None
    return ViberMessage(
        type=kind,
        text=_str(data.get("text")),
        media=_str(data.get("media")),
        file_name=_str(data.get("file_name")),
        sticker_id=_int(data.get("sticker_id")),
        contact_name=contact_name,
        contact_phone=contact_phone,
        location=location,
        tracking_data=_str(data.get("tracking_data")),
    )


def parse_event(data: Any) -> ViberEvent:
    body = _obj(data, "callback")
    event = _str(body.get("event"))
    if not event:
        raise EventError("callback without event")
    user = None
    if body.get("sender") is not None:
        user = parse_user(body["sender"])
    elif body.get("user") is not None:
        user = parse_user(body["user"])
    message = parse_message(body["message"]) if body.get("message") is not None else None
    parsed = ViberEvent(
        event=event,
        timestamp=_int(body.get("timestamp")),
        message_token=_int(body.get("message_token")),
        user=user,
        user_id=_str(body.get("user_id")),
        message=message,
        subscribed=bool(body["subscribed"]) if body.get("subscribed") is not None else None,
        context=_str(body.get("context")),
        desc=_str(body.get("desc")),
    )
    if event == "message" and (user is None or message is None):
        raise EventError("message callback without sender or message")
    if event in ("conversation_started", "subscribed") and user is None:
        raise EventError(f"{event} callback without user")
    if event in ("unsubscribed", "delivered", "seen", "failed") and not parsed.who:
        raise EventError(f"{event} callback without user_id")
    if event in ("delivered", "seen", "failed") and parsed.message_token is None:
        raise EventError(f"{event} callback without message_token")
    return parsed
