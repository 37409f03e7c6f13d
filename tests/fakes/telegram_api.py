"""A small Telegram Bot API server for tests and benchmarks, on 127.0.0.1 (port 0).

It speaks the real wire protocol at ``/bot{token}/{method}`` (form or JSON parameters in,
``{"ok": true, "result": ...}`` out, errors as ``{"ok": false, "error_code", "description",
"parameters"}``), so the real aiogram client runs against it. It records every request, serves
queued updates to ``getUpdates`` with Telegram's offset semantics (long polling included),
plays Telegram for webhooks (:meth:`FakeTelegram.deliver` posts an update to the registered
URL with the registered secret), and can be told to fail the next N calls with 429 / 403 /
400 / 500. Like Telegram it refuses over-long texts, broken HTML, and callback data over 64
bytes, so a test notices when we send what the real server would refuse.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import math
import re
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bots.telegram.settings import telegram_settings

TOKEN = "123456:TEST-token_for-tourdesk"
JSON_FIELDS = {
    "reply_markup",
    "allowed_updates",
    "commands",
    "scope",
    "entities",
    "caption_entities",
    "link_preview_options",
    "reply_parameters",
}
HTML_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
}
_TAG = re.compile(r"<(/?)([a-zA-Z-]+)(?:\s[^<>]*)?>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


class ApiError(Exception):
    def __init__(self, status: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class Failure:
    status: int
    description: str
    retry_after: int | None
    method: str | None  # None: any method except getUpdates


@dataclass
class Sent:
    """A message as the user would see it."""

    chat_id: int
    message_id: int
    text: str  # visible text (HTML parsed)
    raw: str  # what the bot sent
    markup: dict[str, Any] | None = None
    edits: int = 0
    kind: str = "text"

    @property
    def buttons(self) -> list[dict[str, Any]]:
        rows = (self.markup or {}).get("inline_keyboard") or []
        return [b for row in rows for b in row]

    @property
    def labels(self) -> list[str]:
        return [b["text"] for b in self.buttons]


def visible(text: str) -> str:
    """What Telegram shows for an HTML text: tags gone, entities decoded."""
    return html.unescape(_TAG.sub("", text))


def check_html(text: str) -> None:
    """Refuse what Telegram refuses in parse_mode=HTML (the cases that matter to us)."""
    stack: list[str] = []
    position = 0
    while True:
        lt = text.find("<", position)
        amp = text.find("&", position)
        if amp != -1 and (lt == -1 or amp < lt):
            if not _ENTITY.match(text, amp):
                raise ApiError(400, f"Bad Request: can't parse entities: bad entity at {amp}")
            position = amp + 1
            continue
        if lt == -1:
            break
        tag = _TAG.match(text, lt)
        if tag is None or tag.group(2).lower() not in HTML_TAGS:
            raise ApiError(
                400, f"Bad Request: can't parse entities: Unsupported start tag at byte offset {lt}"
            )
        name = tag.group(2).lower()
        if tag.group(1):
            if not stack or stack.pop() != name:
                raise ApiError(400, f"Bad Request: can't parse entities: unmatched end tag {name}")
        else:
            stack.append(name)
        position = tag.end()
    if stack:
        raise ApiError(400, f"Bad Request: can't parse entities: unclosed start tag {stack[-1]}")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


class FakeTelegram:
    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.bot_user = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": "Tourdesk",
            "username": "tourdesk_bot",
        }
        self.calls: list[Call] = []
        self.messages: dict[tuple[int, int], Sent] = {}
        self._by_chat: dict[int, list[Sent]] = {}
        self.updates: list[dict[str, Any]] = []  # not yet confirmed by an offset
        self.webhook: dict[str, Any] | None = None
        self.commands: dict[str | None, list[dict[str, Any]]] = {}
        self.chat_commands: dict[int, list[dict[str, Any]]] = {}  # menus set for one chat
        self.blocked: set[int] = set()
        self.failures: list[Failure] = []
        self.stalls: list[float] = []  # the next sendMessage calls wait this long, each
        self.limits: tuple[float, float] | None = None  # (global per s, per chat per s)
        self.too_many = 0  # 429s answered because a limit was exceeded
        self.too_many_global = 0  # ... of which for the bot's global rate
        self._tat: dict[object, float] = {}
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._client: aiohttp.ClientSession | None = None
        self.port = 0

    # --- running ---------------------------------------------------------------------------

    async def start(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def close(self) -> None:
        async with self._changed:
            self._changed.notify_all()
        if self._client is not None:
            await self._client.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # --- telling it what to do -------------------------------------------------------------

    def fail(
        self,
        status: int,
        *,
        times: int = 1,
        description: str | None = None,
        retry_after: int | None = None,
        method: str | None = "sendMessage",
    ) -> None:
        """The next ``times`` calls of ``method`` answer this error."""
        default = {
            429: f"Too Many Requests: retry after {retry_after or 1}",
            403: "Forbidden: bot was blocked by the user",
            400: "Bad Request: chat not found",
            500: "Internal Server Error",
        }
        text = description or default.get(status, "Error")
        if status == 429 and retry_after is None:
            retry_after = 1
        for _ in range(times):
            self.failures.append(Failure(status, text, retry_after, method))

    def fail_after(self, ok: int, status: int, **kwargs: Any) -> None:
        """Let ``ok`` sendMessage calls succeed, then fail as :meth:`fail` says."""
        self._pass_first = ok
        self.fail(status, **kwargs)

    def stall(self, seconds: float, times: int = 1) -> None:
        """The next ``times`` sendMessage calls hang ``seconds`` before they are handled."""
        self.stalls += [seconds] * times

    def enforce_limits(self, global_rate: float = 30.0, per_chat: float = 1.0) -> None:
        """Answer 429 with retry_after when the bot goes over ``global_rate`` messages a second
        or over ``per_chat`` a second in one chat, as Telegram does. Like Telegram it tolerates
        a little jitter: a message may arrive up to 0.1 s early for the bot's rate (a burst of
        3 at 30/s) and 0.2 s early for a chat's."""
        self.limits = (global_rate, per_chat)

    def _over_limit(self, chat_id: int) -> float | None:
        """GCRA per key; returns seconds to wait when a limit is exceeded (nothing booked)."""
        if self.limits is None:
            return None
        now = time.monotonic()
        keys = [("global", 1 / self.limits[0], 0.1), (chat_id, 1 / self.limits[1], 0.2)]
        for key, _interval, slack in keys:
            tat = self._tat.get(key, now)
            if tat - now > slack:
                self.too_many += 1
                self.too_many_global += key == "global"
                return max(tat - now, 1.0)
        for key, interval, _ in keys:
            self._tat[key] = max(self._tat.get(key, now), now) + interval
        return None

    def block(self, user_id: int) -> None:
        """The user blocked the bot: sending to them answers 403 from now on."""
        self.blocked.add(user_id)

    def next_update_id(self) -> int:
        return next(self._update_ids)

    async def push(self, *updates: dict[str, Any]) -> None:
        """Queue updates for getUpdates (polling)."""
        async with self._changed:
            self.updates.extend(updates)
            self._changed.notify_all()

    async def deliver(self, update: dict[str, Any], *, secret: str | None = "registered") -> int:
        """Post ``update`` to the registered webhook as Telegram does; returns the HTTP status.

        ``secret="registered"`` sends the secret given to setWebhook; None sends no header.
        """
        assert self.webhook is not None, "no webhook registered"
        headers = {"Content-Type": "application/json"}
        token = self.webhook.get("secret_token") if secret == "registered" else secret
        if token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = token
        if self._client is None:
            self._client = aiohttp.ClientSession()
        async with self._client.post(
            self.webhook["url"], data=json.dumps(update), headers=headers
        ) as resp:
            await resp.read()
            return resp.status

    # --- looking at what happened ----------------------------------------------------------

    def requests(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method]

    def chat(self, chat_id: int) -> list[Sent]:
        """Messages in one chat, oldest first, as currently shown (edits applied)."""
        return [
            m
            for m in self._by_chat.get(chat_id, [])
            if self.messages.get((chat_id, m.message_id)) is m
        ]

    def last(self, chat_id: int) -> Sent:
        return self.chat(chat_id)[-1]

    async def wait_for(self, predicate: Any, limit: float = 10.0) -> None:
        """Wait until ``predicate()`` holds (polling tests: the bot works in the background)."""
        async with asyncio.timeout(limit):
            async with self._changed:
                await self._changed.wait_for(predicate)

    # --- the protocol ----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(ApiError(401, "Unauthorized"))
        method = request.match_info["method"]
        params = await _params(request)
        self.calls.append(Call(method, params))
        if method == "sendMessage" and self.stalls:
            async with self._changed:
                self._changed.notify_all()  # the call is seen at once; its answer is late
            await asyncio.sleep(self.stalls.pop(0))
        try:
            self._maybe_fail(method)
            if method == "sendMessage":
                wait = self._over_limit(int(params.get("chat_id", 0)))
                if wait is not None:
                    raise ApiError(
                        429, f"Too Many Requests: retry after {math.ceil(wait)}", math.ceil(wait)
                    )
            handler = getattr(self, f"_m_{method.lower()}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params)
        except ApiError as exc:
            return _error(exc)
        finally:
            async with self._changed:
                self._changed.notify_all()
        return web.json_response({"ok": True, "result": result})

    def _maybe_fail(self, method: str) -> None:
        if method == "sendMessage" and getattr(self, "_pass_first", 0) > 0:
            self._pass_first -= 1
            return
        for index, failure in enumerate(self.failures):
            if failure.method == method or (failure.method is None and method != "getUpdates"):
                del self.failures[index]
                raise ApiError(failure.status, failure.description, failure.retry_after)

    async def _m_getme(self, params: dict[str, Any]) -> Any:
        return self.bot_user

    async def _m_getupdates(self, params: dict[str, Any]) -> Any:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        if offset:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        if not self.updates and timeout > 0:
            async with self._changed:
                try:
                    async with asyncio.timeout(timeout):
                        await self._changed.wait_for(lambda: bool(self.updates))
                except TimeoutError:
                    pass
        return self.updates[:limit]

    async def _m_setwebhook(self, params: dict[str, Any]) -> Any:
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        self.webhook = params
        return True

    async def _m_deletewebhook(self, params: dict[str, Any]) -> Any:
        self.webhook = None
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any]) -> Any:
        hook = self.webhook or {}
        return {
            "url": hook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": 0,
        }

    async def _m_setmycommands(self, params: dict[str, Any]) -> Any:
        scope = params.get("scope") or {}
        if scope.get("type") == "chat":
            self.chat_commands[int(scope["chat_id"])] = params["commands"]
        else:
            self.commands[params.get("language_code")] = params["commands"]
        return True

    async def _m_deletemycommands(self, params: dict[str, Any]) -> Any:
        scope = params.get("scope") or {}
        if scope.get("type") == "chat":
            self.chat_commands.pop(int(scope["chat_id"]), None)
        return True

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> Any:
        return True

    def _chat(self, chat_id: int) -> dict[str, Any]:
        if chat_id > 0:
            return {"id": chat_id, "type": "private", "first_name": "User"}
        return {"id": chat_id, "type": "supergroup", "title": "Staff"}

    def _check_chat(self, params: dict[str, Any]) -> int:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def _check_text(self, text: str, params: dict[str, Any], limit: int) -> str:
        if params.get("parse_mode") == "HTML":
            check_html(text)
            shown = visible(text)
        else:
            shown = text
        if utf16_len(shown) > limit:
            raise ApiError(400, "Bad Request: message is too long")
        return shown.strip()  # Telegram trims surrounding white space

    def _check_markup(self, markup: dict[str, Any] | None) -> None:
        for row in (markup or {}).get("inline_keyboard") or []:
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(data.encode()) <= 64:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")

    def _store(self, sent: Sent) -> None:
        self.messages[(sent.chat_id, sent.message_id)] = sent
        self._by_chat.setdefault(sent.chat_id, []).append(sent)

    def _message(self, sent: Sent) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": self._chat(sent.chat_id),
            "from": self.bot_user,
        }
        if sent.kind == "text":
            body["text"] = sent.text
        else:
            body[sent.kind] = _file(sent.kind)
            if sent.text:
                body["caption"] = sent.text
        if sent.markup and "inline_keyboard" in sent.markup:
            body["reply_markup"] = sent.markup
        return body

    async def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        chat_id = self._check_chat(params)
        text = params.get("text") or ""
        shown = self._check_text(text, params, 4096)
        if not shown.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        markup = params.get("reply_markup")
        self._check_markup(markup)
        sent = Sent(chat_id, next(self._message_ids), shown, text, markup)
        self._store(sent)
        return self._message(sent)

    async def _send_media(self, kind: str, params: dict[str, Any]) -> Any:
        chat_id = self._check_chat(params)
        caption = params.get("caption") or ""
        shown = self._check_text(caption, params, 1024)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        sent = Sent(chat_id, next(self._message_ids), shown, caption, markup, kind=kind)
        self._store(sent)
        return self._message(sent)

    async def _m_sendphoto(self, params: dict[str, Any]) -> Any:
        return await self._send_media("photo", params)

    async def _m_senddocument(self, params: dict[str, Any]) -> Any:
        return await self._send_media("document", params)

    async def _m_editmessagetext(self, params: dict[str, Any]) -> Any:
        chat_id = self._check_chat(params)
        key = (chat_id, int(params["message_id"]))
        sent = self.messages.get(key)
        if sent is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if sent.kind != "text":
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        text = params.get("text") or ""
        shown = self._check_text(text, params, 4096)
        markup = params.get("reply_markup")
        self._check_markup(markup)
        if shown == sent.text and (markup or None) == (sent.markup or None):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup "
                "of the message",
            )
        sent.text, sent.raw, sent.markup = shown, text, markup
        sent.edits += 1
        return self._message(sent)

    async def _m_deletemessage(self, params: dict[str, Any]) -> Any:
        self.messages.pop((int(params["chat_id"]), int(params["message_id"])), None)
        return True


