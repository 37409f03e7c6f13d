"""The Checkbox API (PROTOCOLS.md "Fiscal receipts"): what we call and how we read its answers.

A :class:`CheckboxError` says whether trying again may help (``retry``): network trouble, 5xx
and 401 (the token is renewed) may; 4xx with a reason (422 ``detail``) will not.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import aiohttp

CLIENT_NAME = "tourdesk"
CLIENT_VERSION = "1"
TIMEOUT = aiohttp.ClientTimeout(total=20)


class CheckboxError(Exception):
    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True, slots=True)
class Fiscalised:
    status: str  # CREATED | PENDING | DONE | ERROR
    fiscal_code: str | None


def _reason(status: int, body: Any) -> str:
    if isinstance(body, dict):
        message = str(body.get("message") or "")
        details = body.get("detail")
        if isinstance(details, list) and details:
            parts = [
                f"{'.'.join(str(p) for p in d.get('loc', []))}: {d.get('msg', '')}"
                for d in details
                if isinstance(d, dict)
            ]
            message = f"{message} ({'; '.join(parts)})" if message else "; ".join(parts)
        if message:
            return f"HTTP {status}: {message}"
    return f"HTTP {status}"


def receipt_url(api_url: str, receipt_id: str) -> str:
    """Checkbox's HTML view of one receipt (the link the client and the API get)."""
    return f"{api_url}/receipts/{receipt_id}/html"


class Checkbox:
    """One cash register: its license key and the cashier's PIN."""

    def __init__(self, api_url: str, license_key: str, pin: str) -> None:
        self.api_url = api_url.rstrip("/")
        self.license_key = license_key
        self.pin = pin
        self._token: str | None = None
        self._lock = asyncio.Lock()

    def receipt_url(self, receipt_id: str) -> str:
        return receipt_url(self.api_url, receipt_id)

    async def _call(
        self, method: str, path: str, body: dict[str, Any] | None = None, *, auth: bool = True
    ) -> tuple[int, Any]:
        headers = {
            "X-Client-Name": CLIENT_NAME,
            "X-Client-Version": CLIENT_VERSION,
            "X-License-Key": self.license_key,
        }
        if auth:
            headers["Authorization"] = f"Bearer {await self._signed_in()}"
        try:
            async with (
                aiohttp.ClientSession(timeout=TIMEOUT) as session,
                session.request(method, self.api_url + path, json=body, headers=headers) as answer,
            ):
                try:
                    data = await answer.json(content_type=None)
                except ValueError:
                    data = None
                if answer.status == 401 and auth:
                    self._token = None  # renewed on the next try
                    raise CheckboxError("HTTP 401: the cashier's session ended", retry=True)
                return answer.status, data
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise CheckboxError(f"Checkbox unreachable: {type(exc).__name__}", retry=True) from exc

    async def _signed_in(self) -> str:
        async with self._lock:
            if self._token is None:
                status, data = await self._call(
                    "POST", "/cashier/signinPinCode", {"pin_code": self.pin}, auth=False
                )
                if status != 200 or not isinstance(data, dict) or "access_token" not in data:
                    raise CheckboxError(
                        f"cashier sign-in failed: {_reason(status, data)}", retry=status >= 500
                    )
                self._token = str(data["access_token"])
            return self._token

    async def ensure_shift(self) -> None:
        status, data = await self._call("GET", "/cashier/shift")
        if status == 200 and isinstance(data, dict) and data.get("status") == "OPENED":
            return
        if status not in (200, 404) and status >= 400:
            raise CheckboxError(f"shift check failed: {_reason(status, data)}", retry=True)
        status, data = await self._call("POST", "/shifts", {})
        if status not in (200, 201, 202):
            raise CheckboxError(f"opening the shift failed: {_reason(status, data)}", retry=True)

    async def close_shift(self) -> bool:
        """Close today's shift if one is open; False when there was none."""
        status, data = await self._call("GET", "/cashier/shift")
        if status != 200 or not isinstance(data, dict) or data.get("status") != "OPENED":
            return False
        status, data = await self._call("POST", "/shifts/close", {})
        if status not in (200, 201, 202):
            raise CheckboxError(f"closing the shift failed: {_reason(status, data)}", retry=True)
        return True

    async def sell(self, body: dict[str, Any]) -> Fiscalised:
        """Create the receipt ``body["id"]`` (or find it, when it exists already)."""
        status, data = await self._call("POST", "/receipts/sell", body)
        if status in (200, 201, 202):
            return self._read(data)
        if status == 400 and "already_exists" in str((data or {}).get("message", "")):
            return await self.status(str(body["id"]))
        raise CheckboxError(_reason(status, data), retry=status >= 500 or status == 429)

    async def status(self, receipt_id: str) -> Fiscalised:
        status, data = await self._call("GET", f"/receipts/{receipt_id}")
        if status != 200:
            raise CheckboxError(_reason(status, data), retry=status >= 500 or status == 404)
        return self._read(data)

    @staticmethod
    def _read(data: Any) -> Fiscalised:
        if not isinstance(data, dict):
            raise CheckboxError("Checkbox answered without a receipt", retry=True)
        code = data.get("fiscal_code")
        return Fiscalised(str(data.get("status") or "CREATED"), str(code) if code else None)
