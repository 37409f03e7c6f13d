"""The e-mail adapter: a sender for the outbox and the unsubscribe route; nothing to receive."""

from __future__ import annotations

from aiohttp import web

from bots.mail.sender import MailSender
from bots.mail.settings import configured
from bots.mail.unsubscribe import setup_unsubscribe
from core.sending import Sender
from core.services import Services


class MailChannel:
    def __init__(self, services: Services, name: str) -> None:
        self.name = name
        self.services = services
        target, sender = configured(services.settings)
        self._sender = MailSender(services, name, target, sender)

    @property
    def sender(self) -> Sender:
        return self._sender

    def setup_web(self, app: web.Application) -> None:
        setup_unsubscribe(app, self.services)

    async def start(self) -> None:
        """E-mail only goes out: nothing to start."""

    async def stop(self) -> None:
        """Each e-mail opens its own SMTP connection: nothing to close."""