def _file(kind: str) -> Any:
    item = {"file_id": f"{kind}-file", "file_unique_id": f"{kind}-u"}
    if kind == "photo":
        return [{**item, "width": 90, "height": 90}]
    return item


async def _params(request: web.Request) -> dict[str, Any]:
    if request.content_type == "application/json":
        body = await request.json()
        return dict(body or {})
    form = await request.post()
    params: dict[str, Any] = {}
    for key, value in form.items():
        text = value if isinstance(value, str) else str(value)
        params[key] = json.loads(text) if key in JSON_FIELDS else text
    params.update({k: v for k, v in request.query.items() if k not in params})
    return params


def _error(exc: ApiError) -> web.Response:
    body: dict[str, Any] = {
        "ok": False,
        "error_code": exc.status,
        "description": exc.description,
    }
    if exc.retry_after is not None:
        body["parameters"] = {"retry_after": exc.retry_after}
    return web.json_response(body, status=exc.status)


# --- updates as Telegram sends them -----------------------------------------------------------


@dataclass
class TgUser:
    """A Telegram user in a private chat with the bot; builds the updates they cause."""

    fake: FakeTelegram
    id: int
    first_name: str = "Olena"
    language: str | None = "en"
    username: str | None = None
    _date: int = field(default_factory=lambda: int(time.time()))

    def _user(self) -> dict[str, Any]:
        user: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.language:
            user["language_code"] = self.language
        if self.username:
            user["username"] = self.username
        return user

    def _chat(self) -> dict[str, Any]:
        return {"id": self.id, "type": "private", "first_name": self.first_name}

    def message(self, *, reply_to: int | None = None, **content: Any) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self.fake._message_ids),
            "date": self._date,
            "chat": self._chat(),
            "from": self._user(),
            **content,
        }
        if reply_to is not None:
            message["reply_to_message"] = {
                "message_id": reply_to,
                "date": self._date,
                "chat": self._chat(),
                "from": self.fake.bot_user,
                "text": "…",
            }
        return {"update_id": self.fake.next_update_id(), "message": message}

    def text(self, text: str, **extra: Any) -> dict[str, Any]:
        return self.message(text=text, **extra)

    def start(self, param: str | None = None) -> dict[str, Any]:
        text = "/start" + (f" {param}" if param else "")
        return self.message(text=text, entities=[{"type": "bot_command", "offset": 0, "length": 6}])

    def contact(self, phone: str, *, owner: int | None = None) -> dict[str, Any]:
        """Share a contact; ``owner`` None means the user's own (Telegram sets user_id)."""
        contact = {
            "phone_number": phone,
            "first_name": self.first_name,
            "user_id": owner or self.id,
        }
        return self.message(contact=contact)

    def location(self, latitude: float, longitude: float) -> dict[str, Any]:
        return self.message(location={"latitude": latitude, "longitude": longitude})

    def photo(self, caption: str | None = None) -> dict[str, Any]:
        extra: dict[str, Any] = {"caption": caption} if caption else {}
        return self.message(photo=_file("photo"), **extra)

    def press(self, data: str, message: Sent | int) -> dict[str, Any]:
        """Press an inline button with ``data`` on ``message`` (a message the bot sent)."""
        message_id = message.message_id if isinstance(message, Sent) else message
        shown = self.fake.messages.get((self.id, message_id))
        carrier: dict[str, Any] = {
            "message_id": message_id,
            "date": self._date,
            "chat": self._chat(),
            "from": self.fake.bot_user,
            "text": shown.text if shown else "…",
        }
        if shown is not None and shown.markup and "inline_keyboard" in shown.markup:
            carrier["reply_markup"] = shown.markup
        return {
            "update_id": self.fake.next_update_id(),
            "callback_query": {
                "id": f"cb{self.fake.next_update_id()}",
                "from": self._user(),
                "chat_instance": f"ci{self.id}",
                "message": carrier,
                "data": data,
            },
        }

    def press_label(self, label_part: str) -> dict[str, Any]:
        """Press the button whose label contains ``label_part`` on the newest message having one."""
        for sent in reversed(self.fake.chat(self.id)):
            matches = [b for b in sent.buttons if label_part in b["text"]]
            if matches:
                return self.press(matches[0]["callback_data"], sent)
        raise AssertionError(f"no button with {label_part!r} in chat {self.id}")

    def membership(self, status: str) -> dict[str, Any]:
        """``kicked`` when the user blocks the bot, ``member`` when they unblock it."""
        old = "member" if status == "kicked" else "kicked"

        def member(value: str) -> dict[str, Any]:
            body: dict[str, Any] = {"status": value, "user": self.fake.bot_user}
            if value == "kicked":
                body["until_date"] = 0
            return body

        return {
            "update_id": self.fake.next_update_id(),
            "my_chat_member": {
                "chat": self._chat(),
                "from": self._user(),
                "date": self._date,
                "old_chat_member": member(old),
                "new_chat_member": member(status),
            },
        }


