"""An async client for Viber's REST bot API (aiohttp; base URL configurable for tests).

Viber answers HTTP 200 even for errors and puts the verdict in the body's ``status``. The
client returns that verdict as an :class:`ApiResult`; only transport trouble (network, timeout,
5xx, 429, a body that is not JSON) raises :class:`ViberTransportError`, which callers retry.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp

log = logging.getLogger("tourdesk.viber")

AUTH_HEADER = "X-Viber-Auth-Token"

# Viber's status codes (https://developers.viber.com/docs/api/rest-bot-api/#error-codes)
OK = 0
INVALID_URL = 1
INVALID_AUTH_TOKEN = 2
BAD_DATA = 3
RECEIVER_NOT_REGISTERED = 5
RECEIVER_NOT_SUBSCRIBED = 6
PUBLIC_ACCOUNT_BLOCKED = 7
WEBHOOK_NOT_SET = 10
TOO_MANY_REQUESTS = 12
API_VERSION_NOT_SUPPORTED = 13

UNSUBSCRIBED_STATUSES = frozenset({RECEIVER_NOT_REGISTERED, RECEIVER_NOT_SUBSCRIBED})

WEBHOOK_EVENTS = (
    "delivered",
    "seen",
    "failed",
    "subscribed",
    "unsubscribed",
    "conversation_started",
)


class ViberTransportError(Exception):
    """Viber could not be asked or did not answer usefully: try again later."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ViberHttpError(Exception):
    """An HTTP error that retrying will not fix (4xx other than 429)."""

    def __init__(self, http_status: int, text: str) -> None:
        super().__init__(f"HTTP {http_status}: {text[:200]}")
        self.http_status = http_status


@dataclass(frozen=True, slots=True)
class ApiResult:
    status: int
    status_message: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == OK

    @property
    def message_token(self) -> str | None:
        token = self.data.get("message_token")
        return str(token) if token is not None else None

    def describe(self) -> str:
        return f"viber status {self.status}: {self.status_message}"


def dumps(body: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON (Cyrillic as 2 bytes, not 6-byte escapes: the 30 KB limit is bytes)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


class ViberClient:
    def __init__(self, token: str, api_url: str, *, timeout: float = 15.0) -> None:
        self.token = token
        self.api_url = api_url.rstrip("/")
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    def _get_session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def call(self, method: str, body: dict[str, Any]) -> ApiResult:
        url = f"{self.api_url}/{method}"
        headers = {AUTH_HEADER: self.token, "Content-Type": "application/json"}
        try:
            async with self._get_session().post(url, data=dumps(body), headers=headers) as resp:
                text = await resp.text()
                if resp.status == 429 or resp.status >= 500:
                    retry_after = _retry_after(resp.headers.get("Retry-After"))
                    raise ViberTransportError(
                        f"{method}: HTTP {resp.status}", retry_after=retry_after
                    )
                if resp.status != 200:
                    raise ViberHttpError(resp.status, text)
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise ViberTransportError(f"{method}: {type(exc).__name__}: {exc}") from exc
        try:
            data = json.loads(text)
        except ValueError:
            raise ViberTransportError(f"{method}: answer is not JSON") from None
        if not isinstance(data, dict) or "status" not in data:
            raise ViberTransportError(f"{method}: answer without status")
        try:
            status = int(data["status"])
        except (TypeError, ValueError):
            raise ViberTransportError(f"{method}: bad status {data['status']!r}") from None
        return ApiResult(status, str(data.get("status_message", "")), data)

    async def set_webhook(
        self,
        url: str,
        *,
        event_types: tuple[str, ...] = WEBHOOK_EVENTS,
        send_name: bool = True,
        send_photo: bool = True,
    ) -> ApiResult:
        return await self.call(
            "set_webhook",
            {
                "url": url,
                "event_types": list(event_types),
                "send_name": send_name,
                "send_photo": send_photo,
            },
        )

    async def send_message(self, body: dict[str, Any]) -> ApiResult:
        return await self.call("send_message", body)

    async def get_account_info(self) -> ApiResult:
        return await self.call("get_account_info", {})


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None
