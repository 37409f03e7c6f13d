"""aiogram's HTTP session, with the response models it parses kept alive and JSON bodies.

aiogram validates every Bot API answer as ``Response[<the method's result type>]``. pydantic
keeps parametrised generic models in a weak-value cache, and nothing else holds these, so a
garbage collection drops them and the next call builds the model again: schema generation at
a few milliseconds a time, measured as about a third of the CPU of a busy webhook process
(bench/telegram_webhook.py). Holding one strong reference per method type makes every later
``Response[...]`` a cache hit.

aiogram sends every call as an ``application/x-www-form-urlencoded`` form, with the keyboard
JSON-encoded and then percent-encoded field by field in pure Python: about a millisecond per
message with a menu, the largest single cost of a reply (bench/telegram_webhook.py profile).
The Bot API takes ``application/json`` as well, so a call without files goes as one JSON
document: the same values aiogram would send (defaults resolved, empty values left out), one
``json.dumps``. A call that uploads a file keeps aiogram's multipart form.

:meth:`TelegramSession.post_json` is the bulk lane's way out: the body comes already encoded
(a mailing's text and keyboard are encoded once, only the chat id differs) and a successful
answer is read as plain JSON, with no pydantic model built either way; an error answer goes
through aiogram's own checks, so the sender sees the same exceptions as on the usual path.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from enum import Enum
from typing import Any, cast

import aiohttp
from aiogram import Bot
from aiogram.client.default import Default
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import ClientDecodeError, TelegramNetworkError
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import InputFile, TelegramObject
from aiohttp import ClientError, ClientTimeout
from pydantic_core import from_json

JSON_HEADERS = {"Content-Type": "application/json"}


class _HasFile(Exception):
    """The call uploads a file: it needs aiogram's multipart form."""


def _plain(value: Any, bot: Bot) -> Any:
    """``value`` as aiogram's ``prepare_value`` leaves it for JSON (without its cost)."""
    if value is None or isinstance(value, str | int | float):  # bool is an int
        return value
    if isinstance(value, dict):
        return {k: p for k, v in value.items() if (p := _plain(v, bot)) is not None}
    if isinstance(value, list | tuple):
        return [p for v in value if (p := _plain(v, bot)) is not None]
    if isinstance(value, Default):
        return _plain(bot.default[value.name], bot)
    if isinstance(value, InputFile):
        raise _HasFile
    if isinstance(value, Enum):
        return _plain(value.value, bot)
    if isinstance(value, datetime.timedelta):
        return round((datetime.datetime.now() + value).timestamp())  # as aiogram does
    if isinstance(value, datetime.datetime):
        return round(value.timestamp())
    if isinstance(value, TelegramObject):
        return _plain(value.model_dump(warnings=False), bot)
    return value


class TelegramSession(AiohttpSession):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._response_models: dict[type[Any], type[Any]] = {}
        self._timeout: aiohttp.ClientTimeout | None = None

    def _timeout_of(self, seconds: float) -> aiohttp.ClientTimeout:
        if self._timeout is None or self._timeout.total != seconds:
            self._timeout = aiohttp.ClientTimeout(total=seconds)
        return self._timeout

    def check_response(
        self, bot: Bot, method: TelegramMethod[Any], status_code: int, content: str
    ) -> Response[Any]:
        kind = type(method)
        if kind not in self._response_models:
            self._response_models[kind] = Response[method.__returning__]  # type: ignore[name-defined]
        return super().check_response(bot, method, status_code, content)

    def json_body(self, bot: Bot, method: TelegramMethod[Any]) -> str | None:
        """The call as one JSON document, or None when it uploads a file (multipart needed).

        Values are what aiogram would put in its form (defaults resolved, enums as values,
        times as Unix seconds, None left out of nested objects), and a top-level field aiogram
        leaves out of the form (None, False, 0, empty) is left out here too."""
        body: dict[str, Any] = {}
        try:
            for key, value in method.model_dump(warnings=False).items():
                prepared = _plain(value, bot)
                if prepared:
                    body[key] = prepared
        except _HasFile:
            return None
        return self.json_dumps(body)

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 (aiogram's signature)
    ) -> TelegramType:
        body = self.json_body(bot, method)
        if body is None:
            return await super().make_request(bot, method, timeout)
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=method.__api_method__)
        try:
            async with session.post(
                url,
                data=body,
                headers=JSON_HEADERS,
                timeout=ClientTimeout(total=self.timeout if timeout is None else timeout),
            ) as resp:
                raw_result = await resp.text()
        except TimeoutError as exc:
            raise TelegramNetworkError(method=method, message="Request timeout error") from exc
        except ClientError as exc:
            message = f"{type(exc).__name__}: {exc}"
            raise TelegramNetworkError(method=method, message=message) from exc
        response = self.check_response(
            bot=bot, method=method, status_code=resp.status, content=raw_result
        )
        return cast(TelegramType, response.result)

    async def post_json(
        self,
        bot: Bot,
        name: str,
        method: Callable[[], TelegramMethod[Any]],
        body: bytes,
        bound: aiohttp.ClientTimeout | None = None,
    ) -> Any:
        """POST ``body`` (JSON) to the Bot API method ``name``; the answer's ``result`` as
        plain JSON. ``method`` builds the method object, needed only to name it in an error.
        ``bound`` limits the whole request (one timer; the session's timeout by default)."""
        session = await self.create_session()
        url = self.api.api_url(token=bot.token, method=name)
        limit = bound or self._timeout_of(self.timeout)
        try:
            async with session.post(url, data=body, headers=JSON_HEADERS, timeout=limit) as resp:
                status, raw = resp.status, await resp.read()
        except TimeoutError as exc:
            raise TelegramNetworkError(method=method(), message="Request timeout error") from exc
        except aiohttp.ClientError as exc:
            raise TelegramNetworkError(
                method=method(), message=f"{type(exc).__name__}: {exc}"
            ) from exc
        try:
            data = from_json(raw)
        except ValueError as exc:
            raise ClientDecodeError("Failed to decode object", exc, raw) from exc
        if 200 <= status <= 226 and isinstance(data, dict) and data.get("ok") is True:
            return data.get("result")
        # an error: aiogram's checks raise what its usual path would (429, 403, 400, ...)
        self.check_response(bot, method(), status, raw.decode(errors="replace"))
        raise ClientDecodeError("Unexpected answer", ValueError(status), data)