# --- tourdesk running against the fake ---------------------------------------------------------


@dataclass
class RunningBot:
    """tourdesk's runtime (web app + Telegram channel) wired to a :class:`FakeTelegram`."""

    fake: FakeTelegram
    runtime: Any  # bots.app.Runtime
    channel: Any  # bots.telegram.TelegramChannel

    async def stop(self) -> None:
        await self.runtime.stop()

    async def post(self, update: dict[str, Any], *, secret: str | None = "registered") -> int:
        return await self.fake.deliver(update, secret=secret)


async def run_bot(services: Any, router: Any, fake: FakeTelegram, *, mode: str) -> RunningBot:
    """Start tourdesk's :class:`~bots.app.Runtime` as ``tourdesk run`` would, Telegram only."""
    from pydantic import SecretStr

    from bots.app import Runtime

    settings = services.settings
    telegram_settings(settings).token = SecretStr(fake.token)
    telegram_settings(settings).api_url = fake.url
    telegram_settings(settings).mode = mode  # type: ignore[assignment]
    runtime = Runtime(services, router=router)
    if mode == "webhook":
        await runtime.start_web("127.0.0.1", 0)
        settings.web.public_url = f"http://127.0.0.1:{runtime.bound_port}"
    await runtime.start_channels()
    channel: Any = next(c for c in runtime.channels if c.name == "telegram")
    await asyncio.wait_for(channel.ready.wait(), 10)
    return RunningBot(fake, runtime, channel)
