"""The e-mail channel against a local SMTP server, as the mail and reach tests set it up: the
server, settings that send through it, rules that fall back to e-mail, the web server with the
unsubscribe route, and a delivery worker that falls back the way production does.

A test module takes the fixtures by naming them at its top (`smtp = local_smtp.smtp`, ...): pytest
finds a fixture by the name it has in the test module, and `settings` and `rules` then override
the conftest's for that module only."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from functools import partial

import pytest
from pydantic import SecretStr

from bots.app import Runtime
from bots.mail.channel import MailChannel
from bots.mail.settings import mail_settings
from core import fallback
from core.contract import ChannelName
from core.delivery import DeliveryWorker
from core.rules import Delivery, Rules
from core.sending import Sender
from core.services import Services
from core.settings import Settings
from tests.fakes.smtp import FakeSmtp

SENDER = "Agency <desk@agency.test>"


@pytest.fixture
def smtp() -> Iterator[FakeSmtp]:
    server = FakeSmtp().start()
    yield server
    server.stop()


@pytest.fixture
def settings(settings: Settings, smtp: FakeSmtp) -> Settings:
    mail_settings(settings).smtp_url = SecretStr(smtp.url)
    mail_settings(settings).mail_from = SENDER
    return settings


@pytest.fixture
def rules() -> Rules:
    return Rules(delivery=Delivery(fallback=("mail",), flood_messages=1000))


@pytest.fixture
async def web(services: Services) -> AsyncIterator[str]:
    runtime = Runtime(services)  # the real composition: the mail channel adds its route
    await runtime.start_web("127.0.0.1", 0)
    services.settings.web.public_url = f"http://127.0.0.1:{runtime.bound_port}"
    try:
        yield services.settings.web.public_url
    finally:
        await runtime.stop()


def worker(services: Services, senders: dict[ChannelName, Sender]) -> DeliveryWorker:
    return DeliveryWorker(
        services.clock,
        senders,
        "test",
        pacing=services.channels.pacing(),
        limiter=services.limiter,
        on_blocked=partial(fallback.fall_back, services),
    )


def mail_worker(services: Services) -> DeliveryWorker:
    return worker(services, {"mail": MailChannel(services, "mail").sender})
