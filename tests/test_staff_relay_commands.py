"""A staff member's native reply to a relayed message goes to the client — unless it is a
command: commands always win, so a member can leave any flow (this used to depend on which
module happened to be imported first)."""

from __future__ import annotations

from core.services import Services
from handlers.router import Router
from storage.models import OutboxMessage
from tests.support.chat import RecordingChat
from tests.support.journeys import Courier, register, rows_for, say_as, staff_chat


async def test_a_command_sent_as_a_native_reply_is_a_command(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    ivan, ivan_account, ivan_chat = await staff_chat(services, router, "Ivan")
    client = await register(chat)
    client.manager = ivan
    await client.save()
    await chat.press("Contact manager")
    await chat.say("Is the hotel near the beach?")
    await Courier().deliver(services)
    (to_ivan,) = await rows_for(ivan_account, kind="relay")

    await say_as(ivan_chat, "/orders", reply_to=to_ivan.platform_message_id)
    assert "Orders:" in ivan_chat.text
    assert await OutboxMessage.filter(kind="relay-answer").count() == 0

    await say_as(ivan_chat, "Yes, 50 metres.", reply_to=to_ivan.platform_message_id)
    assert "Sent to Olena" in ivan_chat.text
    assert await OutboxMessage.filter(kind="relay-answer").count() == 1
