"""The Viber channel: webhook in, REST out, and the outbox sender (see bots/channel.py)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aiohttp import web

from bots.viber.client import INVALID_AUTH_TOKEN, ViberClient, ViberTransportError
from bots.viber.render import Renderer, sender_info
from bots.viber.sender import ViberSender
from bots.viber.settings import viber_settings
from bots.viber.spec import NAME
from bots.viber.webhook import PATH, ViberWebhook
from core import accounts
from core.backoff import BackoffConfig
from core.contract import Address, Incoming, Reply
from core.locks import KeyedLocks
from core.sending import Outcome
from core.services import Services

log = logging.getLogger("tourdesk.viber")

Dispatch = Callable[[Incoming], Awaitable[list[Reply]]]

REPLY_RETRY_SECONDS = 5.0  # a reply Viber refused for now goes to the outbox, due this much later
REGISTER_RETRY = BackoffConfig(min_delay=5.0, max_delay=300.0)


class ViberChannel:
    name = NAME

    def __init__(self, services: Services, dispatcher: Dispatch) -> None:
        viber = viber_settings(services.settings)
        self.services = services
        self.token = viber.token.get_secret_value() if viber.token else ""
        self.client = ViberClient(self.token, viber.api_url)
        self.renderer = Renderer(
            sender_info(viber.bot_name or services.rules.agency.name, viber.bot_avatar)
        )
        self.sender = ViberSender(self.client, self.renderer, services.clock)
        self.webhook = ViberWebhook(
            self.token, services, dispatcher, self.renderer, self.reply_later
        )
        self._tasks: set[asyncio.Task[Any]] = set()
        self._send_locks = KeyedLocks()
        self._register_task: asyncio.Task[None] | None = None
        self.webhook_registered = asyncio.Event()

    # -- ChannelAdapter ------------------------------------------------------------------------

    def setup_web(self, app: web.Application) -> None:
        app.router.add_post(PATH, self.webhook.handle)

    async def start(self) -> None:
        public_url = self.services.settings.web.public_url
        if not public_url:
            log.warning("PUBLIC_URL is not set: Viber cannot reach us, webhook not registered")
            return
        self._register_task = asyncio.create_task(self._register(public_url + PATH))

    async def stop(self) -> None:
        if self._register_task is not None and not self._register_task.done():
            self._register_task.cancel()
            await asyncio.gather(self._register_task, return_exceptions=True)
        await self.join()
        await self.client.close()

    # -- replies -------------------------------------------------------------------------------

    def reply_later(self, address: Address, replies: list[Reply]) -> None:
        """Send the replies to one update in the background, in order."""
        task = asyncio.create_task(self._send_replies(address, replies))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def join(self) -> None:
        """Wait until every reply already handed over has been sent (shutdown, tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _send_replies(self, address: Address, replies: list[Reply]) -> None:
        try:
            async with self._send_locks.hold(address.user_id):
                await self._send_in_order(address, replies)
        except Exception:
            log.exception("viber: sending replies to %s failed", address.user_id)

    async def _send_in_order(self, address: Address, replies: list[Reply]) -> None:
        for index, reply in enumerate(replies):
            result = await self.sender.deliver(address, reply)
            if result.outcome is Outcome.SENT:
                continue
            if result.outcome in (Outcome.UNSUBSCRIBED, Outcome.BLOCKED):
                await accounts.mark(address, subscribed=False)
                log.info("viber user %s unreachable: %s", address.user_id, result.error)
                return
            if result.outcome in (Outcome.RETRY, Outcome.THROTTLED):
                await self._postpone(address, replies[index:], result.retry_after)
                return
            log.warning("viber reply to %s refused: %s", address.user_id, result.error)

    async def _postpone(
        self, address: Address, replies: list[Reply], retry_after: float | None
    ) -> None:
        """Hand replies Viber refused for now to the outbox, which retries with backoff."""
        account = await accounts.find(address)
        if account is None:
            return
        delay = retry_after if retry_after is not None else REPLY_RETRY_SECONDS
        not_before = self.services.clock.now() + timedelta(seconds=delay)
        for reply in replies:
            await self.services.outbox.enqueue(account, reply, kind="reply", not_before=not_before)
        log.info("viber: %d replies to %s postponed", len(replies), address.user_id)

    # -- webhook registration ------------------------------------------------------------------

    async def _register(self, url: str) -> None:
        failures = 0
        try:
            info = await self.client.get_account_info()
            if info.ok:
                data = info.data
                log.info("viber account name=%s uri=%s", data.get("name"), data.get("uri"))
            else:
                log.error("viber get_account_info: %s", info.describe())
        except ViberTransportError as exc:
            log.warning("viber get_account_info: %s", exc)
        while True:
            delay = REGISTER_RETRY.delay(failures + 1)
            try:
                result = await self.client.set_webhook(url)
            except ViberTransportError as exc:
                log.warning("viber set_webhook: %s; retrying in %.0fs", exc, delay)
            except Exception:
                log.exception("viber set_webhook failed")
                return
            else:
                if result.ok:
                    log.info("started component=viber-webhook url=%s", url)
                    self.webhook_registered.set()
                    return
                if result.status == INVALID_AUTH_TOKEN:
                    log.error("viber set_webhook: %s (check VIBER_TOKEN)", result.describe())
                    return
                log.warning("viber set_webhook: %s; retrying in %.0fs", result.describe(), delay)
            await asyncio.sleep(delay)
            failures += 1
