"""One message kept up to date through the outbox (``enqueue(..., replaces=key)``), against the
fake Bot API with the real aiogram sender: the first update is a new message, later ones edit
it (editMessageText), unsent updates coalesce into the newest, a restarted process goes on
editing the same message (its id is in the database), a message the user deleted is replaced
by a new one, and a channel that cannot edit gets new messages."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bots.console import ConsoleSender
from bots.telegram.render import Renderer
from bots.telegram.sender import TelegramSender
from core.contract import Address, Button, Reply, rows
from core.delivery import DeliveryWorker
from core.pacing import ChannelPace, steady
from core.sending import Outcome, SendResult
from core.services import Services
from storage.models import MessengerAccount, OutboxMessage, OutboxStatus
from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests.support.channels import Channel

CHAT = 901
KEY = "mailprogress:7:a1"


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    server = await FakeTelegram().start()
    yield server
    await server.close()


class Process:
    """One delivery process: its own bot session, sender and worker (nothing shared in memory)."""

    def __init__(self, services: Services, fake: FakeTelegram, name: str) -> None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(fake.url))
        self.bot = Bot(TOKEN, session=session)
        fast = ChannelPace("telegram", per_chat=steady(1000), global_rate=steady(1000))
        self.worker = DeliveryWorker(
            services.clock,
            {Channel.TELEGRAM: TelegramSender(Renderer(self.bot))},
            name,
            pacing={Channel.TELEGRAM: fast},
        )

    async def close(self) -> None:
        await self.bot.session.close()


@pytest.fixture
async def account() -> MessengerAccount:
    return await MessengerAccount.create(channel="telegram", external_id=str(CHAT), name="Marta")


async def update(services: Services, account: MessengerAccount, text: str) -> None:
    reply = Reply(text, rows([Button("⏸ Pause", "1|mail|7|pause")]))
    await services.outbox.enqueue(account, reply, kind="mailing.progress", replaces=KEY)


async def test_progress_is_one_message_edited_in_place_and_survives_a_restart(
    services: Services, fake: FakeTelegram, account: MessengerAccount
) -> None:
    first = Process(services, fake, "p1")
    # three updates before anything left: only the newest is sent
    for percent in (10, 20, 30):
        await update(services, account, f"Progress: {percent}%")
    await first.worker.drain()
    [message] = fake.chat(CHAT)
    assert message.text == "Progress: 30%" and message.labels == ["⏸ Pause"]
    assert len(fake.requests("sendMessage")) == 1
    cancelled = await OutboxMessage.filter(replace_key=KEY, status=OutboxStatus.CANCELLED)
    assert len(cancelled) == 2

    await update(services, account, "Progress: 40%")
    await first.worker.drain()
    [edit] = fake.requests("editMessageText")
    assert int(edit["message_id"]) == message.message_id
    assert fake.chat(CHAT) == [message] and message.text == "Progress: 40%"
    await first.close()

    # a new process (a restart): the message id comes from the database
    second = Process(services, fake, "p2")
    await update(services, account, "Progress: 50%")
    await second.worker.drain()
    edits = fake.requests("editMessageText")
    assert len(edits) == 2 and int(edits[-1]["message_id"]) == message.message_id
    assert [m.text for m in fake.chat(CHAT)] == ["Progress: 50%"]
    assert message.edits == 2
    assert len(fake.requests("sendMessage")) == 1

    # the same text again: Telegram says "not modified", which is done, not an error
    await (
        OutboxMessage.filter(replace_key=KEY)
        .order_by("-id")
        .first()
        .update(status=OutboxStatus.SENT)
    )
    reply = Reply("Progress: 50%", rows([Button("⏸ Pause", "1|mail|7|pause")]))
    row = await services.outbox.enqueue(account, reply, kind="mailing.progress", replaces=KEY)
    assert row is not None
    await second.worker.drain()
    assert (await OutboxMessage.get(id=row.id)).status is OutboxStatus.SENT

    # the user deleted it: the next update is a new message, and later ones edit that one
    fake.messages.pop((CHAT, message.message_id))
    await update(services, account, "Progress: 60%")
    await second.worker.drain()
    [replacement] = fake.chat(CHAT)
    assert replacement.message_id != message.message_id and replacement.text == "Progress: 60%"
    await update(services, account, "Progress: 70%")
    await second.worker.drain()
    assert [m.text for m in fake.chat(CHAT)] == ["Progress: 70%"]
    assert int(fake.requests("editMessageText")[-1]["message_id"]) == replacement.message_id
    await second.close()


async def test_an_older_update_claimed_late_is_dropped_unsent(
    services: Services, fake: FakeTelegram, account: MessengerAccount
) -> None:
    """A row that finds a newer one of its key (written while it waited) never leaves."""
    process = Process(services, fake, "p1")
    await update(services, account, "Progress: 10%")
    older = await OutboxMessage.get(replace_key=KEY)
    await OutboxMessage.filter(id=older.id).update(status=OutboxStatus.SENDING)  # being claimed
    await update(services, account, "Progress: 20%")  # does not cancel a claimed row
    await OutboxMessage.filter(id=older.id).update(status=OutboxStatus.PENDING)
    await process.worker.drain()
    assert [m.text for m in fake.chat(CHAT)] == ["Progress: 20%"]
    older = await OutboxMessage.get(id=older.id)
    assert older.status is OutboxStatus.CANCELLED and older.error == "superseded by a newer update"
    await process.close()


class NoEdits:
    """A channel whose sender cannot edit (Viber): every update is a new message."""

    channel = "viber"

    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send(self, address: Address, reply: Reply) -> SendResult:
        self.sent.append(reply.text)
        return SendResult(Outcome.SENT, message_id=f"v{len(self.sent)}")


async def test_a_channel_that_cannot_edit_gets_new_messages(services: Services) -> None:
    viber = await MessengerAccount.create(channel="viber", external_id="vb1==", name="Marta")
    sender = NoEdits()
    worker = DeliveryWorker(services.clock, {"viber": sender}, "p1")
    for percent in (25, 50):
        await update(services, viber, f"Progress: {percent}%")
        await worker.drain()
    assert sender.sent == ["Progress: 25%", "Progress: 50%"]


async def test_the_console_prints_the_update_as_one(
    services: Services, account: MessengerAccount
) -> None:
    console = await MessengerAccount.create(channel="console", external_id="marta")
    out = io.StringIO()
    sender = ConsoleSender(out, services.translator("en"))
    worker = DeliveryWorker(services.clock, {"console": sender}, "p1")
    for percent in (25, 50):
        await update(services, console, f"Progress: {percent}%")
        await worker.drain()
    printed = out.getvalue()
    assert "[message for marta]\nProgress: 25%" in printed
    assert "[update of console-1 for marta]\nProgress: 50%" in printed
