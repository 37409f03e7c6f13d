"""``POST /webhooks/telegram``: authenticated by the secret Telegram echoes in a header.

A request without the right ``X-Telegram-Bot-Api-Secret-Token`` gets 401 and changes nothing.
A body that is too big (413) or not an update (400: not JSON, nested too deeply, invalid
text, numbers no column holds) is refused with a short reason and changes nothing. The update
is handled before the answer, so a 200 means "handled"; a twin of an update still being
handled gets 409, and an error (5xx) makes Telegram deliver it again (the update_id claim
keeps a handled one from running twice).
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from pydantic import ValidationError

from bots.telegram.updates import Update
from bots.web import BodyTooLarge, read_body
from core import wire

log = logging.getLogger("tourdesk.telegram")

PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 256 * 1024  # an update is a few KB; Telegram caps texts at 4096 characters

Feed = Callable[[Update], Awaitable[None]]


class UpdateBusy(Exception):
    """This update_id is being handled right now (another process or task)."""


def secret_matches(given: str | None, expected: str) -> bool:
    return hmac.compare_digest((given or "").encode(), expected.encode())


def handled() -> web.Response:
    return web.Response(body=b'{"ok":true}', content_type="application/json")


def refuse(status: int, reason: str) -> web.Response:
    return web.json_response({"ok": False, "error": reason}, status=status)


def parse_update(body: bytes) -> Update:
    """The update in ``body``; :class:`wire.JunkError` with a short reason for anything else."""
    data = wire.loads(body)
    if not isinstance(data, dict):
        raise wire.JunkError("not an update")
    try:
        return Update.model_validate(data)
    except (ValueError, ValidationError, TypeError, OverflowError, RecursionError):
        raise wire.JunkError("not an update") from None


def webhook_handler(
    secret: str, feed: Feed, is_open: Callable[[], bool]
) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    async def handle(request: web.Request) -> web.StreamResponse:
        if not secret_matches(request.headers.get(SECRET_HEADER), secret):
            log.warning("telegram webhook: wrong secret from %s", request.remote)
            return refuse(401, "unauthorized")
        if not is_open():
            return refuse(503, "shutting down")
        try:
            update = parse_update(await read_body(request, MAX_BODY))
        except BodyTooLarge:
            return refuse(413, "body too large")
        except wire.JunkError as exc:
            log.warning("telegram webhook: refused: %s", exc)
            return refuse(400, str(exc))
        try:
            await feed(update)
        except UpdateBusy:
            return refuse(409, "update in progress")
        except Exception:
            log.exception("telegram webhook: update %s failed", update.update_id)
            return web.json_response({"ok": False}, status=500)
        return handled()

    return handle
