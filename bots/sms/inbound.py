"""Incoming SMS (a STOP, mostly): ``POST /webhooks/sms``, our own small format.

TurboSMS's send API has no documented callback for messages people send back, so a two-way
number (or the gateway's forwarding, or the agency's phone) posts them here as JSON
``{"phone": "+380…", "text": "STOP"}`` signed with ``SMS_INBOUND_SECRET``:
``X-Tourdesk-Signature: hex(HMAC-SHA256(secret, raw body))``. A bad signature gets 401 and
changes nothing; the route exists only when the secret is set.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging

from aiohttp import web

from core import optout
from core.clients import normalise_phone
from core.contract import ChannelName
from core.errors import InvalidInput
from core.services import Services

log = logging.getLogger(__name__)

PATH = "/webhooks/sms"
HEADER = "X-Tourdesk-Signature"
MAX_BODY = 16_384


class SignatureError(Exception):
    """The body was not signed with our secret."""


def sign(secret: str, body: bytes) -> str:
    """The signature of ``body`` (for whoever forwards messages to us, and for tests)."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str | None) -> None:
    if not signature or not hmac.compare_digest(sign(secret, body), signature.strip().lower()):
        raise SignatureError("bad signature")


def setup_inbound(
    app: web.Application, services: Services, channel: ChannelName, secret: str
) -> None:
    async def receive(request: web.Request) -> web.Response:
        body = await request.content.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            return web.json_response({"ok": False, "error": "too large"}, status=413)
        try:
            verify(secret, body, request.headers.get(HEADER))
        except SignatureError:
            return web.json_response({"ok": False, "error": "bad signature"}, status=401)
        try:
            data = json.loads(body)
            phone = normalise_phone(str(data["phone"]), services.rules.agency.country)
            text = str(data.get("text") or "")
        except (ValueError, KeyError, TypeError, InvalidInput):
            return web.json_response({"ok": False, "error": "phone and text expected"}, status=400)
        stopped = await optout.inbound(services, channel, phone, text)
        log.info("sms inbound stop=%s", stopped)
        return web.json_response({"ok": True, "stopped": stopped})

    app.router.add_post(PATH, receive)
