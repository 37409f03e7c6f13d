"""The unsubscribe link of mailing e-mails: a signed token over the account id, no login.

``GET /mail/unsubscribe/{token}`` (and the one-click ``POST`` of ``List-Unsubscribe-Post``)
withdraws the client's marketing consent at once and answers a page in their language; a token
that does not verify gets 400 with the reason.
"""

from __future__ import annotations

import hashlib
import hmac
import html

from aiohttp import web

from core.mailings.service import unsubscribe as withdraw_consent
from core.services import Services
from storage.models import Client, MessengerAccount
from storage.secrets import shared_secret

PATH = "/mail/unsubscribe/{token}"
SECRET = "mail-unsubscribe"
SERVICES = web.AppKey("mail_services", Services)
NO_STORE = {"Cache-Control": "no-store"}


def _mac(key: str, account_id: int) -> str:
    digest = hmac.new(key.encode(), f"unsubscribe:{account_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]


async def make_token(account_id: int) -> str:
    return f"{account_id}.{_mac(await shared_secret(SECRET), account_id)}"


async def unsubscribe_url(public_url: str, account_id: int) -> str:
    return f"{public_url.rstrip('/')}/mail/unsubscribe/{await make_token(account_id)}"


async def verify(token: str) -> int | None:
    """The account id a token was made for; None when it was not made by us."""
    head, _, mac = token.partition(".")
    if not head.isdigit() or len(head) > 12 or not mac:
        return None
    account_id = int(head)
    expected = _mac(await shared_secret(SECRET), account_id)
    return account_id if hmac.compare_digest(expected, mac) else None


def _page(status: int, title: str, text: str, lang: str) -> web.Response:
    body = (
        f'<!doctype html>\n<html lang="{html.escape(lang)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title></head>\n"
        f'<body style="font-family:sans-serif"><h1>{html.escape(title)}</h1>'
        f"<p>{html.escape(text)}</p></body></html>\n"
    )
    return web.Response(status=status, text=body, content_type="text/html", headers=NO_STORE)


async def _unsubscribe(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    account_id = await verify(request.match_info["token"])
    account = await MessengerAccount.get_or_none(id=account_id) if account_id else None
    owner = account.client_id if account is not None else None
    client = await Client.get_or_none(id=owner) if owner else None
    if client is None:
        t = services.translator(services.rules.agency.default_locale)
        status = 400 if account_id is None else 404
        reason = t("mail-unsubscribe-bad-link")
        return _page(status, t("mail-unsubscribe-title"), reason, t.locale)
    t = services.translator(client.locale)
    await withdraw_consent(services, client, None)
    return _page(200, t("mail-unsubscribe-title"), t("mail-unsubscribed"), t.locale)


def setup_unsubscribe(app: web.Application, services: Services) -> None:
    app[SERVICES] = services
    app.router.add_get(PATH, _unsubscribe)
    app.router.add_post(PATH, _unsubscribe)
