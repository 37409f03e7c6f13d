"""The shared aiohttp web app: health, readiness, metrics; channels and payments add routes."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from tortoise import connections

from core.services import Services

log = logging.getLogger("tourdesk.web")

SERVICES = web.AppKey("services", Services)
CLIENT_MAX_SIZE = 1024 * 1024  # the whole app; each route reads with its own lower limit
CHUNK = 64 * 1024


class BodyTooLarge(Exception):
    """The request body is over the route's limit: answer 413."""


async def read_body(request: web.Request, limit: int) -> bytes:
    """The request body, refusing (:class:`BodyTooLarge`) past ``limit`` bytes without reading
    the rest: the declared length is checked first, then what actually arrives."""
    if request.content_length is not None and request.content_length > limit:
        raise BodyTooLarge(request.content_length)
    parts: list[bytes] = []
    size = 0
    while True:
        chunk = await request.content.read(CHUNK)
        if not chunk:
            return b"".join(parts)
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge(size)
        parts.append(chunk)


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    services = request.app[SERVICES]
    problems: list[str] = []
    try:
        await asyncio.wait_for(connections.get("default").execute_query("SELECT 1"), 3)
    except Exception as exc:
        problems.append(f"database: {type(exc).__name__}: {exc}".strip())
    if services.redis is not None:
        try:
            await asyncio.wait_for(services.redis.ping(), 3)
        except Exception as exc:
            problems.append(f"redis: {type(exc).__name__}: {exc}".strip())
    if problems:
        log.warning("not ready: %s", "; ".join(problems))
        return web.json_response({"status": "unavailable", "reasons": problems}, status=503)
    return web.json_response({"status": "ready"})


async def metrics(request: web.Request) -> web.Response:
    body = generate_latest()
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


def build_web_app(services: Services) -> web.Application:
    app = web.Application(client_max_size=CLIENT_MAX_SIZE)
    app[SERVICES] = services
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    return app
