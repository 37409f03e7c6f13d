"""End to end against fake messengers: tourdesk's real :class:`~bots.app.Runtime` (web app on
127.0.0.1, port 0) with its Telegram and/or Viber channel pointed at the local fake platform
servers, and people who talk to it only the way a messenger would.

Every action is a platform update (a Telegram update posted to our webhook with its secret, a
signed Viber callback); everything observed is what the fake platform received from us. The
outbox is delivered by the runtime's own :class:`~core.delivery.DeliveryWorker`
(:meth:`Desk.deliver`), payment pages are fetched over HTTP from the running web app.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urljoin

import aiohttp
import pytest
from pydantic import SecretStr

from bots.app import Runtime, channel_directory
from bots.telegram.settings import telegram_settings
from bots.viber.settings import viber_settings
from core.rules import Delivery, Rules
from core.services import Services
from core.staff import invites
from storage.models import Role
from tests.fakes.telegram_api import FakeTelegram, Sent, TgUser
from tests.fakes.viber_api import (
    SIGNATURE_HEADER,
    FakeViberApi,
    ViberHarness,
    ViberUser,
    button_text,
    viber_signature,
)

Screen = tuple[str, list[str]]  # what one step showed: all texts, then every button label

READY_LIMIT = 10.0


@dataclass
class Desk:
    """The running product: web app + the channels asked for, wired to fake platforms."""

    services: Services
    runtime: Runtime
    http: aiohttp.ClientSession
    telegram: FakeTelegram | None = None
    viber_api: FakeViberApi | None = None
    viber: LiveViber | None = None

    @property
    def base_url(self) -> str:
        url = self.services.settings.web.public_url
        assert url is not None
        return url

    async def deliver(self) -> int:
        """Send everything due in the outbox through the channels' real senders."""
        return await self.runtime.delivery.drain()

    async def invite(self, name: str, role: Role = Role.MANAGER) -> str:
        """A one-time staff invite code, as ``tourdesk staff invite`` makes it."""
        made = await invites.create_invite(
            self.services.rules, self.services.clock.now(), role, name
        )
        return made.code

    async def close(self) -> None:
        await self.http.close()
        if self.viber is not None:
            await self.viber.close()
        await self.runtime.stop()


async def open_desk(
    services: Services,
    *,
    telegram: FakeTelegram | None = None,
    viber: FakeViberApi | None = None,
) -> Desk:
    """Start tourdesk as ``tourdesk run`` would (webhooks, payments sandbox) on a free port."""
    settings = services.settings
    settings.payments.sandbox = True
    if telegram is not None:
        telegram_settings(settings).token = SecretStr(telegram.token)
        telegram_settings(settings).api_url = telegram.url
        telegram_settings(settings).mode = "webhook"
    if viber is not None:
        viber_settings(settings).token = SecretStr(viber.token)
        viber_settings(settings).api_url = viber.api_url
    # the directory was built before the tokens were set: what it says is configured now
    services.channels = channel_directory(settings, services.rules)
    runtime = Runtime(services)
    await runtime.start_web("127.0.0.1", 0)
    settings.web.public_url = f"http://127.0.0.1:{runtime.bound_port}"
    await runtime.start_channels()
    desk = Desk(services, runtime, aiohttp.ClientSession(), telegram, viber)
    for channel in runtime.channels:
        if channel.name == "telegram":
            await asyncio.wait_for(channel.ready.wait(), READY_LIMIT)  # type: ignore[attr-defined]
        if channel.name == "viber":
            # Viber checked our webhook URL with a signed callback before accepting it.
            ready = channel.webhook_registered  # type: ignore[attr-defined]
            await asyncio.wait_for(ready.wait(), READY_LIMIT)
            assert viber is not None
            desk.viber = LiveViber(services, viber, runtime, channel, desk.base_url)
    return desk


# Fixtures a test module takes by naming them (``rules = e2e.scripted_rules``): pytest finds a
# fixture by the name it has in the test module.


@pytest.fixture
def scripted_rules() -> Rules:
    """A script taps much faster than a person: the flood guard kept out of the way."""
    return Rules(delivery=Delivery(flood_messages=1000))


@pytest.fixture
async def telegram_and_viber_desk(services: Services) -> AsyncIterator[Desk]:
    """The desk with both messengers, each on a fake platform of its own, closed after."""
    telegram = await FakeTelegram().start()
    viber = FakeViberApi()
    await viber.start()
    desk = await open_desk(services, telegram=telegram, viber=viber)
    try:
        yield desk
    finally:
        await desk.close()
        await telegram.close()
        await viber.close()


# --- Telegram ----------------------------------------------------------------------------------


