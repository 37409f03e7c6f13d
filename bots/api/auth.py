"""Who is calling: the operator's ``ADMIN_TOKEN`` (every scope) or a named API key (its scopes).

``Authorization: Bearer <token>``. The operator token is compared with
:func:`hmac.compare_digest`; keys are looked up by their sha256 (core/api_keys.py). Either
kind works alone: with ``ADMIN_TOKEN`` unset the operator path is off, and keys created with
``tourdesk api-key create`` still get in; with neither, every call is 401.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from aiohttp import web

from bots.api.problems import ApiProblem
from core.api_keys import SCOPES, find_key
from core.services import Services

OPERATOR = "@operator"  # a name no key can have (key names start with a letter or digit)
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="tourdesk"'}


@dataclass(frozen=True, slots=True)
class Principal:
    name: str  # the key's name, or @operator
    owner: str  # what idempotency keys and rate limits are kept under
    scopes: frozenset[str]
    rate_per_minute: int | None = None
    key_id: int | None = None  # None: the operator token

    @property
    def actor(self) -> str:
        """How the audit log names this caller."""
        return f"api:{self.name}"

    def require(self, scope: str | None) -> None:
        if scope is not None and scope not in self.scopes:
            raise ApiProblem(403, "forbidden", f"this key lacks the scope {scope}", code=scope)


def _bearer(request: web.Request) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiProblem(401, "unauthorized", "send Authorization: Bearer <key>", headers=CHALLENGE)
    return token.strip()


async def authenticate(services: Services, request: web.Request) -> Principal:
    token = _bearer(request)
    admin = services.settings.web.admin_token
    if admin is not None:
        expected = admin.get_secret_value().encode()
        if expected and hmac.compare_digest(token.encode(), expected):
            return Principal(OPERATOR, "admin", frozenset(SCOPES))
    record = await find_key(token)
    if record is None:
        raise ApiProblem(401, "unauthorized", "unknown or revoked key", headers=CHALLENGE)
    return Principal(
        record.name,
        f"key:{record.id}",
        frozenset(record.scopes),
        record.rate_per_minute,
        record.id,
    )
