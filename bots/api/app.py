"""``/api/v1`` on the shared aiohttp app: the route table of every resource module, one
endpoint wrapper that authenticates, rate-limits, checks the scope, reads and validates the
request, applies the Idempotency-Key, calls the handler, turns refusals into problem details
and audits the request under the key's name.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any

from aiohttp import web
from pydantic import BaseModel

from bots.api import idempotency
from bots.api.auth import Principal, authenticate
from bots.api.openapi import build_document
from bots.api.problems import CONTENT_TYPE as PROBLEM
from bots.api.problems import ApiProblem, from_domain
from bots.api.routing import (
    Call,
    FileAnswer,
    Route,
    call_args,
    parse_body,
    parse_query,
    path_ids,
    read_json,
    read_upload,
)
from core.audit import audit_at
from core.errors import DomainError
from core.i18n import T, Translator
from core.ratelimit import Limit, Rate
from core.services import Services
from storage.models import ApiKey

log = logging.getLogger("tourdesk.api")

PREFIX = "/api/v1"
VERSION = "1.0.0"


def all_routes() -> list[Route]:
    """Every operation, in the order the document lists them."""
    from bots.api import clients, imports, mailings, orders, payments, reports, requests, staff

    return [
        route
        for module in (clients, orders, payments, requests, mailings, staff, imports, reports)
        for route in module.routes.routes
    ]


async def _rate_limit(services: Services, principal: Principal) -> None:
    per_minute = principal.rate_per_minute or services.rules.api.rate_per_minute
    limit = Limit(f"api:{principal.owner}", Rate(per_minute, 60.0))
    reservation = await services.limiter.reserve([limit], max_wait=0)
    if not reservation.granted:
        wait = max(1, math.ceil(reservation.wait))
        raise ApiProblem(
            429,
            "rate-limited",
            f"{per_minute} requests per minute for this key",
            headers={"Retry-After": str(wait)},
        )


def _json(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    if status == 204:
        return web.Response(status=204, headers=headers)
    return web.Response(
        status=status,
        text=json.dumps(body, ensure_ascii=False),
        content_type=PROBLEM if status >= 400 else "application/json",
        headers=headers,
    )


class Endpoint:
    """One route's aiohttp handler."""

    def __init__(self, route: Route, services: Services, t: T) -> None:
        self.route = route
        self.services = services
        self.t = t
        self.wants = call_args(route)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        started = time.monotonic()
        principal: Principal | None = None
        try:
            principal = await authenticate(self.services, request)
            await _rate_limit(self.services, principal)
            principal.require(self.route.scope)
            response = await self._answer(request, principal)
        except ApiProblem as problem:
            response = problem.response()
        except Exception:
            log.exception("api error %s %s", request.method, request.path)
            response = ApiProblem(500, "internal", "see the server log").response()
        if principal is not None:
            await self._audit(request, principal, response.status, started)
        log.info(
            "api method=%s path=%s status=%s key=%s ms=%.1f",
            request.method,
            request.path,
            response.status,
            principal.name if principal else "-",
            (time.monotonic() - started) * 1000,
        )
        return response

    async def _answer(self, request: web.Request, principal: Principal) -> web.Response:
        raw, data = b"", None
        if self.route.upload:
            data = await read_upload(self.route, request)
            raw = data.content
        elif self.route.body is not None:
            raw, data = await read_json(request, optional=self.route.body_optional)
        key = request.headers.get("Idempotency-Key")
        if request.method != "POST" or key is None:
            status, body = await self._run(request, principal, data)
            if isinstance(body, FileAnswer):
                return web.Response(
                    status=status,
                    body=body.content,
                    content_type=body.media_type,
                    headers={"Content-Disposition": f'attachment; filename="{body.filename}"'},
                )
            return _json(status, body)
        idempotency.check_key(key)
        now = self.services.clock.now()
        keep = timedelta(hours=self.services.rules.api.idempotency_hours)
        digest = idempotency.request_hash(request.method, request.path_qs, raw)
        claim = await idempotency.begin(principal.owner, key, digest, now, keep)
        if isinstance(claim, idempotency.Stored):
            return _json(claim.status, claim.body, {"Idempotent-Replayed": "true"})
        try:
            status, body = await self._run(request, principal, data)
        except BaseException:
            await idempotency.abandon(claim)
            raise
        await idempotency.finish(claim, status, body)
        return _json(status, body)

    async def _run(self, request: web.Request, principal: Principal, data: Any) -> tuple[int, Any]:
        """(status, JSON body) of the handler's answer, or of the problem it raised."""
        route = self.route
        try:
            kwargs: dict[str, Any] = dict(path_ids(route, request))
            if "query" in self.wants:
                kwargs["query"] = parse_query(route, request)
            if "body" in self.wants:
                kwargs["body"] = parse_body(route, data)
            if "upload" in self.wants:
                kwargs["upload"] = data
            call = Call(self.services, principal, request, self.t)
            result = await route.handler(call, **kwargs)
        except DomainError as exc:
            problem = from_domain(exc, self.t).problem
            return problem.status, problem.model_dump(mode="json", exclude_none=True)
        except ApiProblem as exc:
            if exc.headers:  # (only 409 in-progress and 429 carry headers; not stored)
                raise
            return exc.problem.status, exc.problem.model_dump(mode="json", exclude_none=True)
        if result is None:
            return route.status, None
        if isinstance(result, FileAnswer):
            return route.status, result
        assert isinstance(result, BaseModel)
        return route.status, result.model_dump(mode="json")

    async def _audit(
        self, request: web.Request, principal: Principal, status: int, started: float
    ) -> None:
        now = self.services.clock.now()
        try:
            await audit_at(
                principal.actor,
                "api.request",
                at=now,
                subject=f"{request.method} {request.path}"[:64],
                details={
                    "key": principal.name,
                    "status": status,
                    "path": request.path_qs[:500],
                    "ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            if principal.key_id is not None:
                await ApiKey.filter(id=principal.key_id).update(last_used_at=now)
        except Exception:
            log.exception("api audit failed key=%s", principal.name)


@web.middleware
async def problems_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Unknown paths and methods under /api/v1 answer in problem details too."""
    try:
        return await handler(request)
    except web.HTTPNotFound:
        return ApiProblem(404, "not-found", "no such API route").response()
    except web.HTTPMethodNotAllowed as exc:
        allowed = ", ".join(sorted(exc.allowed_methods))
        return ApiProblem(
            405, "method-not-allowed", f"allowed: {allowed}", headers={"Allow": allowed}
        ).response()


def build_api(services: Services, routes: Sequence[Route] | None = None) -> web.Application:
    routes = list(routes) if routes is not None else all_routes()
    api = web.Application(middlewares=[problems_middleware])
    t = Translator(("en",), "en")("en")
    document = build_document(routes, title=f"{services.rules.agency.name} API", version=VERSION)
    body = json.dumps(document, ensure_ascii=False)

    async def openapi(request: web.Request) -> web.Response:
        return web.Response(text=body, content_type="application/json")

    api.router.add_get("/openapi.json", openapi)
    for route in routes:
        api.router.add_route(route.method, route.path, Endpoint(route, services, t).handle)
    return api


def setup_api(app: web.Application, services: Services) -> None:
    """Mount ``/api/v1`` (composition root: bots/app.py)."""
    app.add_subapp(PREFIX, build_api(services))
