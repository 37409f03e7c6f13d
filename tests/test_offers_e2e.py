"""Tour offers end to end: in Telegram (the real aiogram channel behind our webhook, a fake Bot
API) and in Viber (signed callbacks, a fake REST API). The manager builds options by paste and
step by step, the client gets the cards, picks one, pays the prepayment through the sandbox's
checkout page, and the order is paid; the other options close; expiry closes a round nobody
chose; the manager hears of every choice and question."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator, Callable
from datetime import date, timedelta
from typing import Any, TypeVar

import pytest

from core.jobs import JobRunner
from core.rules import Commissions, Delivery, Rules
from core.services import Services
from storage.models import (
    CommissionEntry,
    IntentStatus,
    OfferStatus,
    Order,
    OrderStatus,
    PaymentIntent,
    RequestStatus,
    Staff,
    TourOffer,
    TourRequest,
)
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.viber_api import FakeViberApi, button_text
from tests.support.e2e import (
    Desk,
    open_checkout,
    open_desk,
    request_tour,
    submit_checkout,
    visible_text,
)
from tests.test_e2e_telegram import join_staff as tg_staff
from tests.test_e2e_telegram import new_client as tg_client
from tests.test_e2e_viber import join_staff as vb_staff
from tests.test_e2e_viber import new_client as vb_client

T = TypeVar("T")

RIXOS = (
    "Rixos Premium 5* | TR Belek | 12.06–19.06 | 7n | DBL | AI | 45000 UAH | Coral | "
    "https://coral.example/t/1 | https://img.example/rixos.jpg"
)
SUNRISE = "Sunrise Garden 4* | Egypt, Hurghada | 14.06-21.06 | 7 | FAM | HB | 38000 UAH | Join Up"


@pytest.fixture
def rules() -> Rules:
    # managers earn 5% of what is paid on their orders (the offer's order is the sender's)
    return Rules(delivery=Delivery(flood_messages=1000), commissions=Commissions(paid_percent=5))


@pytest.fixture
async def tg_desk(services: Services) -> AsyncIterator[Desk]:
    fake = await FakeTelegram().start()
    desk = await open_desk(services, telegram=fake)
    try:
        yield desk
    finally:
        await desk.close()
        await fake.close()


@pytest.fixture
async def vb_desk(services: Services) -> AsyncIterator[Desk]:
    fake = FakeViberApi()
    await fake.start()
    desk = await open_desk(services, viber=fake)
    try:
        yield desk
    finally:
        await desk.close()
        await fake.close()


async def deliver_round(desk: Desk, services: Services, inbox: Callable[[], list[T]]) -> list[T]:
    """The messages of a round leave a second apart (the chat's pace), so they arrive in order:
    the clock moves on a second at a time and each delivery brings the next one."""
    arrived: list[T] = []
    for _ in range(10):
        await desk.deliver()
        news = inbox()
        arrived += news
        if not news and arrived:
            break
        services.clock.advance(timedelta(seconds=1))  # type: ignore[attr-defined]
    return arrived


async def pay_prepayment(desk: Desk, link: str, amount: str) -> None:
    """The tourist's browser: our link -> the sandbox checkout -> Pay."""
    checkout = await open_checkout(desk.http, link)
    assert amount in checkout.page
    status, url, page = await submit_checkout(desk.http, checkout, "Pay")
    assert (status, url) == (200, f"{link}/done")
    shown = " ".join(amount.split())  # the page's words, spaces collapsed
    assert f"Your payment of {shown} has been received" in visible_text(page)


async def test_telegram_manager_builds_options_client_picks_and_pays(
    tg_desk: Desk, services: Services
) -> None:
    desk = tg_desk
    ivan = await tg_staff(desk, 900, "Ivan Franko")
    olena = await tg_client(desk)
    await request_tour(olena)
    await olena.press("Send the request")
    await desk.deliver()
    ivan.inbox()
    await ivan.press("Take")
    await desk.deliver()
    olena.inbox()

    # The manager: the request's card -> the builder; one option pasted, one step by step.
    await ivan.say("/request R-0001")
    assert "Request R-0001 · Olena" in ivan.text and "Destination: Crete" in ivan.text
    await ivan.press("Build options")
    assert "hotel [stars*] | country resort | dates | nights" in ivan.text
    await ivan.say(RIXOS.replace("7n", "10n"))
    assert "Field 4 (nights): 10 nights do not fit between these dates (7 nights)" in ivan.text
    assert "Nothing was added" in ivan.text
    await ivan.say(RIXOS)
    assert "Option added." in ivan.text and "1. Rixos Premium ★★★★★ · Belek, TR" in ivan.text
    await ivan.press("Step by step")
    for answer in ("Sunrise Garden 4*", "Egypt, Hurghada", "14.06-21.06"):
        await ivan.say(answer)
    assert "How many nights?" in ivan.text
    await ivan.press_exact("7")
    await ivan.say("FAM")
    await ivan.press_exact("HB")
    await ivan.say("38000")
    await ivan.say("Join Up")
    await ivan.press("Skip")
    await ivan.press("Skip")
    assert "Please check the option" in ivan.text and "Price: UAH\u00a038,000.00" in ivan.text
    await ivan.press("Add the option")
    assert "2. Sunrise Garden ★★★★ · Hurghada, Egypt" in ivan.text
    await ivan.press("Send 2 options")
    assert "2 options have been sent to Olena for request R-0001" in ivan.text

    # The client: two cards (the first with its photo and a Details link) and the pick message,
    # a second apart so that they arrive in order.
    rixos_card, sunrise_card, pick = await deliver_round(desk, services, olena.inbox)
    assert rixos_card.kind == "photo" and "1. 🏨 Rixos Premium ★★★★★" in rixos_card.text
    assert "📅 June 12, 2027 – June 19, 2027, 7 nights" in rixos_card.text
    assert (
        "🛏 DBL · 🍽 all inclusive" in rixos_card.text and "Tour operator: Coral" in rixos_card.text
    )
    assert rixos_card.labels == ["✅ Choose option 1", "❓ Ask a question", "🔗 Details"]
    assert "2. 🏨 Sunrise Garden ★★★★" in sunrise_card.text
    assert "Here are 2 options for your request R-0001" in pick.text
    assert pick.labels == ["✅ Choose option 1", "✅ Choose option 2", "❓ Ask a question"]

    # A question first: the manager is told, and the client's message is relayed.
    await olena.press("Ask a question")
    assert "Write your question about the options" in olena.text
    await olena.say("Is the beach sandy?")
    assert "Sent to your manager" in olena.text
    await desk.deliver()
    arrived = ivan.inbox()  # two messages to one chat: either may arrive first
    [question] = [m for m in arrived if "has a question" in m.text]
    [relayed] = [m for m in arrived if "Message from Olena" in m.text]
    assert "has a question about the options for request R-0001" in question.text
    assert "Is the beach sandy?" in relayed.text
    await ivan.say("Yes, sand and a pier.", reply_to=relayed.message_id)
    await desk.deliver()
    [answer] = olena.inbox()
    assert "Yes, sand and a pier." in answer.text

    # The pick: the order at once, with the prepayment link.
    await olena.press("Leave chat")
    button, card = olena.find("Choose option 1")
    await olena.press_data(button["callback_data"], card)
    assert "Rixos Premium is booked for you: order T-0001, UAH\u00a045,000.00" in olena.text
    assert "prepayment of UAH\u00a013,500.00" in olena.text
    order = await Order.get(number="T-0001")
    manager = await Staff.get(name="Ivan Franko")
    assert order.manager_id == manager.id  # type: ignore[attr-defined]
    assert (order.supplier, order.destination, order.country) == ("Coral", "Belek, TR", "TR")
    assert (order.departure_date, order.return_date) == (date(2027, 6, 12), date(2027, 6, 19))
    assert (order.price, order.currency) == (4_500_000, "UAH")
    request = await TourRequest.get(number="R-0001")
    assert order.tour_request_id == request.id  # type: ignore[attr-defined]
    assert request.status is RequestStatus.CLOSED
    statuses = [o.status for o in await TourOffer.all().order_by("position")]
    assert statuses == [OfferStatus.CHOSEN, OfferStatus.CLOSED]

    # A second press on either option changes nothing.
    await olena.press_data(button["callback_data"], card)
    assert "You have already chosen this option: it is order T-0001" in olena.text
    await olena.press("Choose option 2")
    assert "Another option of this offer has already been chosen" in olena.text
    assert await Order.all().count() == 1

    await pay_prepayment(desk, olena.link("Pay UAH"), "UAH\u00a013,500.00")
    order = await Order.get(id=order.id)
    assert order.paid == 1_350_000 and order.status is OrderStatus.CONFIRMED
    assert (await PaymentIntent.get(order_id=order.id)).status is IntentStatus.PAID
    earned = await CommissionEntry.filter(order_id=order.id)
    assert [(c.staff_id, c.amount, c.basis) for c in earned] == [(order.manager_id, 67_500, "paid")]

    await desk.deliver()
    news = "\n".join(m.text for m in ivan.inbox())
    assert "chose option 1 (Rixos Premium) for request R-0001. Order T-0001" in news
    assert "Payment received: UAH\u00a013,500.00 from Olena for order T-0001" in news
    await ivan.say("/request R-0001")
    assert "2 options sent" in ivan.text and "question about the options" in ivan.text
    assert "option 1 (Rixos Premium) chosen: order T-0001" in ivan.text


async def test_viber_options_expire_then_a_fresh_round_is_picked_and_paid(
    vb_desk: Desk, services: Services
) -> None:
    desk = vb_desk
    ivan = await vb_staff(desk, "ivan-vb==", "Ivan Franko")
    olena = await vb_client(desk)
    await request_tour(olena)
    await olena.press("Send the request")
    await desk.deliver()
    ivan.inbox()
    await ivan.press("Take")
    await desk.deliver()
    olena.inbox()

    async def send_options(*lines: str) -> list[dict[str, Any]]:
        await ivan.say("/request R-0001")
        await ivan.press("Build options")
        await ivan.say("\n".join(lines))
        assert f"{len(lines)} options added." in ivan.text
        await ivan.press(f"Send {len(lines)} options")
        assert "have been sent to Olena" in ivan.text
        return await deliver_round(desk, services, olena.inbox)

    carousel, pick = await send_options(RIXOS, SUNRISE)
    # both options side by side in one rich-media message, each with its own buttons
    assert carousel["type"] == "rich_media" and "keyboard" not in carousel
    cells = carousel["rich_media"]["Buttons"]
    assert cells[0]["Image"] == "https://img.example/rixos.jpg"
    assert "1. 🏨 Rixos Premium ★★★★★" in html.unescape(cells[1]["Text"])
    assert any("2. 🏨 Sunrise Garden ★★★★" in html.unescape(c.get("Text", "")) for c in cells)
    actions = [(c["ActionType"], button_text(c)) for c in olena.card_buttons(carousel)]
    assert actions == [
        ("reply", "✅ Choose option 1"),
        ("reply", "❓ Ask a question"),
        ("open-url", "🔗 Details"),
        ("reply", "✅ Choose option 2"),
        ("reply", "❓ Ask a question"),
    ]
    assert "Here are 2 options for your request R-0001" in pick["text"]
    # Viber shows the last keyboard: the pick message's, which chooses any option.
    assert olena.labels() == ["✅ Choose option 1", "✅ Choose option 2", "❓ Ask a question"]

    # Nobody chooses within [offers] expire_days: the job closes the round.
    services.clock.advance(timedelta(days=3, minutes=1))  # type: ignore[attr-defined]
    await JobRunner(services.jobs, "test").drain()
    assert {o.status for o in await TourOffer.all()} == {OfferStatus.EXPIRED}
    await desk.deliver()
    olena.inbox()
    assert "The options for your request R-0001 have expired" in olena.text
    assert "expired without a choice" in "\n".join(str(m.get("text")) for m in ivan.inbox())
    await olena.press("Choose option 2")  # the old keyboard is still on screen
    assert "This offer has expired" in olena.text
    assert await Order.all().count() == 0

    # A fresh round; the client picks option 2 and pays the prepayment.
    fresh_carousel, _ = await send_options(SUNRISE.replace("38000", "36000"), RIXOS)
    await olena.press_card(fresh_carousel, "Choose option 1")  # the card's own button
    assert "Sunrise Garden is booked for you: order T-0001, UAH\u00a036,000.00" in olena.text
    link = olena.link("Pay UAH")
    await pay_prepayment(desk, link, "UAH\u00a010,800.00")
    order = await Order.get(number="T-0001")
    assert (order.supplier, order.destination, order.price) == (
        "Join Up",
        "Hurghada, Egypt",
        3_600_000,
    )
    assert order.paid == 1_080_000 and order.status is OrderStatus.CONFIRMED
    fresh = await TourOffer.filter(round=2).order_by("position")
    assert [o.status for o in fresh] == [OfferStatus.CHOSEN, OfferStatus.CLOSED]
    await desk.deliver()
    news = "\n".join(str(m.get("text")) for m in ivan.inbox())
    assert "chose option 1 (Sunrise Garden) for request R-0001. Order T-0001" in news
