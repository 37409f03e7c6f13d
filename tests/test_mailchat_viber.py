"""An admin runs a mailing from Viber, end to end (the real Viber channel, the fake Viber REST
API): the same wizard as in Telegram, keyboards instead of inline buttons; Viber cannot edit,
so each step is a new message; the client gets the mailing and the admin the final report."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from core.clock import ManualClock
from core.jobs import JobRunner
from core.rules import Delivery, Rules
from core.services import Services
from storage.models import Mailing, MailingStatus, Role
from tests.fakes.viber_api import FakeViberApi
from tests.support.e2e import Desk, open_desk, register


@pytest.fixture
def rules() -> Rules:
    return Rules(delivery=Delivery(flood_messages=1000))


@pytest.fixture
async def desk(services: Services) -> AsyncIterator[Desk]:
    fake = FakeViberApi()
    await fake.start()
    desk = await open_desk(services, viber=fake)
    try:
        yield desk
    finally:
        await desk.close()
        await fake.close()


async def test_an_admin_sends_a_mailing_from_viber(desk: Desk) -> None:
    assert desk.viber is not None
    olena = desk.viber.person("olena-vb+1==", "Olena")
    await olena.open_chat()
    await olena.press("English")
    await register(olena, "380671234567")
    admin = desk.viber.person("marta-vb+1==", "Marta")
    await admin.open_chat()
    await admin.say(await desk.invite("Marta", Role.ADMIN))
    await admin.press("Mailings")
    await admin.press("New mailing")
    await admin.say("channel=telegram")  # not configured in this deployment: refused, named
    assert "“channel” takes a value like viber|console" in admin.text
    await admin.say("lang=ru")
    assert "Nobody matches this segment" in admin.text
    await admin.say("channel=viber")
    assert "Recipients: 1" in admin.text and "· viber: 1" in admin.text
    assert "For example: Olena" in admin.text
    await admin.press("Continue")
    await admin.say("Hi {first_name}! Autumn deals.")
    await admin.press("Continue")
    await admin.press("Skip")
    await admin.say("Deals - https://example.com/deals")
    await admin.press("Continue")
    await admin.press("Send now")
    mailing = await Mailing.get()
    assert f"Mailing #{mailing.id} is being sent." in admin.text

    clock = desk.services.clock
    assert isinstance(clock, ManualClock)
    got: list[dict[str, Any]] = []
    reports: list[dict[str, Any]] = []
    for _ in range(10):
        clock.advance(timedelta(seconds=5))
        await JobRunner(desk.services.jobs, "test").drain()
        await desk.deliver()
        got += olena.inbox()
        reports += admin.inbox()
    assert [m["text"] for m in got] == ["Hi Olena! Autumn deals."]
    assert (await Mailing.get(id=mailing.id)).status is MailingStatus.DONE
    finals = [str(m["text"]) for m in reports if "is finished. Final report" in str(m["text"])]
    assert len(finals) == 1 and "sent: 1" in finals[0]
