"""The SMS adapter: a sender for the outbox, the status poller, the inbound route (STOP)."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web

from bots.sms.gateway import SmsGateway
from bots.sms.inbound import setup_inbound
from bots.sms.sender import SmsSender
from bots.sms.settings import configured, sms_settings
from bots.sms.spec import table
from bots.sms.statuses import poll_forever
from bots.sms.turbosms import TurboSms
from core.sending import Sender
from core.services import Services


class SmsChannel:
    def __init__(self, services: Services, name: str, gateway: SmsGateway | None = None) -> None:
        self.name = name
        self.services = services
        self.gateway: SmsGateway = gateway or TurboSms(configured(services.settings))
        secret = sms_settings(services.settings).sms_inbound_secret
        self.inbound_secret = secret.get_secret_value() if secret is not None else None
        self._sender = SmsSender(
            services,
            name,
            self.gateway,
            stop_hint=self.inbound_secret is not None,
            hold_seconds=table(services.rules).hold_seconds,
        )
        self._poller: asyncio.Task[None] | None = None

    @property
    def sender(self) -> Sender:
        return self._sender

    def setup_web(self, app: web.Application) -> None:
        if self.inbound_secret:
            setup_inbound(app, self.services, self.name, self.inbound_secret)

    async def start(self) -> None:
        every = table(self.services.rules).status_seconds
        self._poller = asyncio.create_task(
            poll_forever(self.services, self.name, self.gateway, every), name="sms-statuses"
        )

    async def stop(self) -> None:
        if self._poller is not None:
            self._poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._poller
            self._poller = None
        await self.gateway.close()
