"""REST API test helpers: keys made as ``tourdesk api-key create`` makes them, and a caller
that speaks HTTP to the running web app (the aiohttp test client of tests/support/payments)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp.test_utils import TestClient

from core import api_keys

ADMIN_TOKEN = "operator-secret-token-for-tests"


async def make_key(name: str, scopes: str, *, rate: int | None = None) -> str:
    made = await api_keys.create_key(name, api_keys.parse_scopes(scopes), rate_per_minute=rate)
    return made.key


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]

    @property
    def problem_type(self) -> str:
        return str(self.body.get("type", "")).rsplit("/", 1)[-1]


@dataclass
class Caller:
    """One API caller with one bearer token."""

    web: TestClient
    token: str | None

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(extra or {})
        return headers

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        async with self.web.request(
            method,
            "/api/v1" + path,
            json=json,
            params=params,
            headers=self._headers(headers),
        ) as resp:
            kind = resp.headers.get("Content-Type", "")
            body = await resp.json(content_type=None) if "json" in kind else await resp.text()
            return Answer(resp.status, body, dict(resp.headers))

    async def get(self, path: str, **params: Any) -> Answer:
        return await self.request("GET", path, params=params or None)

    async def post(self, path: str, json: Any = None, *, key: str | None = None) -> Answer:
        headers = {"Idempotency-Key": key} if key else None
        return await self.request(
            "POST", path, json=json if json is not None else {}, headers=headers
        )

    async def patch(self, path: str, json: Any) -> Answer:
        return await self.request("PATCH", path, json=json)
