"""Errors as RFC 9457 problem details (``application/problem+json``).

Every refusal the API makes is one :class:`ApiProblem` raised anywhere below a route and turned
into a response in one place (``bots/api/app.py``). ``type`` is a URI reference naming the kind
of problem (``/api/v1/problems/<slug>``, listed in the README); ``code`` carries the domain's
own reason (a stable key) when there is one; validation problems list ``errors``.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web
from pydantic import BaseModel, Field

from core.errors import Conflict, DomainError, Forbidden, InvalidField, InvalidInput, NotFound
from core.i18n import T

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/problems/"

TITLES = {
    "bad-request": "The request is malformed",
    "unauthorized": "Authentication required",
    "forbidden": "The key lacks a scope",
    "not-found": "Not found",
    "method-not-allowed": "Method not allowed",
    "conflict": "Conflict with the current state",
    "in-progress": "A request with this Idempotency-Key is still being answered",
    "payload-too-large": "The request body is too large",
    "unsupported-media-type": "The body must be JSON",
    "validation": "The request is not valid",
    "idempotency-key-reused": "This Idempotency-Key was used with another request",
    "rate-limited": "Too many requests",
    "internal": "Internal error",
}


class FieldError(BaseModel):
    """One invalid value: where it is (``["body", "phone"]``) and what is wrong."""

    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(description="URI reference naming the kind of problem")
    title: str
    status: int = Field(ge=400, le=599)
    detail: str | None = None
    code: str | None = Field(None, description="the domain's reason, a stable key")
    errors: list[FieldError] | None = None


class ApiProblem(Exception):
    def __init__(
        self,
        status: int,
        slug: str,
        detail: str | None = None,
        *,
        code: str | None = None,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or slug)
        self.problem = Problem(
            type=TYPE_BASE + slug,
            title=TITLES[slug],
            status=status,
            detail=detail,
            code=code,
            errors=errors,
        )
        self.headers = headers or {}

    def response(self) -> web.Response:
        return problem_response(self.problem, self.headers)


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> web.Response:
    body = problem.model_dump(mode="json", exclude_none=True)
    return web.Response(
        status=problem.status,
        text=json.dumps(body, ensure_ascii=False),
        content_type=CONTENT_TYPE,
        headers=headers,
    )


def validation(errors: list[FieldError], detail: str | None = None) -> ApiProblem:
    return ApiProblem(422, "validation", detail or "see errors", errors=errors)


def from_pydantic(where: str, errors: list[Any]) -> ApiProblem:
    return validation(
        [
            FieldError(
                loc=[where, *(p if isinstance(p, int) else str(p) for p in e["loc"])],
                msg=str(e["msg"]),
                type=str(e["type"]),
            )
            for e in errors
        ]
    )


def from_domain(exc: DomainError, t: T) -> ApiProblem:
    """The domain's refusal, worded as the chat words it (English)."""
    detail = t(exc.key, **exc.args_)
    if isinstance(exc, InvalidField):
        loc: list[str | int] = (
            list(exc.field.split(".")) if "." in exc.field else ["body", exc.field]
        )
        error = FieldError(loc=loc, msg=detail, type=exc.key)
        return ApiProblem(422, "validation", detail, code=exc.key, errors=[error])
    if isinstance(exc, NotFound):
        return ApiProblem(404, "not-found", detail, code=exc.key)
    if isinstance(exc, Forbidden):
        return ApiProblem(403, "forbidden", detail, code=exc.key)
    if isinstance(exc, InvalidInput):
        return ApiProblem(422, "validation", detail, code=exc.key)
    if isinstance(exc, Conflict):
        return ApiProblem(409, "conflict", detail, code=exc.key)
    return ApiProblem(409, "conflict", detail, code=exc.key)
