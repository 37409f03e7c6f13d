"""``POST /webhooks/telegram``: authenticated by the secret Telegram echoes in a header.

A request without the right ``X-Telegram-Bot-Api-Secret-Token`` gets 401 and changes nothing.
The update is handled before the answer, so a 200 means "handled" and an error (5xx) makes
Telegram deliver it again (the update_id dedupe keeps a handled one from running twice).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable

from aiogram import Bot
from aiogram.types import Update
from aiohttp import web
from pydantic import ValidationError

log = logging.getLogger("tourdesk.telegram")

PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

Feed = Callable[[Update], Awaitable[None]]


def secret_matches(given: str | None, expected: str) -> bool:
    return hmac.compare_digest((given or "").encode(), expected.encode())


def webhook_handler(
    bot: Bot, secret: str, feed: Feed, is_open: Callable[[], bool]
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        if not secret_matches(request.headers.get(SECRET_HEADER), secret):
            log.warning("telegram webhook: wrong secret from %s", request.remote)
            return web.json_response({"ok": False, "error": "unauthorized"}, status=401)
        if not is_open():
            return web.json_response({"ok": False, "error": "shutting down"}, status=503)
        try:
            update = Update.model_validate(await request.json(), context={"bot": bot})
        except (ValueError, ValidationError):
            return web.json_response({"ok": False, "error": "not an update"}, status=400)
        try:
            await feed(update)
        except Exception:
            log.exception("telegram webhook: update %s failed", update.update_id)
            return web.json_response({"ok": False}, status=500)
        return web.json_response({"ok": True})

    return handle
