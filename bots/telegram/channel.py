"""The Telegram adapter: updates in (webhook or long polling), replies out, an outbox sender.

Every update, whichever way it came, goes through :meth:`TelegramChannel.feed`: one user's
updates are handled in order, each ``update_id`` once (``services.updates``, Redis or the
database, so also across restarts and processes), then the message, button or membership
handler maps it to an :class:`Incoming`, calls the dispatcher and renders the replies. The
update is the small model of :mod:`bots.telegram.updates` and goes straight to its handler
(three kinds, one ``if`` each): aiogram's Dispatcher (middlewares, router tree, filters, a
context per update) cost more than our own routing of the text (bench/telegram_webhook.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.methods import GetUpdates
from aiogram.types import BotCommand
from aiogram.utils.token import TokenValidationError
from aiohttp import web

from bots.telegram import mapping
from bots.telegram.render import Renderer, can_edit
from bots.telegram.sender import TelegramSender
from bots.telegram.session import TelegramSession
from bots.telegram.settings import telegram_settings
from bots.telegram.spec import NAME
from bots.telegram.staff_menu import StaffMenus
from bots.telegram.updates import CallbackQuery, ChatMemberUpdated, Update, from_aiogram
from bots.telegram.webhook import PATH, UpdateBusy, webhook_handler
from core import accounts, flood, turn
from core.backoff import BackoffConfig
from core.contract import Address, Incoming, Kind, Reply
from core.errors import ConfigError
from core.locks import KeyedLocks
from core.pacing import in_flight
from core.sending import Sender
from core.services import Services
from handlers.dispatcher import HANDLED_STAFF
from storage.dedupe import BUSY, DONE

log = logging.getLogger("tourdesk.telegram")

T = TypeVar("T")

Dispatch = Callable[[Incoming], Awaitable[list[Reply]]]

COMMANDS = ("start", "menu", "cancel")
POLL_TIMEOUT = 25  # seconds a getUpdates call may wait for news
REPLY_RETRY_MAX = 5.0  # a 429 on a direct reply: wait this long at most, then give up
STOP_GRACE = 30.0
SETUP_RETRY = BackoffConfig(min_delay=1.0, max_delay=300.0)
POLL_RETRY = BackoffConfig(min_delay=1.0, max_delay=60.0)


def _retry_wait(exc: Exception, policy: BackoffConfig, failures: int) -> float:
    """Telegram's own ``retry_after`` when it gave one, else the backoff policy's delay."""
    if isinstance(exc, TelegramRetryAfter):
        return float(exc.retry_after)
    return policy.delay(failures)


class TelegramChannel:
    name = NAME

    def __init__(self, services: Services, dispatcher: Dispatch) -> None:
        settings = telegram_settings(services.settings)
        if settings.token is None:
            raise ConfigError("TELEGRAM_TOKEN is not set")
        self.services = services
        self.dispatcher = dispatcher
        self.mode = settings.resolved_mode(services.settings.web.public_url)
        self.secret = settings.resolved_secret()
        # a connection per send in flight (aiohttp's default pool is 100, paid broadcast keeps
        # a few hundred in flight)
        paces = services.channels.pacing().values()
        in_flight_max = services.rules.delivery.concurrency or in_flight(paces)
        session = TelegramSession(
            api=TelegramAPIServer.from_base(settings.api_url), limit=max(100, in_flight_max)
        )
        try:
            self.bot = Bot(settings.token.get_secret_value(), session=session)
        except TokenValidationError:
            raise ConfigError("TELEGRAM_TOKEN does not look like a bot token") from None
        self.renderer = Renderer(self.bot)
        self.sender: Sender = TelegramSender(
            self.renderer,
            paid_broadcast=settings.paid_broadcast,
            part_timeout=services.rules.delivery.lease_seconds / 2,
        )
        self.ready = asyncio.Event()  # the webhook is registered / polling has begun
        self._locks = KeyedLocks()
        self.staff_menus = StaffMenus(self.bot, services)
        self._inflight: set[asyncio.Task[Any]] = set()
        self._tasks: list[asyncio.Task[None]] = []
        self._open = False

    # --- the ChannelAdapter protocol -------------------------------------------------------

    def setup_web(self, app: web.Application) -> None:
        if self.mode == "webhook":
            app.router.add_post(PATH, webhook_handler(self.secret, self.feed, self.is_open))

    async def start(self) -> None:
        if self.mode == "webhook" and not self.services.settings.web.public_url:
            raise ConfigError("TELEGRAM_MODE=webhook needs PUBLIC_URL")
        self._open = True
        runner = self._prepare() if self.mode == "webhook" else self._poll()
        self._tasks.append(asyncio.create_task(runner, name=f"telegram-{self.mode}"))
        log.info("telegram channel starting mode=%s", self.mode)

    async def stop(self) -> None:
        self._open = False
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        if self._inflight:
            await asyncio.wait(set(self._inflight), timeout=STOP_GRACE)
        await self.bot.session.close()

    def is_open(self) -> bool:
        return self._open

    # --- receiving -------------------------------------------------------------------------

    async def feed(self, update: Update) -> None:
        """Handle one update (from the webhook or from polling), in order per user."""
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            async with self._locks.hold(mapping.sender_of(update)):
                await self._once(update)
        finally:
            if task is not None:
                self._inflight.discard(task)

    async def _once(self, update: Update) -> None:
        """Each update_id handled once (here or in another process).

        The update is "in progress" under a short lease while it is handled and "done" only
        after its work committed; a crash leaves just the lease, so Telegram's retry gets
        through once it lapses. A twin arriving meanwhile raises :class:`UpdateBusy`. An update
        that reaches the dispatcher is booked under the sender's flood limit with its claim.
        """
        services = self.services
        key = str(update.update_id)
        handle, incoming = self._route(update)
        counted = None
        if incoming is not None:
            counted = flood.limit(services, incoming)
        address = Address(NAME, mapping.sender_of(update))
        claim = await turn.claim(services, NAME, key, address, counted)
        if claim == DONE:
            log.info("telegram duplicate update skipped update_id=%s", key)
            return
        if claim == BUSY:
            raise UpdateBusy(key)
        try:
            if handle is not None:
                await handle()
        except BaseException:
            # Not handled (database down, shutdown): Telegram's retry must not be skipped.
            await turn.forget(services, NAME, key)
            raise
        await turn.done(services, NAME, key)

    def _route(
        self, update: Update
    ) -> tuple[Callable[[], Awaitable[None]] | None, Incoming | None]:
        """How ``update`` is handled (None: nothing to do) and the event it dispatches, if any."""
        if update.message is not None:
            message = update.message
            incoming = mapping.from_message(message)
            if incoming is None:
                return None, None
            if incoming.kind is Kind.CONTACT and not mapping.is_own_contact(message):
                return partial(self._refuse_contact, incoming), None
            return partial(self._on_message, incoming), incoming
        if update.callback_query is not None:
            query = update.callback_query
            incoming = mapping.from_callback(query)
            return partial(self._on_callback, query, incoming), incoming
        if update.my_chat_member is not None:
            return partial(self._on_membership, update.my_chat_member), None
        return None, None

    async def _prepare(self) -> None:
        """Register the webhook (or drop it, for polling) and the command list; retry until done."""
        failures = 0
        while True:
            try:
                if self.mode == "webhook":
                    await self.bot.set_webhook(
                        url=f"{self.services.settings.web.public_url}{PATH}",
                        secret_token=self.secret,
                        allowed_updates=mapping.ALLOWED_UPDATES,
                    )
                else:
                    await self.bot.delete_webhook(drop_pending_updates=False)
                await self._set_commands()
            except (TelegramAPIError, ClientDecodeError) as exc:
                failures += 1
                wait = _retry_wait(exc, SETUP_RETRY, failures)
                log.error("telegram setup failed (retry in %.0fs): %s", wait, exc)
                await asyncio.sleep(wait)
                continue
            self.ready.set()
            log.info("telegram ready mode=%s", self.mode)
            return

    async def _set_commands(self) -> None:
        translator = self.services.translator
        agency = self.services.rules.agency
        for locale in (None, *agency.locales):
            t = translator(locale or agency.default_locale)
            commands = [
                BotCommand(command=c, description=t(f"telegram-command-{c}")) for c in COMMANDS
            ]
            await self.bot.set_my_commands(commands, language_code=locale)

    async def _poll(self) -> None:
        """Long polling: getUpdates with offsets; each update handled as its own task."""
        await self._prepare()
        offset: int | None = None
        failures = 0
        while True:
            try:
                updates = await self.bot(
                    GetUpdates(
                        offset=offset, timeout=POLL_TIMEOUT, allowed_updates=mapping.ALLOWED_UPDATES
                    ),
                    request_timeout=POLL_TIMEOUT + 15,
                )
            except (TelegramAPIError, ClientDecodeError) as exc:
                failures += 1
                wait = _retry_wait(exc, POLL_RETRY, failures)
                log.warning("telegram getUpdates failed (retry in %.0fs): %s", wait, exc)
                await asyncio.sleep(wait)
                continue
            failures = 0
            for update in updates:
                offset = update.update_id + 1
                task = asyncio.create_task(self._feed_logged(from_aiogram(update)))
                self._inflight.add(task)
                task.add_done_callback(self._inflight.discard)

    async def _feed_logged(self, update: Update) -> None:
        try:
            await self.feed(update)
        except UpdateBusy:
            log.info("telegram update %s is being handled elsewhere", update.update_id)
        except Exception:
            log.exception("telegram update %s failed", update.update_id)

    # --- handlers (called by aiogram's router) ---------------------------------------------

    async def _on_message(self, incoming: Incoming) -> None:
        await self._answer(incoming, await self.dispatcher(incoming))
        if incoming.user_id.isdigit():  # a person's private chat, not a group
            # e.g. an invite code just accepted; who they are now, as the dispatcher left it
            await self.staff_menus.sync(incoming.user_id, HANDLED_STAFF.get())

    async def _on_callback(self, query: CallbackQuery, incoming: Incoming | None) -> None:
        try:
            # always, first: the button's spinner stops at once
            await self.renderer.answer_callback(query.id)
        except (TelegramAPIError, ClientDecodeError) as exc:
            log.warning("telegram answerCallbackQuery failed: %s", exc)
        if incoming is None:
            return
        replies = await self.dispatcher(incoming)
        await self._answer(incoming, replies, edit_id=mapping.editable_message_id(query))

    async def _on_membership(self, event: ChatMemberUpdated) -> None:
        change = mapping.membership(event)
        if change is not None:
            await accounts.mark(change.address, blocked=change.blocked)
            log.info("telegram membership blocked=%s", change.blocked)

    async def _refuse_contact(self, incoming: Incoming) -> None:
        from handlers.dispatcher import build_context  # the user's language, as handlers see it

        ctx = await build_context(self.services, incoming)
        await self._answer(
            incoming, [Reply(ctx.t("telegram-contact-not-yours"))], keep_keyboard=True
        )

    # --- replying --------------------------------------------------------------------------

    async def _answer(
        self,
        incoming: Incoming,
        replies: list[Reply],
        *,
        edit_id: int | None = None,
        keep_keyboard: bool = False,
    ) -> None:
        """Show ``replies``: the first ``edit`` reply replaces the pressed message when it can;
        a contact keyboard left from a phone request goes away with the first plain message."""
        chat_id = int(incoming.user_id)
        remove = not keep_keyboard and not any(r.request_phone for r in replies)
        for reply in replies:
            try:
                if edit_id is not None and can_edit(reply):
                    edit = partial(self.renderer.edit, chat_id, edit_id, reply)
                    edit_id = None
                    if await self._retrying(edit):
                        continue
                strip = remove and not reply.buttons
                send = partial(self.renderer.send, chat_id, reply, remove_keyboard=strip)
                await self._retrying(send)
                remove = remove and not strip
            except TelegramForbiddenError:
                await accounts.mark(incoming.address, blocked=True)
                return
            except (TelegramAPIError, ClientDecodeError) as exc:
                log.warning("telegram reply failed: %s", exc)

    @staticmethod
    async def _retrying(make: Callable[[], Awaitable[T]]) -> T:
        """Make a Bot API call; after a short 429 wait as told and make it once more."""
        try:
            return await make()
        except TelegramRetryAfter as exc:
            if exc.retry_after > REPLY_RETRY_MAX:
                raise
            await asyncio.sleep(exc.retry_after)
            return await make()
