"""tourdesk end to end in Telegram: the real aiogram channel behind our webhook, a fake Bot API.

Users act only through Telegram updates posted to ``/webhooks/telegram``; what we check is what
the fake Telegram received (messages, edits, keyboards), the payment pages our web app serves
over HTTP, and the rows a user-visible change leaves in the database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from core.payloads import encode
from core.rules import Delivery, Rules
from core.services import Services
from core.staff import routes
from storage.models import (
    AuditEntry,
    Client,
    IntentStatus,
    MessengerAccount,
    Order,
    OrderStatus,
    OutboxMessage,
    PaymentIntent,
    ProviderEvent,
    RequestStatus,
    Role,
    Staff,
    TourRequest,
)
from tests.fakes.telegram_api import FakeTelegram
from tests.support.e2e import (
    Desk,
    TgPerson,
    open_checkout,
    open_desk,
    register,
    request_tour,
    submit_checkout,
    visible_text,
)

PHONE = "+380671234567"


@pytest.fixture
def rules() -> Rules:
    # A script taps much faster than a person; keep the flood guard out of the way.
    return Rules(delivery=Delivery(flood_messages=1000))


@pytest.fixture
async def desk(services: Services) -> AsyncIterator[Desk]:
    fake = await FakeTelegram().start()
    desk = await open_desk(services, telegram=fake)
    try:
        yield desk
    finally:
        await desk.close()
        await fake.close()


def tg(desk: Desk) -> FakeTelegram:
    assert desk.telegram is not None
    return desk.telegram


async def join_staff(desk: Desk, user_id: int, name: str) -> TgPerson:
    """A manager opens the invite's deep link (``/start <code>``) in Telegram."""
    person = TgPerson(tg(desk), user_id, name.split()[0])
    await person.start(await desk.invite(name))
    assert f"Welcome to the team, {name}" in person.text
    assert "Staff desk" in person.text
    return person


async def new_client(desk: Desk, user_id: int = 501, name: str = "Olena") -> TgPerson:
    person = TgPerson(tg(desk), user_id, name)
    await person.start()
    assert "Tourdesk Travel" in person.text
    assert person.screen()[1] == ["Українська", "English", "Русский"]
    await person.press("English")
    assert "Language changed to English" in person.text
    await register(person, PHONE.lstrip("+"))  # Telegram's contact comes without the "+"
    return person


async def test_client_journey_request_take_relay_and_trips(desk: Desk) -> None:
    ivan = await join_staff(desk, 900, "Ivan Franko")
    staff = await Staff.get(name="Ivan Franko")
    assert staff.role is Role.MANAGER and staff.active
    assert await MessengerAccount.exists(channel="telegram", external_id="900", staff_id=staff.id)

    olena = await new_client(desk)
    await request_tour(olena)
    await olena.press("Send the request")
    assert "Your request R-0001 is received" in olena.text
    assert "Main menu" in olena.text
    request = await TourRequest.get(number="R-0001").prefetch_related("client")
    assert request.client.phone == PHONE
    assert (request.destination, request.when) == ("Crete", {"month": "2027-03"})
    assert (request.nights_min, request.nights_max, request.adults) == (6, 8, 2)
    assert request.children_ages == [5]
    assert (request.budget_amount, request.budget_currency) == (150_000, "EUR")
    assert request.wishes == "Sea view, quiet hotel"

    # The manager's notice travels through the outbox.
    assert ivan.inbox() == []
    assert await desk.deliver() >= 1
    [notice] = ivan.inbox()
    assert "New tour request R-0001 from Olena (+380*****4567" in notice.text
    assert "Destination: Crete" in notice.text
    assert notice.labels == ["🙋 Take"]
    await ivan.press("Take")
    assert "Request R-0001 is yours" in ivan.text and PHONE in ivan.text
    request = await TourRequest.get(id=request.id)
    assert request.status is RequestStatus.TAKEN
    assert request.manager_id == staff.id  # type: ignore[attr-defined]

    await desk.deliver()
    [told] = olena.inbox()
    assert "R-0001 is being handled. Manager: Ivan Franko" in told.text

    # Contact manager: the message reaches Ivan; his Telegram reply to it reaches Olena.
    await olena.press("Contact manager")
    assert "your manager Ivan Franko" in olena.text
    await olena.say("Is the hotel near the beach?")
    assert "Sent to your manager" in olena.text
    await desk.deliver()
    [relayed] = ivan.inbox()
    assert "Message from Olena (+380*****4567" in relayed.text
    assert "Is the hotel near the beach?" in relayed.text
    assert PHONE not in relayed.text
    await ivan.say("Yes, 50 metres from the sea.", reply_to=relayed.message_id)
    assert "Sent to Olena" in ivan.text
    await desk.deliver()
    [answer] = olena.inbox()
    assert answer.text == "💬 Manager Ivan Franko:\n\nYes, 50 metres from the sea."
    client = await Client.get(phone=PHONE)
    assert client.manager_id == staff.id  # type: ignore[attr-defined]
    history = await OutboxMessage.filter(client_id=client.id, kind__startswith="relay").order_by(
        "id"
    )
    assert [(m.direction, m.kind) for m in history] == [("in", "relay-in"), ("out", "relay-answer")]

    # My trips: the open request and its status; nothing booked yet, so the wizard is offered.
    await olena.press("Leave chat")
    assert "You left the chat" in olena.text
    await olena.press("My trips")
    assert "R-0001 · Crete — in progress, manager: Ivan Franko" in olena.text
    assert "No booked trips yet" in olena.text
    await olena.press("Find a tour")
    assert "Step 1 of 6" in olena.text


