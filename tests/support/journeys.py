"""Helpers of the client-journey tests: register, talk as staff, read the outbox."""

from __future__ import annotations

import functools
import io
from typing import Any

from bots.console import ConsoleSender
from core.contract import Button, Incoming, Kind, Reply
from core.delivery import DeliveryWorker, reply_from_json
from core.i18n import T, Translator
from core.services import Services
from handlers.router import Router
from storage.models import Client, MessengerAccount, OutboxMessage, Role, Staff
from tests.support.channels import Channel
from tests.support.chat import RecordingChat
from tests.support.factories import make_staff

PHONE = "+380671234567"


async def register(
    chat: RecordingChat, phone: str = PHONE, *, language: str = "English", consent: bool = True
) -> Client:
    """/start, pick a language, share the phone, answer the consent question."""
    await chat.start()
    await chat.press(language)
    await chat.press("📱")
    await chat.share_phone(phone)
    if any(lbl.startswith("✅") for lbl in chat.labels()):  # asked only once per client
        await chat.press("✅" if consent else "🚫")
    return await Client.get(phone=phone)


async def staff_chat(
    services: Services,
    router: Router,
    name: str,
    *,
    role: Role = Role.MANAGER,
    user_id: str | None = None,
    channel: Channel = Channel.CONSOLE,
    locale: str = "en",
    active: bool = True,
) -> tuple[Staff, MessengerAccount, RecordingChat]:
    """A staff member with one messenger account, and a chat to talk as them."""
    external = user_id or f"staff-{name.lower()}"
    staff, account = await make_staff(
        role, external, name=name, channel=channel, locale=locale, active=active
    )
    chat = RecordingChat(services, router, user_id=external, channel=channel, name=name)
    return staff, account, chat


async def rows_for(account: MessengerAccount, **filters: Any) -> list[OutboxMessage]:
    return await OutboxMessage.filter(account_id=account.id, **filters).order_by("id")


def button_payload(row: OutboxMessage, label_part: str) -> str:
    reply = reply_from_json(row.body)
    found = [b for b in reply.all_buttons() if isinstance(b, Button) and label_part in b.label]
    assert len(found) == 1, f"no single {label_part!r} button in {reply.all_buttons()!r}"
    return found[0].payload


async def say_as(chat: RecordingChat, text: str, **values: Any) -> list[Reply]:
    """Send text with extra Incoming fields (reply_to, media, ...)."""
    incoming: Incoming = chat._incoming(Kind.TEXT, text=text, **values)
    return await chat.send(incoming)


async def send_kind(chat: RecordingChat, kind: Kind, **values: Any) -> list[Reply]:
    return await chat.send(chat._incoming(kind, **values))


@functools.cache
def english() -> T:
    """The shipped English catalogue (the console's own words in a courier's printout)."""
    return Translator(("en",), "en")("en")


class Courier:
    """Delivers due outbox rows with the console channel's real sender (ids console-1, -2, …)."""

    def __init__(self) -> None:
        self.out = io.StringIO()
        self.sender = ConsoleSender(self.out, english())

    async def deliver(self, services: Services) -> int:
        worker = DeliveryWorker(services.clock, {Channel.CONSOLE: self.sender}, "test-worker")
        return await worker.drain()

    @property
    def printed(self) -> str:
        return self.out.getvalue()


async def press_exact(chat: RecordingChat, label: str) -> list[Reply]:
    """Press the button labelled exactly ``label`` (number grids: "1" is not "11")."""
    found = [b for b in chat.buttons() if isinstance(b, Button) and b.label == label]
    assert len(found) == 1, f"no single {label!r} button in {chat.labels()!r}"
    return await chat.press_payload(found[0].payload)
