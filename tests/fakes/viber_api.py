"""A fake Viber: the REST bot API on 127.0.0.1, and the callbacks Viber posts to our webhook.

:class:`FakeViberApi` speaks the wire protocol (``POST {base}/{method}``, token header, JSON
answers with ``status`` in the body, HTTP 200 even for errors), records every request, and can
be told to answer the next N calls with any Viber status or HTTP status. ``set_webhook``
checks the URL the way Viber does: it posts a signed ``webhook`` event and fails unless that
gets a 200.

:class:`ViberHarness` runs the real web app (``bots.app.Runtime``) with the Viber channel
pointed at the fake, and :class:`ViberUser` plays a Viber user: it posts signed callbacks in
the shapes of Viber's documentation and presses the buttons of the keyboard it was last shown.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import html
import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr

from bots.viber.settings import viber_settings
from core.services import Services

TOKEN = "4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f"
AUTH_HEADER = "X-Viber-Auth-Token"
SIGNATURE_HEADER = "X-Viber-Content-Signature"
MAX_BODY = 30 * 1024


def viber_signature(token: str, body: bytes) -> str:
    """How Viber signs a callback (written here independently of bots.viber.signature)."""
    return hmac.new(token.encode(), body, hashlib.sha256).hexdigest()


@dataclass
class Call:
    method: str
    token: str | None
    body: dict[str, Any]
    answered_ok: bool = False  # answered status 0
    reached: list[str] = field(default_factory=list)  # broadcast: receivers not in failed_list


@dataclass
class Scripted:
    status: int = 0
    status_message: str = "ok"
    http_status: int = 200


def rich_media_problem(body: dict[str, Any]) -> str | None:
    """What Viber would refuse in a rich-media message: each card (group) fills its grid of
    ButtonsGroupColumns x ButtonsGroupRows exactly; at most six cards; min_api_version >= 2."""
    if int(body.get("min_api_version") or 1) < 2:
        return "rich_media needs min_api_version 2"
    media = body.get("rich_media") or {}
    columns, rows = media.get("ButtonsGroupColumns", 6), media.get("ButtonsGroupRows", 7)
    if not 1 <= columns <= 6 or not 1 <= rows <= 7:
        return "group size"
    cells, filled = 0, 0
    for button in media.get("Buttons") or []:
        if not 1 <= button.get("Columns", 6) <= columns or button.get("Rows", 1) < 1:
            return "button size"
        filled += button.get("Columns", 6) * button.get("Rows", 1)
        if filled == columns * rows:
            cells, filled = cells + 1, 0
        elif filled > columns * rows:
            return "a card overflows its grid"
    if filled or not cells:
        return "a card does not fill its grid"
    if cells > 6:
        return "more than six cards"
    return None


@dataclass
class FakeViberApi:
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    unsubscribed: set[str] = field(default_factory=set)  # send_message to them -> status 6
    webhook_url: str | None = None
    webhook_check_status: int | None = None
    account_name: str = "Tourdesk Travel"
    # broadcast_message: these receivers come back in failed_list with this status
    broadcast_failures: dict[str, int] = field(default_factory=dict)
    # broadcast_message requests allowed per window (Viber: 500 per 10 s); None: no limit
    broadcast_limit: tuple[int, float] | None = None
    broadcast_refused: int = 0  # requests answered status 12 for going over the limit

    def __post_init__(self) -> None:
        self._script: dict[str, deque[Scripted]] = {}
        self._tokens = itertools.count(5_468_412_873_411_000_001)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._broadcast_times: deque[float] = deque()

    # -- lifecycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/pa/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/pa"

    # -- scripting and inspection --------------------------------------------------------------

    def answer_next(
        self,
        method: str,
        times: int = 1,
        *,
        status: int = 0,
        status_message: str = "ok",
        http_status: int = 200,
    ) -> None:
        """The next ``times`` calls of ``method`` get this answer instead of the normal one."""
        queue = self._script.setdefault(method, deque())
        for _ in range(times):
            queue.append(Scripted(status, status_message, http_status))

    def of(self, method: str) -> list[dict[str, Any]]:
        return [c.body for c in self.calls if c.method == method]

    @property
    def sent(self) -> list[dict[str, Any]]:
        """Bodies of every send_message call (answered or not)."""
        return self.of("send_message")

    def sent_to(self, user_id: str) -> list[dict[str, Any]]:
        return [b for b in self.sent if b.get("receiver") == user_id]

    @property
    def broadcasts(self) -> list[dict[str, Any]]:
        """Bodies of every broadcast_message call that was answered status 0."""
        return [c.body for c in self.calls if c.method == "broadcast_message" and c.answered_ok]

    def received(self) -> list[tuple[str, str]]:
        """(user id, text) of every message that reached a user, one by one or by broadcast."""
        out: list[tuple[str, str]] = []
        for call in self.calls:
            if not call.answered_ok:
                continue
            if call.method == "send_message":
                out.append((str(call.body["receiver"]), str(call.body.get("text", ""))))
            elif call.method == "broadcast_message":
                out += [(str(r), str(call.body.get("text", ""))) for r in call.reached]
        return out

    # -- the API -------------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        raw = await request.read()
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return web.json_response({"status": 3, "status_message": "badData"})
        call = Call(method, request.headers.get(AUTH_HEADER), body)
        self.calls.append(call)
        async with self._changed:
            self._changed.notify_all()
        if request.headers.get(AUTH_HEADER) != self.token:
            return web.json_response({"status": 2, "status_message": "invalidAuthToken"})
        queue = self._script.get(method)
        if queue:
            scripted = queue.popleft()
            if scripted.http_status != 200:
                return web.Response(status=scripted.http_status, text="upstream trouble")
            if scripted.status != 0:
                return web.json_response(
                    {"status": scripted.status, "status_message": scripted.status_message}
                )
        if len(raw) > MAX_BODY:
            return web.json_response({"status": 3, "status_message": "badData: too long"})
        if method == "send_message":
            answer = self._send_message(body)
            call.answered_ok = answer["status"] == 0
            return web.json_response(answer)
        if method == "broadcast_message":
            answer = self._broadcast(body, call)
            call.answered_ok = answer["status"] == 0
            return web.json_response(answer)
        if method == "set_webhook":
            return web.json_response(await self._set_webhook(body))
        if method == "get_account_info":
            return web.json_response(
                {
                    "status": 0,
                    "status_message": "ok",
                    "id": "pa:75346594275468546724",
                    "name": self.account_name,
                    "uri": "tourdesk",
                    "webhook": self.webhook_url or "",
                    "subscribers_count": 2,
                }
            )
        return web.json_response({"status": 3, "status_message": f"unknown method {method}"})

    def _send_message(self, body: dict[str, Any]) -> dict[str, Any]:
        receiver = body.get("receiver")
        if not receiver or not body.get("type"):
            return {"status": 3, "status_message": "badData: receiver and type are required"}
        if body["type"] == "text" and not body.get("text"):
            return {"status": 3, "status_message": "badData: text is required"}
        sender = body.get("sender") or {}
        if not sender.get("name") or len(sender["name"]) > 28:
            return {"status": 3, "status_message": "badData: sender name"}
        if body["type"] == "rich_media" and (problem := rich_media_problem(body)):
            return {"status": 3, "status_message": f"badData: {problem}"}
        if receiver in self.unsubscribed:
            return {"status": 6, "status_message": "notSubscribed"}
        return {
            "status": 0,
            "status_message": "ok",
            "message_token": next(self._tokens),
            "chat_hostname": "SN-CHAT-01_",
        }

    def _broadcast(self, body: dict[str, Any], call: Call) -> dict[str, Any]:
        receivers = body.get("broadcast_list")
        if "receiver" in body or not isinstance(receivers, list) or not receivers:
            return {"status": 3, "status_message": "badData: broadcast_list is required"}
        if len(receivers) > 300:
            return {"status": 3, "status_message": "badData: more than 300 receivers"}
        if not body.get("type") or (body["type"] == "text" and not body.get("text")):
            return {"status": 3, "status_message": "badData: type and text are required"}
        sender = body.get("sender") or {}
        if not sender.get("name") or len(sender["name"]) > 28:
            return {"status": 3, "status_message": "badData: sender name"}
        if self.broadcast_limit is not None:
            count, window = self.broadcast_limit
            now = time.monotonic()
            while self._broadcast_times and self._broadcast_times[0] <= now - window:
                self._broadcast_times.popleft()
            if len(self._broadcast_times) >= count:
                self.broadcast_refused += 1
                return {"status": 12, "status_message": "tooManyRequests"}
            self._broadcast_times.append(now)
        failed = []
        for receiver in receivers:
            status = self.broadcast_failures.get(receiver)
            if status is None and receiver in self.unsubscribed:
                status = 6
            if status is None:
                call.reached.append(receiver)
            else:
                failed.append(
                    {"receiver": receiver, "status": status, "status_message": f"status {status}"}
                )
        return {
            "status": 0,
            "status_message": "ok",
            "message_token": next(self._tokens),
            "failed_list": failed,
        }

    async def _set_webhook(self, body: dict[str, Any]) -> dict[str, Any]:
        url = body.get("url")
        if not isinstance(url, str) or not url:
            return {"status": 1, "status_message": "invalidUrl"}
        check = json.dumps(
            {
                "event": "webhook",
                "timestamp": 1_700_000_000_000,
                "chat_hostname": "SN-CHAT-01_",
                "message_token": next(self._tokens),
            }
        ).encode()
        headers = {
            SIGNATURE_HEADER: viber_signature(self.token, check),
            "Content-Type": "application/json",
        }
        async with (
            aiohttp.ClientSession() as session,
            session.post(url, data=check, headers=headers) as resp,
        ):
            self.webhook_check_status = resp.status
        if resp.status != 200:
            return {"status": 1, "status_message": f"invalidUrl: answered {resp.status}"}
        self.webhook_url = url
        return {
            "status": 0,
            "status_message": "ok",
            "event_types": body.get("event_types") or [],
        }


# -- what Viber posts to the webhook ------------------------------------------------------------


def user_json(user_id: str, name: str, language: str) -> dict[str, Any]:
    return {
        "id": user_id,
        "name": name,
        "avatar": "https://media-direct.viber.cdn.com/download_photo?dlid=abc",
        "language": language,
        "country": "UA",
        "api_version": 10,
    }


class ViberHarness:
    """The real web app with the Viber channel, talking to a :class:`FakeViberApi`."""

    def __init__(self, services: Services, fake: FakeViberApi) -> None:
        self.services = services
        self.fake = fake
        self._tokens = itertools.count(4_912_661_846_655_238_145)

    async def __aenter__(self) -> ViberHarness:
        from bots.app import Runtime
        from bots.viber.channel import ViberChannel

        settings = self.services.settings
        viber_settings(settings).token = SecretStr(self.fake.token)
        viber_settings(settings).api_url = self.fake.api_url
        self.runtime = Runtime(self.services)
        channels = [c for c in self.runtime.channels if isinstance(c, ViberChannel)]
        assert len(channels) == 1
        self.channel: ViberChannel = channels[0]
        self.http = TestClient(TestServer(self.runtime.web_app))
        await self.http.start_server()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.channel.stop()
        await self.http.close()

    @property
    def base_url(self) -> str:
        return str(self.http.make_url("")).rstrip("/")

    def next_token(self) -> int:
        return next(self._tokens)

    def now_ms(self) -> int:
        return int(self.services.clock.now().timestamp() * 1000)

    async def post_raw(
        self, raw: bytes, *, signature: str | None = None, sign: bool = True
    ) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers[SIGNATURE_HEADER] = signature
        elif sign:
            headers[SIGNATURE_HEADER] = viber_signature(self.fake.token, raw)
        resp = await self.http.post("/webhooks/viber", data=raw, headers=headers)
        body = await resp.read()
        return resp.status, body

    async def post(self, event: dict[str, Any]) -> tuple[int, bytes]:
        """Post one callback as Viber does, then wait until its replies went out."""
        status, body = await self.post_raw(json.dumps(event).encode())
        await self.channel.join()
        return status, body

    def user(self, user_id: str, name: str = "Olena", language: str = "en") -> ViberUser:
        return ViberUser(self, user_id, name, language)


def button_text(button: dict[str, Any]) -> str:
    return html.unescape(str(button.get("Text", "")))


class ViberUser:
    """A person in the Viber app: sees messages and keyboards, presses buttons, writes."""

    def __init__(self, harness: ViberHarness, user_id: str, name: str, language: str) -> None:
        self.h = harness
        self.id = user_id
        self.name = name
        self.language = language
        self.last: list[dict[str, Any]] = []  # messages received for the last action
        self.keyboard: dict[str, Any] | None = None  # what the input area shows now
        self.status = 0

    def _sender(self) -> dict[str, Any]:
        return user_json(self.id, self.name, self.language)

    async def _act(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        before = len(self.h.fake.sent_to(self.id))
        self.status, body = await self.h.post(event)
        received = self.h.fake.sent_to(self.id)[before:]
        if event["event"] == "conversation_started" and body:
            received = [json.loads(body), *received]
        self.last = received
        if received:
            self.keyboard = received[-1].get("keyboard")
        return received

    def card_buttons(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        """The buttons of a rich-media (carousel) message that do something when pressed."""
        cells = (message.get("rich_media") or {}).get("Buttons") or []
        return [b for b in cells if b.get("ActionType") in ("reply", "open-url")]

    async def press_card(self, message: dict[str, Any], label_part: str) -> Any:
        """Press the reply button of a carousel message whose text contains ``label_part``."""
        matches = [
            b
            for b in self.card_buttons(message)
            if b["ActionType"] == "reply" and label_part in button_text(b)
        ]
        if len(matches) != 1:
            labels = [button_text(b) for b in self.card_buttons(message)]
            raise AssertionError(f"expected one card button with {label_part!r}, have {labels}")
        return await self.send({"type": "text", "text": matches[0]["ActionBody"]})

    async def open_chat(self, *, subscribed: bool = False, context: str | None = None) -> Any:
        event: dict[str, Any] = {
            "event": "conversation_started",
            "timestamp": self.h.now_ms(),
            "message_token": self.h.next_token(),
            "type": "open",
            "user": self._sender(),
            "subscribed": subscribed,
        }
        if context is not None:
            event["context"] = context
        return await self._act(event)

    def message_event(self, message: dict[str, Any], token: int | None = None) -> dict[str, Any]:
        return {
            "event": "message",
            "timestamp": self.h.now_ms(),
            "chat_hostname": "SN-CHAT-01_",
            "message_token": token if token is not None else self.h.next_token(),
            "sender": self._sender(),
            "message": message,
            "silent": False,
        }

    async def send(self, message: dict[str, Any], token: int | None = None) -> Any:
        return await self._act(self.message_event(message, token))

    async def say(self, text: str) -> Any:
        return await self.send({"type": "text", "text": text})

    def buttons(self) -> list[dict[str, Any]]:
        return list((self.keyboard or {}).get("Buttons", []))

    def labels(self) -> list[str]:
        return [button_text(b) for b in self.buttons()]

    async def press(self, label_part: str) -> Any:
        """Press the reply button of the keyboard on screen whose text contains ``label_part``."""
        matches = [
            b
            for b in self.buttons()
            if b.get("ActionType") == "reply" and label_part in button_text(b)
        ]
        if len(matches) != 1:
            raise AssertionError(f"expected one button with {label_part!r}, have {self.labels()}")
        # A reply button sends its ActionBody back as the text of a message.
        return await self.send({"type": "text", "text": matches[0]["ActionBody"]})

    async def share_phone(self, phone: str) -> Any:
        if not any(b.get("ActionType") == "share-phone" for b in self.buttons()):
            raise AssertionError(f"no share-phone button on screen: {self.labels()}")
        contact = {"name": self.name, "phone_number": phone, "avatar": "https://x.example/a"}
        return await self.send({"type": "contact", "contact": contact})

    @property
    def text(self) -> str:
        return "\n".join(str(m.get("text", "")) for m in self.last)
