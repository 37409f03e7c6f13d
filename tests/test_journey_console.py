"""End to end through the console channel: a tourist types lines, buttons are shown as ``[/N]``
and pressed by typing ``/N`` (so a typed number is always an answer), the request reaches the
manager through the outbox and the console sender, and the manager presses the pushed
notification's button in the same console."""

from __future__ import annotations

import io
import re

from bots.console import ConsoleChannel
from core.contract import Incoming, Reply
from core.delivery import DeliveryWorker
from core.payloads import encode
from core.services import Services
from handlers.dispatcher import dispatch
from handlers.router import Router
from storage.models import Client, OutboxMessage, TourRequest
from tests.support.journeys import button_payload, rows_for, say_as, staff_chat


def number(replies: list[Reply], label_part: str) -> str:
    """What to type to press the button whose label contains ``label_part`` (``/N``)."""
    labels = [b.label for r in replies for b in r.all_buttons()]
    found = [i for i, label in enumerate(labels, start=1) if label_part in label]
    assert len(found) == 1, f"{label_part!r} not exactly once in {labels!r}"
    return f"/{found[0]}"


def shown_button(printed: str, label: str) -> str:
    """What to type to press the button printed last with ``label`` (a pushed message's)."""
    found = re.findall(r"\[(/\d+)\] " + re.escape(label), printed)
    assert found, f"no button {label!r} printed"
    return str(found[-1])


async def test_full_wizard_through_the_console(services: Services, router: Router) -> None:
    _, ivan_account, ivan_chat = await staff_chat(services, router, "Ivan", user_id="ivan")
    out = io.StringIO()

    async def dispatcher(incoming: Incoming) -> list[Reply]:
        return await dispatch(services, router, incoming)

    console = ConsoleChannel(
        dispatcher,
        texts=services.translator("en"),
        user_id="olena",
        language="en",
        stdin=io.StringIO(""),
        stdout=out,
    )

    async def line(text: str) -> list[Reply]:
        return await console.handle_line(text)

    replies = await line("/start fb_ad")
    replies = await line(number(replies, "English"))
    replies = await line(number(replies, "Share my phone"))
    replies = await line("+380 67 123 45 67")
    replies = await line(number(replies, "Yes"))
    replies = await line(number(replies, "Find a tour"))
    assert "Step 1 of 6" in replies[-1].text
    replies = await line("x")  # too short: the hint and the same question
    assert "Please type a destination" in replies[0].text and "Step 1 of 6" in replies[-1].text
    replies = await line("Crete")
    replies = await line("June")
    # Typed numbers are answers even where buttons are on screen: "5" nights (not the fifth
    # button, Back), "2" adults, "2" children (not the second button, "1"), their ages.
    assert "[/5] ◀️ Back" in out.getvalue()
    replies = await line("5")
    assert "How many adults" in replies[-1].text
    replies = await line("2")
    replies = await line("2")
    assert "child 1 of 2" in replies[-1].text
    replies = await line("6")
    replies = await line("9")
    assert "Type the amount in UAH" in replies[-1].text
    replies = await line("55 000")
    replies = await line(number(replies, "Skip"))
    assert "Please check your request" in replies[-1].text
    assert "Length: 5 nights" in replies[-1].text
    assert "2 adults, 2 children (ages 6, 9)" in replies[-1].text
    assert "[/1] ✅ Send the request" in out.getvalue()
    replies = await line(number(replies, "Send the request"))
    assert "Your request R-0001 is received" in replies[0].text

    request = await TourRequest.get(number="R-0001")
    assert request.destination == "Crete" and request.children_ages == [6, 9]
    assert (request.nights_min, request.nights_max, request.adults) == (5, 5, 2)
    assert (request.budget_amount, request.budget_currency) == (5_500_000, "UAH")
    client = await Client.get(phone="+380671234567")
    assert client.lead_source == "fb_ad"

    # the delivery worker hands the notice to the console sender: the manager sees it
    worker = DeliveryWorker(services.clock, {console.sender.channel: console.sender}, "w1")
    assert await worker.drain() >= 1
    printed = out.getvalue()
    assert "[message for ivan]" in printed
    assert "New tour request R-0001 from olena" in printed
    assert "🙋 Take" in printed
    (notice,) = await rows_for(ivan_account, kind="tour-request")
    assert notice.platform_message_id and notice.status == "sent"

    # the manager, in the same console, presses the pushed notice's button; the client hears
    # who the manager is
    await line(":user ivan")
    replies = await line(shown_button(out.getvalue(), "🙋 Take"))
    assert "Request R-0001 is yours" in replies[0].text
    await line(":user olena")
    await worker.drain()
    assert "[message for olena]" in out.getvalue()
    assert "is being handled. Manager: Ivan" in out.getvalue()
    assert await OutboxMessage.filter(client_id=client.id, kind="request-taken").count() == 1

    # the client writes to the manager from the console; the manager answers by native reply
    replies = await line("/menu")
    replies = await line(number(replies, "Contact manager"))
    assert "your manager Ivan" in replies[0].text
    await line("Can we have a sea view?")
    await worker.drain()
    (relayed,) = await rows_for(ivan_account, kind="relay")
    assert "Can we have a sea view?" in out.getvalue()
    assert button_payload(relayed, "Reply") == encode("reply", client.id)
    await say_as(ivan_chat, "Yes, booked.", reply_to=relayed.platform_message_id)
    assert "Sent to olena" in ivan_chat.text
    await worker.drain()
    assert "Manager Ivan:\n\nYes, booked." in out.getvalue()


def test_a_picture_shows_as_a_line_with_its_address() -> None:
    from bots.console import render
    from core.contract import Media, Reply

    shown = render(Reply("Autumn deals", media=Media("photo", "https://example.com/sea.jpg")))
    assert shown.splitlines() == ["  🖼 [photo] https://example.com/sea.jpg", "Autumn deals"]
    assert render(Reply("Hi")) == "Hi"
