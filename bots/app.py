"""The composition root: settings -> database, Redis, services -> channels, web app, workers.

Nothing else reads the environment or opens connections.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from aiohttp import web

from bots.api import setup_api
from bots.channel import ChannelAdapter, ChannelSpec
from bots.console import CONSOLE
from bots.mail.spec import MAIL
from bots.payments_web import setup_payments_web
from bots.reports_web import setup_reports_web
from bots.sms.spec import SMS
from bots.telegram.spec import TELEGRAM
from bots.viber.spec import VIBER
from bots.web import build_web_app
from core.batching import Batching, BatchSender
from core.channels import ChannelDirectory, ChannelName
from core.clock import Clock
from core.contract import Incoming, Reply
from core.delivery import DeliveryWorker, Outbox
from core.errors import ConfigError
from core.fallback import check_order, fall_back
from core.fiscal.receipts import plan_close as plan_fiscal_close
from core.fiscal.receipts import register as register_fiscal
from core.i18n import Translator
from core.import_jobs import register as register_import_jobs
from core.jobs import JobRunner, Jobs
from core.loyalty.jobs import register as register_loyalty_jobs
from core.mailings.service import register as register_mailing_jobs
from core.mailings.watch import register as register_mailing_watch
from core.offers.service import register as register_offer_jobs
from core.payments.jobs import register as register_payment_jobs
from core.ratelimit import build_limiter
from core.reminders import register_reminders, start_planner
from core.rules import Rules
from core.sending import Sender
from core.services import Services
from core.settings import Settings
from core.settle import Progress, settle
from core.staff.followups import register as register_staff_jobs
from core.webhooks.delivery import register as register_webhooks
from handlers import build_router
from handlers.dispatcher import dispatch
from handlers.router import Router
from storage.db import redact_url
from storage.dedupe import DbUpdateLog, RedisUpdateLog
from storage.state import DbStateStore, RedisStateStore
from storage.turns import RedisTurns

log = logging.getLogger("tourdesk")

Dispatch = Callable[[Incoming], Awaitable[list[Reply]]]

# Every messenger this build knows, in one place. A new one is a package in bots/ with a spec,
# and one entry here.
CHANNELS: tuple[ChannelSpec, ...] = (TELEGRAM, VIBER, MAIL, SMS, CONSOLE)


async def connect_redis(url: str) -> Any:
    """Redis at ``url``, checked with a PING: a Redis that is down at start-up stops the
    process with one line naming REDIS_URL. Falling back to in-process state and rate limits
    would let several processes each believe they own a chat or a rate budget, so a
    deployment that asked for Redis never runs without it (README "Start-up checks"); once
    running, an outage shows on ``/readyz`` and the connection is retried."""
    from redis.asyncio import Redis

    redis = Redis.from_url(
        url, decode_responses=False, health_check_interval=30, socket_connect_timeout=10
    )
    try:
        await asyncio.wait_for(redis.ping(), 15)  # type: ignore[arg-type]
    except Exception as exc:
        await redis.aclose()
        cause = " ".join(str(exc).split()) or type(exc).__name__
        raise ConfigError(f"REDIS_URL ({redact_url(url)}): cannot connect: {cause}") from None
    return redis


async def build_services(
    settings: Settings,
    rules: Rules,
    *,
    clock: Clock | None = None,
    channels: Sequence[ChannelSpec] = CHANNELS,
) -> Services:
    clock = clock or Clock()
    directory = channel_directory(settings, rules, channels)  # a bad table: before connecting
    redis = await connect_redis(settings.redis.redis_url) if settings.redis.redis_url else None
    prefix = settings.redis.redis_prefix
    agency = rules.agency
    states = RedisStateStore(redis, prefix) if redis is not None else None
    updates = RedisUpdateLog(redis, prefix) if redis is not None else None
    services = Services(
        settings=settings,
        rules=rules,
        translator=Translator(agency.locales, agency.default_locale),
        clock=clock,
        states=states or DbStateStore(),
        updates=updates or DbUpdateLog(),
        turns=RedisTurns(redis) if redis is not None else None,
        outbox=Outbox(clock),
        jobs=Jobs(clock),
        limiter=build_limiter(redis, prefix),
        channels=directory,
        redis=redis,
    )
    register_payment_jobs(services)
    register_reminders(services)
    register_staff_jobs(services)
    register_mailing_jobs(services)
    register_mailing_watch(services)
    register_webhooks(services)
    register_fiscal(services)
    register_offer_jobs(services)
    register_loyalty_jobs(services)
    register_import_jobs(services)
    return services


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def channel_directory(
    settings: Settings, rules: Rules, specs: Sequence[ChannelSpec] = CHANNELS
) -> ChannelDirectory:
    """What core/ may know about the channels of ``specs`` (``Services.channels``); a
    ``[channels.<name>]`` table no spec owns is a typo, refused like any unknown key."""
    unknown = sorted(set(rules.channels) - {spec.name for spec in specs})
    if unknown:
        raise ConfigError(f"[channels.{unknown[0]}]: no such channel")
    directory = ChannelDirectory(spec.info(settings, rules) for spec in specs)
    check_order(rules, directory)
    return directory


def check_channels(
    settings: Settings, rules: Rules, specs: Sequence[ChannelSpec] = CHANNELS
) -> None:
    """Read every channel's environment section and ``[channels.<name>]`` table now, so a bad
    value stops start-up with one line (:class:`ConfigError`) whatever the command."""
    channel_directory(settings, rules, specs)
    for spec in specs:
        if spec.enabled(settings) and spec.check is not None:
            spec.check(settings)


def messenger_channels(
    services: Services, dispatcher: Dispatch, specs: Sequence[ChannelSpec] = CHANNELS
) -> list[ChannelAdapter]:
    """The adapters of the channels configured in this deployment (tokens set)."""
    return [
        spec.build(services, dispatcher)
        for spec in specs
        if spec.build is not None and spec.enabled(services.settings)
    ]


def batch_senders(
    specs: Sequence[ChannelSpec], adapters: list[ChannelAdapter]
) -> dict[ChannelName, BatchSender]:
    """Channels that send one message to many receivers per request (Viber broadcast), as
    their specs declare."""
    found: dict[ChannelName, BatchSender] = {}
    for spec in specs:
        for adapter in adapters:
            if spec.batch_sender is not None and adapter.name == spec.name:
                sender = spec.batch_sender(adapter)
                if sender is not None:
                    found[spec.name] = sender
    return found


def settle_heap() -> None:
    """Leave what start-up built (parsed catalogues, pydantic schemas, routes: some 400,000
    objects) out of the garbage collector's sweeps from now on.

    A full collection walks every tracked object, and start-up leaves hundreds of thousands
    that live as long as the process: each full collection then took ~0.7 s and the younger
    ones paid for them too, measured as a fifth of a busy webhook process's time
    (bench/telegram_webhook.py). Garbage from start-up is collected first, the rest is frozen
    (:func:`gc.freeze`: still alive, just not scanned). Called again it freezes what was
    built since (a test's second runtime), which is harmless."""
    gc.collect()
    gc.freeze()


class Runtime:
    """Web app + channels + delivery worker + job runner, started and stopped together."""

    def __init__(
        self,
        services: Services,
        *,
        router: Router | None = None,
        extra_channels: list[ChannelAdapter] | None = None,
        with_messengers: bool = True,
        tick_seconds: float = 1.0,
        channels: Sequence[ChannelSpec] = CHANNELS,
    ) -> None:
        self.services = services
        self.router = router or build_router()
        self.web_app = build_web_app(services)
        setup_payments_web(self.web_app, services)
        setup_api(self.web_app, services)
        setup_reports_web(self.web_app, services)
        self.channels: list[ChannelAdapter] = list(extra_channels or [])
        if with_messengers:
            self.channels += messenger_channels(services, self.dispatch, channels)
        for channel in self.channels:
            channel.setup_web(self.web_app)
        self.senders: dict[ChannelName, Sender] = {
            c.sender.channel: c.sender for c in self.channels
        }
        self.worker = worker_id()
        self.progress = Progress()  # ticked by both workers (core/settle.py)
        delivery = services.rules.delivery
        self.delivery = DeliveryWorker(
            services.clock,
            self.senders,
            self.worker,
            max_attempts=delivery.max_attempts,
            lease=timedelta(seconds=delivery.lease_seconds),
            concurrency=delivery.concurrency,
            pacing=services.channels.pacing(),
            limiter=services.limiter,
            poll_seconds=tick_seconds,
            wakeup=services.outbox.wakeup,
            batching=Batching(batch_senders(channels, self.channels)),
            on_blocked=partial(fall_back, services),
            progress=self.progress,
        )
        self.job_runner = JobRunner(
            services.jobs,
            self.worker,
            lease=timedelta(seconds=delivery.lease_seconds),
            batch=100,  # small fenced batches; the lease is extended while a batch runs
            # SKIP LOCKED lets several loops claim side by side; SQLite has one writer
            lanes=1 if services.settings.database.database_url.startswith("sqlite") else 3,
            progress=self.progress,
        )
        self.tick_seconds = tick_seconds
        self._web_runner: web.AppRunner | None = None
        self._workers_started = False
        self.bound_port: int | None = None

    async def dispatch(self, incoming: Incoming) -> list[Reply]:
        return await dispatch(self.services, self.router, incoming)

    async def settle(self, channels: Sequence[str]) -> None:
        """Until the workers have nothing due for ``channels`` (bound it with a timeout)."""
        await settle(self.progress, self.services.clock, channels)

    async def start_web(self, host: str, port: int) -> None:
        settle_heap()
        self._web_runner = web.AppRunner(self.web_app, access_log=None, shutdown_timeout=10)
        await self._web_runner.setup()
        site = web.TCPSite(self._web_runner, host, port)
        await site.start()
        sockets = getattr(site._server, "sockets", None) or []
        self.bound_port = sockets[0].getsockname()[1] if sockets else port
        log.info("started component=web host=%s port=%s", host, self.bound_port)

    async def start_workers(self) -> None:
        """One long-running loop each for delivery and jobs (stopped in :meth:`stop`)."""
        self.delivery.start()
        self.job_runner.start(poll_seconds=self.tick_seconds)
        self._workers_started = True
        await start_planner(self.services, self.worker)
        await plan_fiscal_close(self.services, self.services.clock.now())
        log.info("started component=scheduler worker=%s tick=%ss", self.worker, self.tick_seconds)

    async def start_channels(self) -> None:
        for channel in self.channels:
            await channel.start()
            log.info("started component=channel name=%s", channel.name)

    async def stop(self) -> None:
        """Graceful: stop input first, let in-flight work finish, then close."""
        for channel in reversed(self.channels):
            try:
                await channel.stop()
            except Exception:
                log.exception("stopping channel %s failed", channel.name)
        if self._workers_started:
            # in-flight sends and jobs finish; what is still claimed goes back to the queue
            await self.delivery.stop(grace=30)
            await self.job_runner.stop(grace=30)
        if self._web_runner is not None:
            await self._web_runner.cleanup()
        if self.services.redis is not None:
            await self.services.redis.aclose()
        log.info("stopped worker=%s", self.worker)