async def test_staff_session_order_payment_link_and_sandbox_payment(desk: Desk) -> None:
    ivan = await join_staff(desk, 900, "Ivan Franko")
    olena = await new_client(desk)

    await ivan.say("/find 067 123 45 67")
    assert "👤 Olena" in ivan.text and f"Phone: {PHONE}" in ivan.text
    await ivan.press("New order")
    assert "Where to?" in ivan.text
    for answer, next_question in (
        ("Turkey, Antalya", "Dates:"),
        ("12.06.2027 - 19.06.2027", "Price"),
        ("1 200 EUR", "Pay by which date?"),
        ("01.06.2027", "Prepayment share"),
    ):
        await ivan.say(answer)
        assert next_question in ivan.text, answer
    await ivan.press("50%")
    summary = ivan.text
    assert "Turkey, Antalya" in summary and "€1,200.00" in summary and "50%" in summary
    await ivan.press("Create the order")
    assert "Order T-0001 is created and the client has been told" in ivan.text
    order = await Order.get(number="T-0001")
    assert (order.price, order.currency, order.prepayment_percent) == (120_000, "EUR", 50)
    assert order.status is OrderStatus.BOOKED

    await desk.deliver()
    [booked] = olena.inbox()
    assert (
        "A trip has been booked for you: T-0001, Turkey, Antalya. Manager: Ivan Franko."
        in booked.text
    )
    assert "Please pay by June 1, 2027" in booked.text

    await ivan.press("Link for the prepayment (€600.00)")
    assert "A payment link for €600.00 has been sent to the client" in ivan.text
    await desk.deliver()
    [pay] = olena.inbox()
    assert "Payment for T-0001 (Turkey, Antalya): €600.00" in pay.text
    intent = await PaymentIntent.get(order_id=order.id)
    link = olena.link("Pay €600.00")
    assert link == f"{desk.base_url}/pay/{intent.token}"

    # The tourist's browser: our link -> the sandbox's checkout page -> Pay.
    checkout = await open_checkout(desk.http, link)
    assert "Test payment (sandbox)" in checkout.page and "€600.00" in checkout.page
    status, url, page = await submit_checkout(desk.http, checkout, "Pay")
    assert (status, url) == (200, f"{link}/done")
    assert "Your payment of €600.00 has been received" in visible_text(page)
    event = await ProviderEvent.get(provider="sandbox")
    assert event.signature_valid and event.outcome == "credited"
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.PAID

    await desk.deliver()
    [staff_notice] = ivan.inbox()
    assert "Payment received: €600.00 from Olena for order T-0001" in staff_notice.text
    [receipt] = olena.inbox()
    assert "Payment received: €600.00 for order T-0001" in receipt.text
    assert "Paid €600.00 of €1,200.00" in receipt.text
    assert "Left to pay: €600.00 by June 1, 2027" in receipt.text

    order = await Order.get(id=order.id)
    assert (order.paid, order.remaining) == (60_000, 60_000)
    await olena.say("/menu")
    await olena.press("My trips")
    assert "T-0001 · Turkey, Antalya — confirmed" in olena.text
    assert "paid €600.00" in olena.text and "Left to pay €600.00" in olena.text
    async with desk.http.get(link) as resp:  # the same link again: already paid
        assert "already been made" in visible_text(await resp.text())


async def test_a_client_forging_staff_buttons_gets_nothing_staff_related(desk: Desk) -> None:
    ivan = await join_staff(desk, 900, "Ivan Franko")
    olena = await new_client(desk)
    victim = await Client.create(phone="+380509998877", first_name="Taras", locale="en")
    order = await Order.create(
        number="T-0042",
        client=victim,
        destination="Egypt",
        price=4_500_000,
        currency="UAH",
        status=OrderStatus.BOOKED,
    )
    request = await TourRequest.create(number="R-0042", client=victim, destination="Egypt")
    menu = tg(desk).last(olena.id)  # any message of the bot in her chat carries a button
    audit_before = await AuditEntry.all().count()

    stale = "That button is out of date"
    forged = [
        (encode("take", request.id), stale),
        (encode("reply", victim.id), stale),
        (encode(routes.CLIENT, victim.id), stale),
        (encode(routes.ORDER, order.id), stale),
        (encode(routes.PAY_LINK, order.id, "rest"), stale),
        (encode(routes.NEW_ORDER, "start", victim.id), stale),
        (encode(routes.ORDERS, "active", 0), stale),
        (encode(routes.MENU), stale),
        (encode("pay", order.id), "This order was not found among your trips"),
    ]
    for data, answer in forged:
        await olena.press_data(data, menu)
        assert answer in olena.text, (data, olena.text)
        assert "Staff desk" not in olena.text, data
        assert "Taras" not in olena.text and "+380509998877" not in olena.text, data
        assert "T-0042" not in olena.text and "R-0042" not in olena.text, data
    for command in ("/find 0509998877", "/neworder", "/orders", "/order T-0042", "/staff"):
        await olena.say(command)
        assert "Staff desk" not in olena.text and "Taras" not in olena.text, command
        assert "did not understand" in olena.text, command
    # A "reply" to a message in her own chat is just text to the menu, not a staff answer.
    await olena.say("I am the manager now", reply_to=menu.message_id)

    request = await TourRequest.get(id=request.id)
    assert request.manager_id is None and request.status is RequestStatus.NEW  # type: ignore[attr-defined]
    assert await PaymentIntent.all().count() == 0
    assert await Order.all().count() == 1
    assert await OutboxMessage.filter(client_id=victim.id).count() == 0
    assert await AuditEntry.all().count() == audit_before  # no staff action happened
    await desk.deliver()
    assert ivan.inbox() == []