class TgPerson:
    """A Telegram user: each action is one update posted to our webhook; ``shown`` is what
    appeared or changed in their chat because of it."""

    def __init__(self, fake: FakeTelegram, user_id: int, name: str, language: str = "en") -> None:
        self.fake = fake
        self.user = TgUser(fake, user_id, first_name=name, language=language)
        self.id = user_id
        self.shown: list[Sent] = []
        self._known: dict[int, tuple[str, int]] = {}

    def _news(self) -> list[Sent]:
        news = [
            m for m in self.fake.chat(self.id) if self._known.get(m.message_id) != (m.text, m.edits)
        ]
        self._known = {m.message_id: (m.text, m.edits) for m in self.fake.chat(self.id)}
        return news

    async def act(self, update: dict[str, Any]) -> list[Sent]:
        self._news()  # what came before is not an answer to this
        status = await self.fake.deliver(update)
        assert status == 200, status
        self.shown = self._news()
        return self.shown

    def inbox(self) -> list[Sent]:
        """Messages that arrived (or changed) since the last look: outbox deliveries."""
        self.shown = self._news()
        return self.shown

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.shown)

    @property
    def labels(self) -> list[str]:
        return [label for m in self.shown for label in m.labels]

    def screen(self) -> Screen:
        return "\n\n".join(m.text for m in self.shown), self.labels

    async def start(self, param: str | None = None) -> list[Sent]:
        return await self.act(self.user.start(param))

    async def say(self, text: str, *, reply_to: int | None = None) -> list[Sent]:
        return await self.act(self.user.text(text, reply_to=reply_to))

    async def share_phone(self, phone: str) -> list[Sent]:
        """Press the contact keyboard's button: Telegram sends the user's own contact."""
        keyboards = [
            m.markup["keyboard"] for m in self.shown if m.markup and "keyboard" in m.markup
        ]
        assert keyboards, f"no contact keyboard on screen: {self.screen()}"
        assert keyboards[-1][0][0].get("request_contact") is True
        return await self.act(self.user.contact(phone))

    def find(self, label: str, *, exact: bool = False) -> tuple[dict[str, Any], Sent]:
        """The button labelled ``label`` (or containing it) on the newest message having one."""
        for sent in reversed(self.fake.chat(self.id)):
            found = [
                b for b in sent.buttons if (b["text"] == label if exact else label in b["text"])
            ]
            if found:
                assert len(found) == 1, f"several buttons {label!r}: {sent.labels}"
                return found[0], sent
        raise AssertionError(f"no button {label!r} in chat {self.id}")

    async def press(self, label: str, *, exact: bool = False) -> list[Sent]:
        button, sent = self.find(label, exact=exact)
        assert "callback_data" in button, button
        return await self.act(self.user.press(button["callback_data"], sent))

    async def press_exact(self, label: str) -> list[Sent]:
        return await self.press(label, exact=True)

    async def press_data(self, data: str, message: Sent) -> list[Sent]:
        """Press a button with arbitrary callback data (a forged or old button)."""
        return await self.act(self.user.press(data, message))

    def link(self, label: str) -> str:
        button, _ = self.find(label)
        assert "url" in button, button
        return str(button["url"])


# --- Viber -------------------------------------------------------------------------------------


class LiveViber(ViberHarness):
    """:class:`ViberHarness` over real HTTP to the running runtime (not a test server)."""

    def __init__(
        self,
        services: Services,
        fake: FakeViberApi,
        runtime: Runtime,
        channel: Any,
        base_url: str,
    ) -> None:
        super().__init__(services, fake)
        self.runtime = runtime
        self.channel = channel
        self._base = base_url
        self._session = aiohttp.ClientSession()

    @property
    def base_url(self) -> str:
        return self._base

    async def post_raw(
        self, raw: bytes, *, signature: str | None = None, sign: bool = True
    ) -> tuple[int, bytes]:
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers[SIGNATURE_HEADER] = signature
        elif sign:
            headers[SIGNATURE_HEADER] = viber_signature(self.fake.token, raw)
        async with self._session.post(
            f"{self._base}/webhooks/viber", data=raw, headers=headers
        ) as resp:
            return resp.status, await resp.read()

    async def close(self) -> None:
        await self._session.close()

    def person(self, user_id: str, name: str, language: str = "en") -> VbPerson:
        return VbPerson(self, user_id, name, language)


