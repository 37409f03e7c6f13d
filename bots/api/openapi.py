"""The OpenAPI 3.1 document, generated from the route table and the pydantic models.

Nothing here is written by hand per operation: paths, parameters, request bodies, responses
and the schemas all come from :class:`~bots.api.routing.Route` declarations and the models
they name (OpenAPI 3.1 schemas are JSON Schema 2020-12, which pydantic emits).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from bots.api.problems import CONTENT_TYPE, Problem
from bots.api.routing import ID_MAX, Route
from core.api_keys import SCOPES

REF = "#/components/schemas/{model}"
# Statuses every authenticated operation may answer, and why.
COMMON = {
    400: "malformed request (bad JSON, cursor or Idempotency-Key)",
    401: "no key, or an unknown or revoked one",
    403: "the key lacks the scope this operation needs",
    422: "invalid values (see errors)",
    429: "rate limit of this key; see Retry-After",
}
WITH_IDS = {404: "no such resource"}
WITH_BODY = {
    404: "a resource the body names does not exist",
    409: "conflicts with the current state, or the same Idempotency-Key is in progress",
    413: "the body is too large",
    415: "the body is not JSON",
}
EXTRA = {409: "conflicts with the current state"}


def _problem_response(description: str, status: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "description": description,
        "content": {CONTENT_TYPE: {"schema": {"$ref": REF.format(model="Problem")}}},
    }
    if status == 429:
        out["headers"] = {
            "Retry-After": {
                "description": "seconds until the key may call again",
                "required": True,
                "schema": {"type": "string"},
            }
        }
    return out


def _absent_not_null(prop: dict[str, Any]) -> dict[str, Any]:
    """A query parameter is left out, never null: ``X | None`` is documented as ``X``."""
    branches = prop.get("anyOf")
    if not branches:
        return prop
    kept = [b for b in branches if b != {"type": "null"}]
    out = {k: v for k, v in prop.items() if k != "anyOf" and not (k == "default" and v is None)}
    if len(kept) == 1:
        out.update(kept[0])
    else:
        out["anyOf"] = kept
    return out


def _query_parameters(model: type[BaseModel], defs: dict[str, Any]) -> list[dict[str, Any]]:
    schema = defs[model.__name__]
    required = set(schema.get("required", ()))
    return [
        {
            "name": name,
            "in": "query",
            "required": name in required,
            "schema": _absent_not_null(prop),
            **({"description": prop["description"]} if "description" in prop else {}),
        }
        for name, prop in schema.get("properties", {}).items()
    ]


def _operation(route: Route, names: dict[Any, str], defs: dict[str, Any]) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": route.operation_id,
        "summary": route.summary,
        "tags": [route.tag],
    }
    if route.scope:
        op["description"] = f"Scope: `{route.scope}`."
    parameters: list[dict[str, Any]] = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": ID_MAX},
        }
        for name in route.path_params
    ]
    if route.query is not None:
        parameters += _query_parameters(route.query, defs)
    if route.method == "POST":
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "repeat a POST safely: the same key and body replay the answer",
                "schema": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 255,
                    "pattern": "^[\\x20-\\x7e]+$",
                },
            }
        )
    if parameters:
        op["parameters"] = parameters
    if route.upload:
        op["requestBody"] = {
            "required": True,
            "content": {
                mt: {"schema": {"type": "string", "format": "binary"}} for mt in route.upload
            },
        }
    elif route.body is not None:
        op["requestBody"] = {
            "required": not route.body_optional,
            "content": {
                "application/json": {"schema": {"$ref": names[(route.body, "validation")]}}
            },
        }
    responses: dict[str, Any] = {}
    if route.response is None:
        responses[str(route.status)] = {"description": "done"}
    else:
        responses[str(route.status)] = {
            "description": "OK",
            "content": {
                "application/json": {"schema": {"$ref": names[(route.response, "serialization")]}}
            },
        }
    problems: dict[int, str] = dict(COMMON)
    if route.path_params:
        problems.update(WITH_IDS)
    if route.body is not None or route.upload or route.method == "POST":
        problems.update(WITH_BODY)
    for status in route.problems:
        problems.setdefault(status, EXTRA.get(status, "refused"))
    if route.scope is None:
        for status in (401, 403, 429):
            problems.pop(status, None)
    for status in sorted(problems):
        responses[str(status)] = _problem_response(problems[status], status)
    op["responses"] = responses
    if route.scope is None:
        op["security"] = []
    return op


def build_document(routes: Sequence[Route], *, title: str, version: str) -> dict[str, Any]:
    wanted: list[tuple[type[BaseModel], str]] = [(Problem, "serialization")]
    for route in routes:
        if route.body is not None:
            wanted.append((route.body, "validation"))
        if route.query is not None:
            wanted.append((route.query, "validation"))
        if route.response is not None:
            wanted.append((route.response, "serialization"))
    unique = list(dict.fromkeys(wanted))
    refs, top = models_json_schema(unique, ref_template=REF)  # type: ignore[arg-type]
    defs: dict[str, Any] = top.get("$defs", {})
    names: dict[Any, str] = {key: value["$ref"] for key, value in refs.items()}
    by_name = {ref.rsplit("/", 1)[-1]: defs[ref.rsplit("/", 1)[-1]] for ref in names.values()}
    for route in routes:  # query models are flattened into parameters, by class name
        if route.query is not None:
            ref = names[(route.query, "validation")].rsplit("/", 1)[-1]
            by_name.setdefault(route.query.__name__, defs[ref])
    paths: dict[str, dict[str, Any]] = {}
    for route in routes:
        paths.setdefault("/api/v1" + route.path, {})[route.method.lower()] = _operation(
            route, names, by_name
        )
    scopes = "\n".join(f"- `{name}`: {text}" for name, text in SCOPES.items())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": "tourdesk REST API. Errors are RFC 9457 problem details; lists are "
            "cursor-paginated; POST accepts Idempotency-Key.\n\nScopes:\n" + scopes,
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": defs,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
    }
