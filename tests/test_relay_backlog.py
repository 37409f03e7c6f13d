"""Client messages written before anyone was on the team reach the first staff member who can
answer them when they redeem their invite: in order, once, saying who wrote and when (issue 16)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core import relay_backlog
from core.clock import ManualClock
from core.contract import Kind
from core.delivery import reply_from_json
from core.services import Services
from core.staff import invites
from handlers.router import Router
from storage.models import HeldMessage, MessengerAccount, OutboxMessage, Role, Staff
from tests.support.channels import Channel
from tests.support.chat import RecordingChat, chat_for
from tests.support.journeys import Courier, register, rows_for, send_kind

NOON = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # 12:00 in Kyiv


async def client_writes(chat: RecordingChat, *texts: str) -> None:
    await chat.press("Contact manager")
    for text in texts:
        await chat.say(text)
        assert "Your message is saved" in chat.text


async def join(
    services: Services, router: Router, user_id: str, name: str, role: Role
) -> RecordingChat:
    made = await invites.create_invite(services.rules, services.clock.now(), role, name)
    chat = chat_for(services, router, user_id)
    await chat.say(made.code)
    assert "Welcome to the team" in chat.text, chat.text
    return chat


async def relayed_to(user_id: str) -> list[OutboxMessage]:
    account = await MessengerAccount.get(channel=Channel.CONSOLE, external_id=user_id)
    return await rows_for(account, kind="relay")


async def test_first_manager_gets_the_backlog_in_order_once(
    services: Services, router: Router, clock: ManualClock
) -> None:
    clock.set(NOON)
    olena = RecordingChat(services, router, user_id="olena", name="Olena")
    taras = RecordingChat(services, router, user_id="taras", name="Taras")
    await register(olena, "+380671234567")
    await register(taras, "+380501112233")
    await client_writes(olena, "Hello, is anyone there?")
    clock.advance(timedelta(minutes=5))
    await client_writes(taras, "I want Egypt in May")
    clock.advance(timedelta(minutes=5))
    await olena.say("Second message from Olena")
    assert await HeldMessage.filter(handed_at__isnull=True).count() == 3

    # an accountant does not answer clients: the backlog waits for someone who does
    await join(services, router, "acc", "Oksana", Role.ACCOUNTANT)
    assert await relay_backlog.waiting() == 3

    clock.advance(timedelta(hours=1))
    iryna = await join(services, router, "iryna", "Iryna", Role.MANAGER)
    assert "clients wrote 3 messages" in iryna.text

    rows = await relayed_to("iryna")
    texts = [reply_from_json(r.body).text for r in rows]
    assert len(texts) == 3
    assert "Hello, is anyone there?" in texts[0] and "Olena" in texts[0]
    assert "I want Egypt in May" in texts[1] and "Taras" in texts[1]
    assert "Second message from Olena" in texts[2]
    assert "12:00" in texts[0] and "12:05" in texts[1] and "12:10" in texts[2]  # when, Kyiv
    assert "March 2, 2026" in texts[0]

    courier = Courier()
    await courier.deliver(services)
    printed = courier.printed
    assert printed.index("Hello, is anyone there?") < printed.index("I want Egypt in May")
    assert printed.index("I want Egypt in May") < printed.index("Second message from Olena")

    # the Reply button of a held message answers that client
    from tests.support.journeys import button_payload

    await iryna.press_payload(button_payload(rows[1], "Reply"))
    await iryna.say("Egypt in May is lovely")
    assert "Sent to Taras" in iryna.text

    # a second manager, and Iryna joining again after being revoked: nothing handed twice
    await join(services, router, "petro", "Petro", Role.MANAGER)
    assert await relayed_to("petro") == []
    staff = await Staff.get(name="Iryna")
    await invites.revoke(clock.now(), staff.id)
    again = await join(services, router, "iryna", "Iryna", Role.MANAGER)
    assert "clients wrote" not in again.text
    assert len(await relayed_to("iryna")) == 3
    assert await relay_backlog.waiting() == 0
    handed = await HeldMessage.all()
    assert {h.handed_to_id for h in handed} == {staff.id}


async def test_messages_while_staff_exist_are_relayed_not_held(
    services: Services, router: Router
) -> None:
    await join(services, router, "iryna", "Iryna", Role.MANAGER)
    olena = RecordingChat(services, router, user_id="olena", name="Olena")
    await register(olena)
    await olena.press("Contact manager")
    await olena.say("Hi")
    assert "Sent to your manager" in olena.text
    assert await HeldMessage.all().count() == 0
    await send_kind(olena, Kind.TEXT, text="Another")
    assert len(await relayed_to("iryna")) == 2


async def test_two_joins_at_once_hand_each_message_over_once(
    services: Services, router: Router
) -> None:
    olena = RecordingChat(services, router, user_id="olena", name="Olena")
    await register(olena)
    await client_writes(olena, "one", "two")
    from tests.support.factories import make_staff

    first, _ = await make_staff(Role.MANAGER, "m1", name="Iryna")
    second, _ = await make_staff(Role.ADMIN, "m2", name="Admin")
    counts = await asyncio.gather(
        relay_backlog.hand_over(services, first), relay_backlog.hand_over(services, second)
    )
    assert sum(counts) == 2
    for user_id in ("m1", "m2"):  # both were on the team: each got each message once
        rows = await relayed_to(user_id)
        assert [reply_from_json(r.body).text.split("\n\n")[-1] for r in rows] == ["one", "two"]