class VbPerson(ViberUser):
    """A Viber user: what they see is the fake's ``send_message`` calls to them. The keyboard on
    screen is the last one sent ("The client will always display the last keyboard that was
    sent to it", Viber's keyboard docs): a message without one leaves it in place."""

    def __init__(self, harness: ViberHarness, user_id: str, name: str, language: str) -> None:
        super().__init__(harness, user_id, name, language)
        self._mark = 0

    def _see(self, messages: list[dict[str, Any]]) -> None:
        for message in messages:
            if message.get("keyboard"):
                self.keyboard = message["keyboard"]

    async def _act(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        self.inbox()  # what came before is not an answer to this
        before = self.keyboard
        received = await super()._act(event)
        assert self.status == 200, self.status
        self._mark = len(self.h.fake.sent_to(self.id))
        self.keyboard = before
        self._see(received)
        return received

    def inbox(self) -> list[dict[str, Any]]:
        """Messages pushed to this user since the last look (outbox deliveries)."""
        sent = self.h.fake.sent_to(self.id)
        self.last, self._mark = sent[self._mark :], len(sent)
        self._see(self.last)
        return self.last

    def screen(self) -> Screen:
        labels = [
            button_text(b) for m in self.last for b in (m.get("keyboard") or {}).get("Buttons", [])
        ]
        return "\n\n".join(str(m.get("text", "")) for m in self.last), labels

    async def press_exact(self, label: str) -> Any:
        found = [
            b for b in self.buttons() if b.get("ActionType") == "reply" and button_text(b) == label
        ]
        assert len(found) == 1, f"no single button {label!r}: {self.labels()}"
        return await self.send({"type": "text", "text": found[0]["ActionBody"]})

    async def press_payload(self, payload: str) -> Any:
        """What a forged reply button would send: its ActionBody as the message text."""
        return await self.send({"type": "text", "text": payload})

    def link(self, label: str) -> str:
        found = [
            b
            for b in self.buttons()
            if b.get("ActionType") == "open-url" and label in button_text(b)
        ]
        assert len(found) == 1, f"no single link {label!r}: {self.labels()}"
        return str(found[0]["ActionBody"])


# --- scripts both channels share ------------------------------------------------------------


class Person(Protocol):
    """What the scripts need of a messenger user (:class:`TgPerson`, :class:`VbPerson`)."""

    @property
    def text(self) -> str: ...

    def screen(self) -> Screen: ...

    async def say(self, text: str, /) -> Any: ...

    async def press(self, label: str, /) -> Any: ...

    async def press_exact(self, label: str, /) -> Any: ...

    async def share_phone(self, phone: str, /) -> Any: ...


async def register(person: Person, phone: str) -> None:
    """After the language: share the phone with the messenger's own control, accept offers."""
    await person.press("Share my phone")
    assert "share your phone number" in person.text
    await person.share_phone(phone)
    assert "You are registered with us now" in person.text
    assert "special offers" in person.text
    await person.press("Yes, please")
    assert "You will receive our offers" in person.text
    assert "Main menu" in person.text


async def request_tour(person: Person) -> None:
    """The tour request wizard from the main menu to its summary, every step answered: some by
    button, some typed, as a tourist would."""
    await person.press("Find a tour")
    assert "Step 1 of 6" in person.text and "Where would you like to go?" in person.text
    await person.say("Crete")
    assert "Step 2 of 6" in person.text
    await person.press("March 2027")
    assert "Step 3 of 6" in person.text
    await person.press("6–8")
    assert "How many adults" in person.text
    await person.press_exact("2")
    assert "How many children" in person.text
    await person.press_exact("1")
    assert "How old is child 1 of 1?" in person.text
    await person.press_exact("5")
    assert "Step 5 of 6" in person.text and "amount in UAH" in person.text
    await person.press_exact("EUR")
    assert "amount in EUR" in person.text and "✅ EUR" in person.screen()[1]
    await person.say("1500")
    assert "Step 6 of 6" in person.text and "Any wishes?" in person.text
    await person.say("Sea view, quiet hotel")
    summary = person.text
    assert "Please check your request" in summary
    for line in (
        "Destination: Crete",
        "When: March 2027",
        "Length: 6–8 nights",
        "Travellers: 2 adults, 1 child (age 5)",
        "Budget: €1,500.00",
        "Wishes: Sea view, quiet hotel",
    ):
        assert line in summary, line


# --- the payer's browser -----------------------------------------------------------------------

_FORM = re.compile(r'<form[^>]*\bmethod="post"[^>]*\baction="([^"]+)"', re.I)
_CHOICE = re.compile(r'<button[^>]*\bname="([^"]+)"[^>]*\bvalue="([^"]+)"[^>]*>([^<]*)<', re.I)


@dataclass
class Checkout:
    url: str
    action: str
    buttons: dict[str, tuple[str, str]] = field(default_factory=dict)  # label -> (name, value)
    page: str = ""


async def open_checkout(http: aiohttp.ClientSession, link: str) -> Checkout:
    """Follow a payment link as a browser does, up to the provider's checkout page."""
    async with http.get(link, allow_redirects=False) as resp:
        assert resp.status == 303, (resp.status, await resp.text())
        target = urljoin(link, resp.headers["Location"])
    async with http.get(target) as resp:
        assert resp.status == 200, resp.status
        page = await resp.text()
    form = _FORM.search(page)
    assert form is not None, page
    buttons = {
        html.unescape(label).strip(): (name, value) for name, value, label in _CHOICE.findall(page)
    }
    return Checkout(target, urljoin(target, html.unescape(form[1])), buttons, page)


async def submit_checkout(
    http: aiohttp.ClientSession, checkout: Checkout, label: str
) -> tuple[int, str, str]:
    """Press the checkout form's button whose label contains ``label``; returns the final
    status, URL and page (redirects followed, as a browser does)."""
    [(name, value)] = [v for k, v in checkout.buttons.items() if label in k]
    async with http.post(checkout.action, data={name: value}) as resp:
        return resp.status, str(resp.url), await resp.text()


def visible_text(page: str) -> str:
    """A page's words as a browser shows them (no head, no tags), spaces collapsed."""
    body = re.sub(r"<head>.*?</head>", " ", page, flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
