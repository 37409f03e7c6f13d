"""A fake TurboSMS on 127.0.0.1 speaking its HTTP API (PROTOCOLS.md).

``POST /message/send.json`` with ``Authorization: Bearer <token>`` and ``{"recipients": [...],
"sms": {"sender", "text"}}`` answers HTTP 200 with ``response_code`` / ``response_status`` /
``response_result`` exactly as TurboSMS does: 0 OK with one entry (phone, response_code,
message_id, response_status) per recipient; 103 no token, 105 a wrong token, 302 an unknown
sender, 203 not enough balance (it is kept in parts), 413 a text too long, and per recipient
305 a bad number, 404 a number in the stop list, 427 the same text to the same number within
90 s. ``POST /message/status.json`` with ``{"messages": [ids]}`` gives each known id's status.
It can be told to fail the next requests (``fail_next``: an HTTP status, ``999``, or ``"drop"``:
take the message and close the connection before answering, a lost answer).
"""

from __future__ import annotations

import itertools
import math
import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer

TOKEN = "turbosms-test-token-0001"
SENDER = "TourDesk"
PHONE = re.compile(r"^380\d{9}$")
MAX_TEXT = 1000
DUPLICATE_WINDOW = 90.0


@dataclass
class Sent:
    message_id: str
    phone: str
    sender: str
    text: str
    parts: int


def _parts(text: str) -> int:
    """TurboSMS bills parts: 160/153 for plain Latin text, 70/67 for anything else."""
    latin = all(32 <= ord(ch) < 127 or ch == "\n" for ch in text)
    single, per = (160, 153) if latin else (70, 67)
    return 1 if len(text) <= single else math.ceil(len(text) / per)


@dataclass
class FakeTurboSms:
    token: str = TOKEN
    senders: set[str] = field(default_factory=lambda: {SENDER})
    balance: int = 1000  # parts the account can still pay for
    stop_list: set[str] = field(default_factory=set)
    fail_next: list[Any] = field(default_factory=list)  # 500, 999, "drop"
    statuses: dict[str, str] = field(default_factory=dict)  # message id -> TurboSMS status
    sent: list[Sent] = field(default_factory=list)  # accepted messages
    requests: int = 0  # send requests, refused ones included
    _recent: dict[tuple[str, str], float] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    server: TestServer | None = None

    async def start(self) -> FakeTurboSms:
        app = web.Application()
        app.router.add_post("/message/send.json", self.send)
        app.router.add_post("/message/status.json", self.status)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        return self

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("")).rstrip("/")

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def to(self, phone: str) -> list[Sent]:
        return [s for s in self.sent if s.phone == phone.lstrip("+")]

    @staticmethod
    def _answer(code: int, status: str, result: Any = None) -> web.Response:
        body = {"response_code": code, "response_status": status, "response_result": result}
        return web.json_response(body)

    def _auth(self, request: web.Request) -> web.Response | None:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer ") or not header.removeprefix("Bearer ").strip():
            return self._answer(103, "REQUIRED_TOKEN")
        if header.removeprefix("Bearer ").strip() != self.token:
            return self._answer(105, "REQUIRED_AUTH")
        return None

    async def send(self, request: web.Request) -> web.StreamResponse:
        self.requests += 1
        refused = self._auth(request)
        if refused is not None:
            return refused
        try:
            body = await request.json()
            recipients = [str(p) for p in body["recipients"]]
            sender, text = str(body["sms"]["sender"]), str(body["sms"]["text"])
        except (ValueError, KeyError, TypeError):
            return self._answer(104, "REQUIRED_DATA")
        failure = self.fail_next.pop(0) if self.fail_next else None
        if isinstance(failure, int) and failure >= 500 and failure != 999:
            return web.Response(status=failure, text="Internal Server Error")
        if failure == 999:
            return self._answer(999, "FATAL_ERROR")
        if sender not in self.senders:
            return self._answer(302, "INVALID_SENDER")
        if len(text) > MAX_TEXT:
            return self._answer(413, "TEXT_TOO_LONG")
        parts = _parts(text)
        if self.balance < parts * len(recipients):
            return self._answer(203, "NOT_ENOUGH_CREDITS")
        result = [self._one(phone, sender, text, parts) for phone in recipients]
        if failure == "drop":  # the message left; the answer never arrives
            assert request.transport is not None
            request.transport.close()
            raise ConnectionResetError("dropped")
        return self._answer(0, "OK", result)

    def _one(self, phone: str, sender: str, text: str, parts: int) -> dict[str, Any]:
        if not PHONE.match(phone):
            return {"phone": phone, "response_code": 305, "message_id": None,
                    "response_status": "INVALID_PHONE"}  # fmt: skip
        if phone in self.stop_list:
            return {"phone": phone, "response_code": 404, "message_id": None,
                    "response_status": "NUMBER_IN_STOP_LIST"}  # fmt: skip
        now = time.monotonic()
        if now - self._recent.get((phone, text), -1e9) < DUPLICATE_WINDOW:
            return {"phone": phone, "response_code": 427, "message_id": None,
                    "response_status": "DUPLICATE_SMS"}  # fmt: skip
        self._recent[(phone, text)] = now
        self.balance -= parts
        message_id = str(uuid.UUID(int=next(self._ids)))
        self.sent.append(Sent(message_id, phone, sender, text, parts))
        self.statuses[message_id] = "Sent"
        return {"phone": phone, "response_code": 0, "message_id": message_id,
                "response_status": "OK"}  # fmt: skip

    async def status(self, request: web.Request) -> web.Response:
        refused = self._auth(request)
        if refused is not None:
            return refused
        body = await request.json()
        result = []
        for message_id in body.get("messages") or []:
            known = self.statuses.get(str(message_id))
            if known is None:
                result.append({"message_id": message_id, "response_code": 414,
                               "response_status": "MESSAGE_NOT_FOUND"})  # fmt: skip
                continue
            sent = next(s for s in self.sent if s.message_id == message_id)
            result.append(
                {
                    "message_id": message_id,
                    "response_code": 0,
                    "response_status": "OK",
                    "recipient": sent.phone,
                    "sent": "2026-12-01 10:00:00",
                    "updated": "2026-12-01 10:00:05",
                    "status": known,
                    "type": "sms",
                    "rejected_status": "UNDELIVERABLE" if known == "Rejected" else None,
                }
            )
        return self._answer(0, "OK", result)
