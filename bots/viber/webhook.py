"""``POST /webhooks/viber``: verify, parse, dedupe, dispatch; answer fast.

The signature is checked over the raw body before anything is parsed (403 when it is missing
or wrong; 413 past the size limit; 400 with a short reason for a body that is not a Viber
callback: not JSON, nested too deeply, invalid text, a timestamp no date holds). A message
whose twin is still being handled gets 409 (Viber retries it later). Messages go to the
dispatcher at once (so the conversation state is saved before we answer 200) and their
replies are sent in the background; ``conversation_started`` is answered with the welcome
message in the response body, as Viber allows — the one message a bot may send to someone
who has not subscribed yet.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from aiohttp import web

from bots.viber.client import dumps
from bots.viber.events import EventError, ViberEvent, parse_event
from bots.viber.render import Renderer, merge
from bots.viber.signature import HEADER, SignatureError, verify
from bots.viber.spec import NAME
from bots.web import BodyTooLarge, read_body
from core import accounts, receipts, wire
from core.contract import Address, Incoming, Kind, Media, Reply
from core.locks import KeyedLocks
from core.payloads import PayloadError, decode
from core.services import Services
from storage.dedupe import BUSY, NEW

log = logging.getLogger("tourdesk.viber")

PATH = "/webhooks/viber"
MAX_BODY = 64 * 1024  # Viber's callbacks are a few KB (its messages are capped at 30 KB)

Dispatch = Callable[[Incoming], Awaitable[list[Reply]]]
ReplyLater = Callable[[Address, list[Reply]], None]

MEDIA_KINDS = {
    "picture": "photo",
    "video": "video",
    "file": "document",
    "sticker": "sticker",
    "gif": "photo",
}


def is_payload(text: str) -> bool:
    """Reply buttons send their ActionBody back as the message text: is this one of ours?"""
    try:
        decode(text)
    except PayloadError:
        return False
    return True


def to_incoming(event: ViberEvent) -> Incoming | None:
    """The neutral event for a ``conversation_started`` or ``message`` callback."""
    user = event.user
    if user is None:
        return None
    common: dict[str, Any] = {
        "channel": NAME,
        "user_id": user.id,
        "language": user.language,
        "user_name": user.name,
        "message_id": str(event.message_token) if event.message_token is not None else None,
    }
    if event.event == "conversation_started":
        return Incoming(kind=Kind.START, text="/start", start_param=event.context or None, **common)
    message = event.message
    if event.event != "message" or message is None:
        return None
    kind = message.type
    if kind == "text":
        text = message.text or ""
        if is_payload(text):
            return Incoming(kind=Kind.BUTTON, payload=text, **common)
        return Incoming(kind=Kind.TEXT, text=text, **common)
    if kind == "contact" and message.contact_phone:
        # A Viber contact card can carry any number: it is not proof (phone_verified stays off).
        return Incoming(kind=Kind.CONTACT, phone=message.contact_phone, **common)
    if kind == "location" and message.location is not None:
        return Incoming(kind=Kind.LOCATION, location=message.location, **common)
    if kind == "url" and (message.media or message.text):
        return Incoming(kind=Kind.TEXT, text=message.media or message.text, **common)
    ref = message.media or (str(message.sticker_id) if message.sticker_id is not None else None)
    media = Media(MEDIA_KINDS.get(kind, "other"), file_ref=ref, caption=message.text)
    return Incoming(kind=Kind.MEDIA, media=media, text=message.text, **common)


class UpdateBusy(Exception):
    """This message_token is being handled right now (another process or task)."""


def read_event(raw: bytes) -> ViberEvent:
    """The callback in ``raw``, or :class:`wire.JunkError` with a short reason."""
    data = wire.loads(raw)
    try:
        event = parse_event(data)
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError) as exc:
        reason = str(exc) if isinstance(exc, EventError) else "not a Viber callback"
        raise wire.JunkError(reason[:100]) from None
    if event.timestamp is not None and wire.timestamp_ms(event.timestamp) is None:
        raise wire.JunkError("timestamp out of range")
    return event


class ViberWebhook:
    def __init__(
        self,
        token: str,
        services: Services,
        dispatcher: Dispatch,
        renderer: Renderer,
        reply_later: ReplyLater,
    ) -> None:
        self.token = token
        self.services = services
        self.dispatcher = dispatcher
        self.renderer = renderer
        self.reply_later = reply_later
        # One update at a time per user in this process, so replies keep their order.
        self._locks = KeyedLocks()

    async def handle(self, request: web.Request) -> web.StreamResponse:
        try:
            raw = await read_body(request, MAX_BODY)
        except BodyTooLarge:
            return web.Response(status=413, text="body too large")
        try:
            verify(self.token, raw, request.headers.get(HEADER))
        except SignatureError as exc:
            log.warning("viber webhook refused from %s: %s", request.remote, exc)
            return web.Response(status=403, text="forbidden")
        try:
            event = read_event(raw)
        except wire.JunkError as exc:
            log.warning("viber webhook: unreadable callback: %s", exc)
            return web.Response(status=400, text=f"bad request: {exc}")
        try:
            return await self.on_event(event)
        except UpdateBusy:
            return web.Response(status=409, text="message in progress")

    async def on_event(self, event: ViberEvent) -> web.StreamResponse:
        name = event.event
        if name == "message":
            await self._message(event)
        elif name == "conversation_started":
            return await self._conversation_started(event)
        elif name == "subscribed":
            await self._subscribed(event)
        elif name == "unsubscribed":
            await accounts.unsubscribed(Address(NAME, event.who or ""))
            log.info("viber user %s unsubscribed", event.who)
        elif name in ("delivered", "seen", "failed"):
            await self._receipt(event)
        elif name != "webhook":
            log.debug("viber event %s ignored", name)
        return web.Response(status=200)

    async def _claim(self, key: str) -> bool:
        """True: ours to handle. False: handled before. Raises UpdateBusy while in progress."""
        claim = await self.services.updates.claim(NAME, key)
        if claim == BUSY:
            raise UpdateBusy(key)
        return claim == NEW

    async def _message(self, event: ViberEvent) -> None:
        """Claimed as "in progress" under a short lease, "done" once the dispatcher committed:
        a crash in between lets Viber's retry through when the lease lapses."""
        token = str(event.message_token) if event.message_token is not None else None
        if token is not None and not await self._claim(token):
            log.info("viber message %s seen before: skipped", token)
            return
        incoming = to_incoming(event)
        if incoming is None:
            if token is not None:
                await self.services.updates.done(NAME, token)
            return
        async with self._locks.hold(incoming.user_id):
            try:
                replies = await self.dispatcher(incoming)
            except BaseException:
                # Not handled (database down, shutdown): Viber's retry must not be skipped.
                if token is not None:
                    await self.services.updates.forget(NAME, token)
                raise
            if token is not None:
                await self.services.updates.done(NAME, token)
            if replies:  # queued while holding the lock: replies leave in the order of updates
                self.reply_later(incoming.address, replies)

    async def _conversation_started(self, event: ViberEvent) -> web.StreamResponse:
        updates = self.services.updates
        key = f"conversation_started:{event.message_token}" if event.message_token else None
        if key is not None and not await self._claim(key):
            return web.Response(status=200)
        incoming = to_incoming(event)
        if incoming is None:
            if key is not None:
                await updates.done(NAME, key)
            return web.Response(status=200)
        async with self._locks.hold(incoming.user_id):
            try:
                replies = await self.dispatcher(incoming)
                if event.subscribed is False:
                    # Opening the chat is not subscribing: we may answer now, not write later.
                    await accounts.mark(incoming.address, subscribed=False)
            except BaseException:
                if key is not None:
                    await updates.forget(NAME, key)
                raise
            if key is not None:
                await updates.done(NAME, key)
        welcome = merge(replies)
        if welcome is None:
            return web.Response(status=200)
        bodies = self.renderer.messages(welcome, receiver=None)
        if len(bodies) > 1:
            log.warning("viber welcome longer than one message: %d parts dropped", len(bodies) - 1)
        return web.Response(body=dumps(bodies[0]), content_type="application/json")

    async def _subscribed(self, event: ViberEvent) -> None:
        user = event.user
        if user is None:
            return
        address = Address(NAME, user.id)
        await accounts.subscribed(address, name=user.name, language=user.language)
        log.info("viber user %s subscribed", user.id)

    async def _receipt(self, event: ViberEvent) -> None:
        at = (
            datetime.fromtimestamp(event.timestamp / 1000, UTC)
            if event.timestamp
            else self.services.clock.now()
        )
        receipt = receipts.Receipt(event.event)
        await receipts.record(
            NAME,
            str(event.message_token),
            receipt,
            at,
            user_id=event.user_id or None,
            error=event.desc,
        )
        if receipt is receipts.Receipt.FAILED:
            log.info("viber message %s failed: %s", event.message_token, event.desc)
