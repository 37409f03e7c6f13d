"""``GET /reports/chart/{token}.png``: a report chart for the messenger that fetches it
(aiohttp only; storage and expiry in core/reports/pictures.py). Unknown or expired: 404."""

from __future__ import annotations

from aiohttp import web

from core.reports.pictures import fetch
from core.services import Services

SERVICES = web.AppKey("reports_services", Services)
TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


async def chart(request: web.Request) -> web.Response:
    token = request.match_info["token"]
    if not 20 <= len(token) <= 64 or not set(token) <= TOKEN_CHARS:
        raise web.HTTPNotFound()
    png = await fetch(token, request.app[SERVICES].clock.now())
    if png is None:
        raise web.HTTPNotFound()
    return web.Response(
        body=png, content_type="image/png", headers={"Cache-Control": "private, max-age=3600"}
    )


def setup_reports_web(app: web.Application, services: Services) -> None:
    app[SERVICES] = services
    app.router.add_get("/reports/chart/{token}.png", chart)
