"""The API's route table: one declaration per operation, used twice — to register the aiohttp
route and to generate the OpenAPI document (``bots/api/openapi.py``), so the two never differ.

A handler receives what it names: ``call`` (services, the caller), ``body`` (the validated
request model), ``query`` (the validated query model) and each path parameter by its name
(ids, checked to be positive 32-bit integers). It returns a response model, or None for 204.
"""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ValidationError

from bots.api.auth import Principal
from bots.api.problems import ApiProblem, FieldError, from_pydantic, validation
from core.i18n import T
from core.services import Services

Handler = Callable[..., Awaitable[BaseModel | None]]
PATH_PARAM = re.compile(r"{(\w+)}")
ID_MAX = 2**31 - 1
MAX_BODY = 256 * 1024


@dataclass(frozen=True)
class Call:
    """What every handler gets: the services and who is calling."""

    services: Services
    principal: Principal
    request: web.Request
    t: T  # English: the wording of refusals and reasons in answers

    @property
    def actor(self) -> str:
        return self.principal.actor


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # relative to /api/v1, e.g. "/clients/{client_id}"
    handler: Handler
    scope: str | None
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    problems: tuple[int, ...] = ()  # statuses beyond the ones every route may answer
    upload: tuple[str, ...] = ()  # the body is a file of one of these media types
    upload_limit: int = MAX_BODY
    files: tuple[str, ...] = ()  # the handler may answer a FileAnswer of these media types

    @property
    def body_optional(self) -> bool:
        """A body whose every field has a default may be left out (``POST /mailings/1/start``
        with nothing means "now"), as an empty JSON object."""
        return self.body is not None and not any(
            f.is_required() for f in self.body.model_fields.values()
        )

    @property
    def path_params(self) -> list[str]:
        return PATH_PARAM.findall(self.path)

    @property
    def operation_id(self) -> str:
        return self.handler.__name__


@dataclass
class RouteTable:
    """The routes of one resource module."""

    tag: str
    routes: list[Route] = field(default_factory=list)

    def route(
        self,
        method: str,
        path: str,
        *,
        scope: str | None,
        summary: str,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: type[BaseModel] | None = None,
        status: int = 200,
        problems: tuple[int, ...] = (),
        upload: tuple[str, ...] = (),
        upload_limit: int = MAX_BODY,
        files: tuple[str, ...] = (),
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.routes.append(
                Route(
                    method,
                    path,
                    handler,
                    scope,
                    summary,
                    self.tag,
                    body,
                    query,
                    response,
                    status,
                    problems,
                    upload,
                    upload_limit,
                    files,
                )
            )
            return handler

        return register

    def get(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.route("GET", path, **kw)

    def post(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.route("POST", path, **kw)

    def patch(self, path: str, **kw: Any) -> Callable[[Handler], Handler]:
        return self.route("PATCH", path, **kw)


@dataclass(frozen=True)
class Upload:
    """An uploaded file: the raw body and its media type."""

    content: bytes
    media_type: str


class FileAnswer(BaseModel):
    """A handler's answer that is a file (a CSV or XLSX export), not JSON."""

    content: bytes
    media_type: str
    filename: str


# ---- reading a request -----------------------------------------------------------------------


def _no_nul(value: Any, where: list[str | int]) -> None:
    """PostgreSQL text cannot hold NUL: refuse it up front rather than fail at the database."""
    if isinstance(value, str) and "\x00" in value:
        raise validation([FieldError(loc=where, msg="NUL characters are not allowed", type="nul")])
    if isinstance(value, dict):
        for k, v in value.items():
            _no_nul(k, where)
            _no_nul(v, [*where, str(k)])
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _no_nul(v, [*where, i])


def path_ids(route: Route, request: web.Request) -> dict[str, int]:
    """Path parameters are ids: anything but a positive 32-bit integer is simply not found."""
    out: dict[str, int] = {}
    for name in route.path_params:
        text = request.match_info.get(name, "")
        if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= ID_MAX:
            raise ApiProblem(404, "not-found", f"no such {name.removesuffix('_id')}")
        out[name] = int(text)
    return out


def parse_query(route: Route, request: web.Request) -> BaseModel | None:
    if route.query is None:
        return None
    raw: dict[str, Any] = {}
    for key in request.query:
        values = request.query.getall(key)
        raw[key] = values[-1]
    _no_nul(raw, ["query"])
    try:
        return route.query.model_validate(raw)
    except ValidationError as exc:
        raise from_pydantic("query", exc.errors()) from None


async def read_json(
    request: web.Request, limit: int = MAX_BODY, *, optional: bool = False
) -> tuple[bytes, Any]:
    """The JSON body; with ``optional``, no body at all (zero bytes, any or no content type)
    reads as ``{}``."""
    if request.content_length is not None and request.content_length > limit:
        raise ApiProblem(413, "payload-too-large", f"at most {limit} bytes")
    raw = await request.content.read(limit + 1)
    if len(raw) > limit:
        raise ApiProblem(413, "payload-too-large", f"at most {limit} bytes")
    if optional and not raw:
        return raw, {}
    if request.content_type != "application/json":
        raise ApiProblem(415, "unsupported-media-type", "send Content-Type: application/json")
    try:
        data = json.loads(raw or b"null")
    except (ValueError, UnicodeDecodeError):
        raise ApiProblem(400, "bad-request", "the body is not valid JSON") from None
    return raw, data


async def read_upload(route: Route, request: web.Request) -> Upload:
    limit = route.upload_limit
    if request.content_length is not None and request.content_length > limit:
        raise ApiProblem(413, "payload-too-large", f"at most {limit} bytes")
    raw = await request.content.read(limit + 1)
    if len(raw) > limit:
        raise ApiProblem(413, "payload-too-large", f"at most {limit} bytes")
    if request.content_type not in route.upload:
        raise ApiProblem(415, "unsupported-media-type", f"send one of: {', '.join(route.upload)}")
    return Upload(raw, request.content_type)


def parse_body(route: Route, data: Any) -> BaseModel | None:
    if route.body is None:
        return None
    _no_nul(data, ["body"])
    try:
        return route.body.model_validate(data)
    except ValidationError as exc:
        raise from_pydantic("body", exc.errors()) from None


def call_args(route: Route) -> set[str]:
    return set(inspect.signature(route.handler).parameters)
