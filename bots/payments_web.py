"""Payment HTTP routes (aiohttp only; the logic is in ``core/payments``).

``POST /payments/{provider}/callback`` — provider callbacks; ``GET /pay/{token}`` — our short
link; ``GET /pay/{token}/done`` — where the payer returns; ``/sandbox/checkout/{reference}`` —
the sandbox provider's page (404 unless the sandbox is enabled).
"""

from __future__ import annotations

import logging

from aiohttp import web

from bots.web import BodyTooLarge, read_body
from core.payments.pages import Page, done_page, pay_page, sandbox_checkout, sandbox_submit
from core.payments.processing import receive_callback
from core.services import Services

log = logging.getLogger("tourdesk.payments.web")

SERVICES = web.AppKey("payments_services", Services)
NO_STORE = {"Cache-Control": "no-store"}
MAX_CALLBACK_BODY = 64 * 1024  # providers' callbacks are a few KB


def _page(page: Page | None) -> web.Response:
    if page is None:
        raise web.HTTPNotFound()
    if page.location is not None:
        return web.Response(status=page.status, headers={"Location": page.location, **NO_STORE})
    return web.Response(
        status=page.status, text=page.html, content_type="text/html", headers=NO_STORE
    )


async def callback(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    try:
        body = await read_body(request, MAX_CALLBACK_BODY)
    except BodyTooLarge:
        return web.Response(status=413, text="body too large")
    try:
        answer = await receive_callback(
            services, request.match_info["provider"], body, request.headers
        )
    except Exception:
        # Nothing was committed for this callback (the transition rolls back): the provider
        # retries, and the raw event is on record.
        log.exception("payment callback failed provider=%s", request.match_info["provider"])
        return web.Response(status=500, text="internal error")
    return web.Response(
        status=answer.status,
        body=answer.body,
        content_type=answer.content_type,
        headers=dict(answer.headers),
    )


async def pay(request: web.Request) -> web.Response:
    return _page(await pay_page(request.app[SERVICES], request.match_info["token"]))


async def done(request: web.Request) -> web.Response:
    return _page(await done_page(request.app[SERVICES], request.match_info["token"]))


async def sandbox_page(request: web.Request) -> web.Response:
    return _page(await sandbox_checkout(request.app[SERVICES], request.match_info["reference"]))


async def sandbox_post(request: web.Request) -> web.Response:
    form = await request.post()
    choice = str(form.get("choice", ""))
    page = await sandbox_submit(request.app[SERVICES], request.match_info["reference"], choice)
    return _page(page)


def setup_payments_web(app: web.Application, services: Services) -> None:
    app[SERVICES] = services
    app.router.add_post("/payments/{provider}/callback", callback)
    app.router.add_get("/pay/{token}", pay)
    app.router.add_get("/pay/{token}/done", done)
    app.router.add_get("/sandbox/checkout/{reference}", sandbox_page)
    app.router.add_post("/sandbox/checkout/{reference}", sandbox_post)
