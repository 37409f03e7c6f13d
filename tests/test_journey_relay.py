"""Contact my manager: client -> staff through the outbox, staff -> client by native reply or
the Reply button; everything kept in the client's history."""

from __future__ import annotations

import re
from datetime import timedelta

from core.clock import ManualClock
from core.contract import Kind, Media
from core.delivery import reply_from_json
from core.payloads import encode
from core.services import Services
from handlers.router import Router
from storage.models import (
    Client,
    MessengerAccount,
    Order,
    OutboxMessage,
    OutboxStatus,
    Role,
    Staff,
    TourRequest,
)
from tests.support.channels import Channel
from tests.support.chat import RecordingChat
from tests.support.journeys import (
    Courier,
    button_payload,
    register,
    rows_for,
    say_as,
    send_kind,
    staff_chat,
)


async def client_history(client: Client) -> list[OutboxMessage]:
    return await OutboxMessage.filter(client_id=client.id).order_by("id")


async def test_relay_round_trip_native_reply_and_reply_button(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    ivan, ivan_account, ivan_chat = await staff_chat(services, router, "Ivan")
    client = await register(chat)
    client.manager = ivan
    await client.save()
    client_account = await MessengerAccount.get(client_id=client.id)

    await chat.press("Contact manager")
    assert "your manager Ivan" in chat.text and "Leave chat" in " ".join(chat.labels())
    await chat.say("Hello! Is the hotel near the beach?")
    assert "Sent to your manager" in chat.text

    (to_ivan,) = await rows_for(ivan_account, kind="relay")
    text = to_ivan.body["text"]
    assert f"Message from Olena (+380*****4567, client #{client.id})" in text
    assert "Hello! Is the hotel near the beach?" in text
    assert to_ivan.meta["relay_client"] == client.id
    assert button_payload(to_ivan, "Reply") == encode("reply", client.id)
    assert "+380671234567" not in text  # the full phone is not spread around

    courier = Courier()
    assert await courier.deliver(services) >= 1
    await to_ivan.refresh_from_db()
    assert to_ivan.status == OutboxStatus.SENT and to_ivan.platform_message_id
    assert "Hello! Is the hotel near the beach?" in courier.printed

    # (a) Ivan answers with his messenger's native reply to that message
    await say_as(ivan_chat, "Yes, 50 metres.", reply_to=to_ivan.platform_message_id)
    assert "Sent to Olena" in ivan_chat.text
    (answer,) = await rows_for(client_account, kind="relay-answer")
    assert answer.body["text"] == "💬 Manager Ivan:\n\nYes, 50 metres."
    assert answer.client_id == client.id  # type: ignore[attr-defined]

    # (b) ... or with the Reply button, then his next message
    await ivan_chat.press_payload(button_payload(to_ivan, "Reply"))
    assert "Write your answer to Olena" in ivan_chat.text
    await ivan_chat.say("And there is a kids club.")
    assert "Sent to Olena" in ivan_chat.text
    answers = await rows_for(client_account, kind="relay-answer")
    assert [a.body["text"].split("\n\n", 1)[1] for a in answers] == [
        "Yes, 50 metres.",
        "And there is a kids club.",
    ]
    await ivan_chat.say("this is not an answer any more")
    assert len(await rows_for(client_account, kind="relay-answer")) == 2

    # the client's history holds both directions
    history = [(m.direction, m.kind) for m in await client_history(client)]
    assert ("in", "relay-in") in history
    assert history.count(("out", "relay-answer")) == 2
    inbound = await OutboxMessage.get(client_id=client.id, kind="relay-in")
    assert inbound.body["text"] == "Hello! Is the hotel near the beach?"

    # the client still in the chat keeps talking; "Leave chat" returns to the menu
    await chat.say("Thanks!")
    assert len(await rows_for(ivan_account, kind="relay")) == 2
    await chat.press("Leave chat")
    assert "You left the chat" in chat.text and "Main menu" in chat.text
    await chat.say("not relayed")
    assert len(await rows_for(ivan_account, kind="relay")) == 2
    assert "did not understand" in chat.text


async def test_without_a_manager_everyone_active_gets_it(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    _, m1, _ = await staff_chat(services, router, "Ivan")
    _, m2, _ = await staff_chat(services, router, "Anna", role=Role.ADMIN)
    _, acc, _ = await staff_chat(services, router, "Petro", role=Role.ACCOUNTANT)
    _, gone, _ = await staff_chat(services, router, "Old", active=False)
    await register(chat)
    await chat.press("Contact manager")
    assert "Our managers will answer" in chat.text
    await chat.say("Anyone there?")
    assert len(await rows_for(m1, kind="relay")) == 1
    assert len(await rows_for(m2, kind="relay")) == 1
    assert await rows_for(acc) == [] and await rows_for(gone) == []


async def test_manager_of_the_latest_request_or_order_gets_it(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    ivan, ivan_account, _ = await staff_chat(services, router, "Ivan")
    anna, anna_account, _ = await staff_chat(services, router, "Anna")
    client = await register(chat)
    await TourRequest.create(number="R-0001", client=client, destination="Egypt", manager=ivan)
    await chat.press("Contact manager")
    await chat.say("About my request")
    assert len(await rows_for(ivan_account, kind="relay")) == 1
    assert await rows_for(anna_account) == []
    await Order.create(
        number="T-0001", client=client, destination="Egypt", price=1, currency="UAH", manager=anna
    )
    await chat.say("About my order")
    assert len(await rows_for(anna_account, kind="relay")) == 1
    # a revoked manager no longer gets anything: the next in line does
    anna.active = False
    await anna.save()
    await chat.say("Hello?")
    assert len(await rows_for(ivan_account, kind="relay")) == 2


async def test_photo_and_document_are_relayed(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    _, same_channel, _ = await staff_chat(services, router, "Ivan")
    _, other_channel, _ = await staff_chat(services, router, "Anna", channel=Channel.TELEGRAM)
    await register(chat)
    await chat.press("Contact manager")
    await send_kind(
        chat, Kind.MEDIA, media=Media("photo", file_ref="file-123", caption="My passport")
    )
    assert "Sent to your manager" in chat.text
    (row,) = await rows_for(same_channel, kind="relay")
    reply = reply_from_json(row.body)
    assert reply.media is not None and reply.media.file_ref == "file-123"
    assert "My passport" in reply.text
    (elsewhere,) = await rows_for(other_channel, kind="relay")
    assert reply_from_json(elsewhere.body).media is None  # a console file id means nothing there
    assert "a photo was sent" in elsewhere.body["text"]
    await send_kind(chat, Kind.MEDIA, media=Media("document", file_ref="doc-9"))
    assert len(await rows_for(same_channel, kind="relay")) == 2
    await send_kind(chat, Kind.LOCATION, location=(50.45, 30.52))
    assert "I can pass on text, photos and documents" in chat.text
    assert len(await rows_for(same_channel, kind="relay")) == 2
    inbound = await OutboxMessage.filter(kind="relay-in").order_by("id")
    assert [m.body["text"] for m in inbound] == ["[photo] My passport", "[document]"]


async def test_forged_reply_and_non_staff_get_nothing(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    _, ivan_account, ivan_chat = await staff_chat(services, router, "Ivan")
    client = await register(chat)
    other = RecordingChat(services, router, user_id="u2", name="Taras")
    victim = await register(other, phone="+380509998877")
    await chat.press("Contact manager")
    await chat.say("hi")
    courier = Courier()
    await courier.deliver(services)
    (to_ivan,) = await rows_for(ivan_account, kind="relay")

    # a client pressing a forged "Reply" button for another client
    await chat.press_payload(encode("reply", victim.id))
    assert "out of date" in chat.text
    await chat.say("I am the manager now")
    # a client "replying" to a platform message id of a staff chat
    await say_as(chat, "spoof", reply_to=to_ivan.platform_message_id)
    assert await OutboxMessage.filter(kind="relay-answer").count() == 0
    assert await OutboxMessage.filter(client_id=victim.id, direction="out").count() == 0

    # a staff member revoked after getting the message cannot answer any more
    staff = await Staff.get(id=ivan_account.staff_id)  # type: ignore[attr-defined]
    staff.active = False
    await staff.save()
    await say_as(ivan_chat, "late answer", reply_to=to_ivan.platform_message_id)
    await ivan_chat.press_payload(encode("reply", client.id))
    await ivan_chat.say("late answer 2")
    assert await OutboxMessage.filter(kind="relay-answer").count() == 0


async def test_reply_to_a_message_of_another_chat_is_not_misrouted(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    """Platform message ids are per chat: a reply is matched in the replier's own chat only."""
    _, ivan_account, ivan_chat = await staff_chat(services, router, "Ivan")
    _, anna_account, anna_chat = await staff_chat(services, router, "Anna")
    await register(chat)
    await chat.press("Contact manager")
    await chat.say("question")
    courier = Courier()
    await courier.deliver(services)
    (to_ivan,) = await rows_for(ivan_account, kind="relay")
    (to_anna,) = await rows_for(anna_account, kind="relay")
    await say_as(anna_chat, "answer from Anna", reply_to=to_anna.platform_message_id)
    assert "Sent to Olena" in anna_chat.text
    # Ivan replies quoting an id that exists only in Anna's chat: no relay row of his matches
    unknown = "console-999"
    await say_as(ivan_chat, "misdirected", reply_to=unknown)
    assert "Sent to" not in ivan_chat.text
    assert await OutboxMessage.filter(kind="relay-answer").count() == 1
    assert to_ivan.id != to_anna.id


async def test_staff_reply_button_cancel_and_unreachable_client(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    _, _, ivan_chat = await staff_chat(services, router, "Ivan")
    client = await register(chat)
    await ivan_chat.press_payload(encode("reply", client.id))
    await ivan_chat.press("Cancel")
    assert "Answer cancelled" in ivan_chat.text
    await ivan_chat.say("nothing")
    assert await OutboxMessage.filter(kind="relay-answer").count() == 0

    await MessengerAccount.filter(client_id=client.id).update(blocked=True)
    await ivan_chat.press_payload(encode("reply", client.id))
    await ivan_chat.say("Are you there?")
    assert "cannot be reached" in ivan_chat.text
    await ivan_chat.press_payload(encode("reply", 424242))
    assert "no longer in our records" in ivan_chat.text


async def test_answer_goes_to_the_clients_most_recent_messenger(
    services: Services, router: Router, clock: ManualClock
) -> None:
    _, _, ivan_chat = await staff_chat(services, router, "Ivan")
    telegram = RecordingChat(services, router, user_id="tg1", channel=Channel.TELEGRAM)
    viber = RecordingChat(services, router, user_id="vb1", channel=Channel.VIBER)
    client = await register(telegram)
    clock.advance(timedelta(minutes=5))
    await viber.start()
    await viber.press("English")
    await viber.press("📱")
    await viber.share_phone(client.phone or "")  # a Viber contact card: proven by the code
    (code_row,) = await OutboxMessage.filter(kind="identity-code", external_id="tg1")
    code = re.search(r"Code: (\d{6})", code_row.body["text"])
    assert code is not None
    await viber.say(code.group(1))
    assert "now linked to your profile" in viber.text
    await ivan_chat.press_payload(encode("reply", client.id))
    await ivan_chat.say("Hi on your latest messenger")
    (row,) = await OutboxMessage.filter(kind="relay-answer")
    assert row.channel == "viber" and row.external_id == "vb1"


async def test_contact_asks_for_the_phone_first(chat: RecordingChat, services: Services) -> None:
    await chat.start()
    await chat.press("English")
    await chat.press("Contact manager")
    assert "we need your phone number" in chat.text
    await chat.share_phone("+380671234567")
    await chat.press("Yes")
    assert "Write your message" in chat.text
    await chat.say("Now I can write")
    assert "saved" in chat.text or "Sent" in chat.text
    assert await OutboxMessage.filter(kind="relay-in").count() == 1


async def test_native_reply_wins_over_a_pending_reply_button(
    services: Services, router: Router
) -> None:
    _, ivan_account, ivan_chat = await staff_chat(services, router, "Ivan")
    olena = RecordingChat(services, router, user_id="o1", name="Olena")
    taras = RecordingChat(services, router, user_id="t1", name="Taras")
    olena_client = await register(olena)
    taras_client = await register(taras, phone="+380509998877")
    for chat, text in ((olena, "from Olena"), (taras, "from Taras")):
        await chat.press("Contact manager")
        await chat.say(text)
    courier = Courier()
    await courier.deliver(services)
    to_olena, to_taras = await rows_for(ivan_account, kind="relay")
    assert to_olena.meta["relay_client"] == olena_client.id

    await ivan_chat.press_payload(encode("reply", olena_client.id))  # pending answer to Olena
    await say_as(ivan_chat, "for Taras", reply_to=to_taras.platform_message_id)
    assert "Sent to Taras" in ivan_chat.text
    await ivan_chat.say("stray text")  # the pending answer was dropped, nothing goes to Olena
    answers = await OutboxMessage.filter(kind="relay-answer")
    assert [(a.client_id, a.body["text"]) for a in answers] == [  # type: ignore[attr-defined]
        (taras_client.id, "💬 Manager Ivan:\n\nfor Taras")
    ]
