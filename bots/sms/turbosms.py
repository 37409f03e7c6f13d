"""TurboSMS's HTTP API (PROTOCOLS.md): ``POST {api}/message/send.json`` with a Bearer token.

Every valid request answers HTTP 200 and the outcome is in ``response_code`` (the request's)
and in ``response_result`` (one entry per recipient, with its own ``response_code`` and the
``message_id``). The codes we act on: 0 / 800-803 accepted, 427 / 507 duplicate (TurboSMS
refuses the same text to the same number within 90 s: a retry of a request whose answer was
lost lands there, and counts as sent), 103 / 105 / 203 / 302 / 400 / 401 the account cannot
send (the channel waits), 305 bad number, 404 stop list, 405 / 413 refused, 999 and anything
unknown retried. Statuses: ``POST {api}/message/status.json`` with ``{"messages": [ids]}``.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import aiohttp

from bots.sms.gateway import Delivery, SendAnswer, StatusAnswer, Verdict
from bots.sms.settings import TurboSmsTarget

log = logging.getLogger(__name__)

# a request whose answer was lost is retried within TurboSMS's 90 s duplicate window, so a
# message that did leave is answered 427 and recorded as sent instead of going twice
QUICK_RETRY = 5.0
TIMEOUT = aiohttp.ClientTimeout(total=20, connect=5)
ACCEPTED = {0, 800, 801, 802, 803}
DUPLICATE = {427, 507}
HOLD = {103, 105, 203, 302, 400, 401}
BAD_NUMBER = {305}
STOPPED = {404}
REFUSED = {405, 413}
DELIVERED = {"delivered", "read"}
FAILED = {"expired", "undeliverable", "undelivered", "not delivered", "rejected", "failed"}


def verdict_of(code: int) -> Verdict:
    if code in ACCEPTED:
        return Verdict.ACCEPTED
    if code in DUPLICATE:
        return Verdict.DUPLICATE
    if code in HOLD:
        return Verdict.HOLD
    if code in BAD_NUMBER:
        return Verdict.BAD_NUMBER
    if code in STOPPED:
        return Verdict.STOPPED
    if code in REFUSED:
        return Verdict.REFUSED
    return Verdict.RETRY  # 999 and codes we do not know


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def read_send(body: Any) -> SendAnswer:
    """The answer for our one recipient: its own entry when there is one, else the request's."""
    if not isinstance(body, dict):
        return SendAnswer(Verdict.RETRY, detail="not a JSON object")
    top = _int(body.get("response_code"))
    entries = body.get("response_result")
    entry = entries[0] if isinstance(entries, list) and entries else None
    if isinstance(entry, dict) and _int(entry.get("response_code")) is not None:
        code = _int(entry.get("response_code"))
        status = str(entry.get("response_status") or "")
        message_id = entry.get("message_id")
    else:
        code, status, message_id = top, str(body.get("response_status") or ""), None
    if code is None:
        return SendAnswer(Verdict.RETRY, detail="no response_code")
    verdict = verdict_of(code)
    if verdict is Verdict.ACCEPTED and top is not None and top not in ACCEPTED:
        verdict = verdict_of(top)  # the request failed as a whole
        code = top
        status = str(body.get("response_status") or status)
    mid = str(message_id) if message_id and verdict is Verdict.ACCEPTED else None
    return SendAnswer(verdict, mid, code, status)


def state_of(status: str) -> Delivery:
    status = status.strip().lower()
    if status in DELIVERED:
        return Delivery.DELIVERED
    if status in FAILED:
        return Delivery.FAILED
    return Delivery.PENDING


class TurboSms:
    name = "turbosms"

    def __init__(self, target: TurboSmsTarget) -> None:
        self.target = target
        self._http: aiohttp.ClientSession | None = None

    def _session(self) -> aiohttp.ClientSession:
        if self._http is None or self._http.closed:
            self._http = aiohttp.ClientSession(
                timeout=TIMEOUT, headers={"Authorization": f"Bearer {self.target.token}"}
            )
        return self._http

    async def _post(self, path: str, payload: dict[str, Any]) -> tuple[int, Any]:
        url = f"{self.target.api_url}/{path}"
        async with self._session().post(url, json=payload) as resp:
            text = await resp.text()
            try:
                return resp.status, json.loads(text)
            except ValueError:
                return resp.status, None

    async def send(self, phone: str, text: str) -> SendAnswer:
        payload = {
            "recipients": [phone.lstrip("+")],
            "sms": {"sender": self.target.sender, "text": text},
        }
        try:
            status, body = await self._post("message/send.json", payload)
        except aiohttp.ClientConnectorError as exc:
            return SendAnswer(Verdict.RETRY, detail=f"connect: {exc}"[:300])
        except (TimeoutError, aiohttp.ClientError) as exc:
            # the request may have left: a quick retry meets TurboSMS's 90 s duplicate guard
            detail = f"no answer: {type(exc).__name__} {exc}"[:300]
            return SendAnswer(Verdict.RETRY, detail=detail, retry_after=QUICK_RETRY)
        if status != 200:
            return SendAnswer(Verdict.RETRY, detail=f"HTTP {status}")
        return read_send(body)

    async def statuses(self, message_ids: list[str]) -> list[StatusAnswer]:
        if not message_ids:
            return []
        try:
            status, body = await self._post("message/status.json", {"messages": message_ids})
        except (TimeoutError, aiohttp.ClientError) as exc:
            log.warning("sms status check failed: %s", exc)
            return []
        entries = body.get("response_result") if status == 200 and isinstance(body, dict) else None
        found: list[StatusAnswer] = []
        for entry in entries if isinstance(entries, list) else []:
            if not isinstance(entry, dict) or not entry.get("message_id"):
                continue
            if _int(entry.get("response_code")) not in (0, None):
                continue  # an id TurboSMS does not know
            text = str(entry.get("status") or "")
            detail = str(entry.get("rejected_status") or text)
            found.append(StatusAnswer(str(entry["message_id"]), state_of(text), detail))
        return found

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None
