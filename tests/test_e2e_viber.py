"""tourdesk end to end in Viber: the real Viber channel behind our webhook, a fake Viber REST API.

The webhook is registered the way Viber does it (``set_webhook`` checks our URL with a signed
callback); users act only through signed callbacks to ``/webhooks/viber``; what we check is
what the fake Viber received (``send_message`` bodies and their keyboards), the payment pages
over HTTP, and the rows a user-visible change leaves in the database. The last test runs
Telegram and Viber in one process and compares what a newcomer sees in each.
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
from tests.fakes.viber_api import FakeViberApi
from tests.support.e2e import (
    Desk,
    LiveViber,
    Screen,
    TgPerson,
    VbPerson,
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
    fake = FakeViberApi()
    await fake.start()
    desk = await open_desk(services, viber=fake)
    try:
        yield desk
    finally:
        await desk.close()
        await fake.close()


def vb(desk: Desk) -> LiveViber:
    assert desk.viber is not None
    return desk.viber


async def join_staff(desk: Desk, user_id: str, name: str) -> VbPerson:
    """A manager opens the bot in Viber and sends the invite code as a message."""
    person = vb(desk).person(user_id, name.split()[0])
    await person.open_chat()
    await person.say(await desk.invite(name))
    assert f"Welcome to the team, {name}" in person.text
    assert "Staff desk" in person.text
    return person


async def new_client(desk: Desk, user_id: str = "olena-vb+1==", name: str = "Olena") -> VbPerson:
    person = vb(desk).person(user_id, name)
    await person.open_chat()
    assert "Tourdesk Travel" in person.text
    assert person.labels() == ["Українська", "English", "Русский"]
    await person.press("English")
    assert "Language changed to English" in person.text
    await register(person, PHONE.lstrip("+"))
    return person


def only(messages: list[dict[str, object]]) -> str:
    assert len(messages) == 1, messages
    return str(messages[0]["text"])


async def test_webhook_is_registered_with_viber(desk: Desk) -> None:
    fake = vb(desk).fake
    assert fake.webhook_url == f"{desk.base_url}/webhooks/viber"
    assert fake.webhook_check_status == 200  # our endpoint accepted Viber's signed check


async def test_client_journey_request_take_relay_and_trips(desk: Desk) -> None:
    ivan = await join_staff(desk, "ivan-vb==", "Ivan Franko")
    staff = await Staff.get(name="Ivan Franko")
    assert staff.role is Role.MANAGER and staff.active
    assert await MessengerAccount.exists(
        channel="viber", external_id="ivan-vb==", staff_id=staff.id, subscribed=True
    )

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

    assert ivan.inbox() == []
    assert await desk.deliver() >= 1
    notice = only(ivan.inbox())
    assert "New tour request R-0001 from Olena (+380*****4567" in notice
    assert "Destination: Crete" in notice
    assert ivan.labels() == ["🙋 Take"]
    await ivan.press("Take")
    assert "Request R-0001 is yours" in ivan.text and PHONE in ivan.text
    request = await TourRequest.get(id=request.id)
    assert request.status is RequestStatus.TAKEN
    assert request.manager_id == staff.id  # type: ignore[attr-defined]

    await desk.deliver()
    assert "R-0001 is being handled. Manager: Ivan Franko" in only(olena.inbox())

    # Contact manager: Viber has no quoting replies, so Ivan answers with the Reply button.
    await olena.press("Contact manager")
    assert "your manager Ivan Franko" in olena.text
    await olena.say("Is the hotel near the beach?")
    assert "Sent to your manager" in olena.text
    await desk.deliver()
    relayed = only(ivan.inbox())
    assert "Message from Olena (+380*****4567" in relayed
    assert "Is the hotel near the beach?" in relayed and PHONE not in relayed
    await ivan.press("Reply")
    assert "Write your answer to Olena" in ivan.text
    await ivan.say("Yes, 50 metres from the sea.")
    assert "Sent to Olena" in ivan.text
    await desk.deliver()
    assert only(olena.inbox()) == "💬 Manager Ivan Franko:\n\nYes, 50 metres from the sea."
    client = await Client.get(phone=PHONE)
    assert client.manager_id == staff.id  # type: ignore[attr-defined]
    history = await OutboxMessage.filter(client_id=client.id, kind__startswith="relay").order_by(
        "id"
    )
    assert [(m.direction, m.kind) for m in history] == [("in", "relay-in"), ("out", "relay-answer")]

    await olena.press("Leave chat")
    assert "You left the chat" in olena.text
    await olena.press("My trips")
    assert "R-0001 · Crete — in progress, manager: Ivan Franko" in olena.text
    assert "No booked trips yet" in olena.text
    await olena.press("Find a tour")
    assert "Step 1 of 6" in olena.text


async def test_staff_session_order_payment_link_and_sandbox_payment(desk: Desk) -> None:
    ivan = await join_staff(desk, "ivan-vb==", "Ivan Franko")
    olena = await new_client(desk)

    # Viber has no command menu: the staff desk's keyboard leads to the search.
    await ivan.press("Find a client")
    assert "Send a phone number" in ivan.text
    await ivan.say("067 123 45 67")
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
    assert "Turkey, Antalya" in ivan.text and "€1,200.00" in ivan.text
    await ivan.press("Create the order")
    assert "Order T-0001 is created and the client has been told" in ivan.text
    order = await Order.get(number="T-0001")
    assert (order.price, order.currency, order.prepayment_percent) == (120_000, "EUR", 50)

    await desk.deliver()
    booked = only(olena.inbox())
    assert (
        "A trip has been booked for you: T-0001, Turkey, Antalya. Manager: Ivan Franko." in booked
    )
    assert "🧳 Open my trip" in olena.labels()

    await ivan.press("Link for the prepayment (€600.00)")
    assert "A payment link for €600.00 has been sent to the client" in ivan.text
    await desk.deliver()
    assert "Payment for T-0001 (Turkey, Antalya): €600.00" in only(olena.inbox())
    intent = await PaymentIntent.get(order_id=order.id)
    link = olena.link("Pay €600.00")
    assert link == f"{desk.base_url}/pay/{intent.token}"

    checkout = await open_checkout(desk.http, link)
    assert "Test payment (sandbox)" in checkout.page and "€600.00" in checkout.page
    status, url, page = await submit_checkout(desk.http, checkout, "Pay")
    assert (status, url) == (200, f"{link}/done")
    assert "Your payment of €600.00 has been received" in visible_text(page)
    event = await ProviderEvent.get(provider="sandbox")
    assert event.signature_valid and event.outcome == "credited"
    assert (await PaymentIntent.get(id=intent.id)).status is IntentStatus.PAID

    await desk.deliver()
    assert "Payment received: €600.00 from Olena for order T-0001" in only(ivan.inbox())
    receipt = only(olena.inbox())
    assert "Payment received: €600.00 for order T-0001" in receipt
    assert "Paid €600.00 of €1,200.00" in receipt
    assert "Left to pay: €600.00 by June 1, 2027" in receipt

    order = await Order.get(id=order.id)
    assert (order.paid, order.remaining) == (60_000, 60_000)
    await olena.say("/menu")
    await olena.press("My trips")
    assert "T-0001 · Turkey, Antalya — confirmed" in olena.text
    assert "paid €600.00" in olena.text and "Left to pay €600.00" in olena.text
    async with desk.http.get(link) as resp:
        assert "already been made" in visible_text(await resp.text())


async def test_a_client_forging_staff_buttons_gets_nothing_staff_related(desk: Desk) -> None:
    ivan = await join_staff(desk, "ivan-vb==", "Ivan Franko")
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
    audit_before = await AuditEntry.all().count()

    # A reply button sends its ActionBody as the message text: anyone can type one.
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
    for payload, answer in forged:
        await olena.press_payload(payload)
        assert answer in olena.text, (payload, olena.text)
        assert "Staff desk" not in olena.text, payload
        assert "Taras" not in olena.text and "+380509998877" not in olena.text, payload
        assert "T-0042" not in olena.text and "R-0042" not in olena.text, payload
        assert not any("Staff menu" in label for label in olena.labels()), payload
    for command in ("/find 0509998877", "/neworder", "/orders", "/order T-0042", "/staff"):
        await olena.say(command)
        assert "Staff desk" not in olena.text and "Taras" not in olena.text, command
        assert "did not understand" in olena.text, command

    request = await TourRequest.get(id=request.id)
    assert request.manager_id is None and request.status is RequestStatus.NEW  # type: ignore[attr-defined]
    assert await PaymentIntent.all().count() == 0
    assert await Order.all().count() == 1
    assert await OutboxMessage.filter(client_id=victim.id).count() == 0
    assert await AuditEntry.all().count() == audit_before  # no staff action happened
    await desk.deliver()
    assert ivan.inbox() == []


async def test_the_same_beginning_reads_the_same_in_telegram_and_viber(
    services: Services,
) -> None:
    telegram = await FakeTelegram().start()
    viber = FakeViberApi()
    await viber.start()
    desk = await open_desk(services, telegram=telegram, viber=viber)
    try:
        assert {c.name for c in desk.runtime.channels} == {"telegram", "viber"}
        in_telegram = TgPerson(telegram, 777, "Olena")
        in_viber = vb(desk).person("olena-vb+7==", "Olena")
        tg_steps: list[Screen] = []
        vb_steps: list[Screen] = []

        await in_telegram.start()
        tg_steps.append(in_telegram.screen())
        await in_viber.open_chat()
        vb_steps.append(in_viber.screen())

        await in_telegram.press("English")
        tg_steps.append(in_telegram.screen())
        await in_viber.press("English")
        vb_steps.append(in_viber.screen())

        await in_telegram.say("/menu")
        tg_steps.append(in_telegram.screen())
        await in_viber.say("/menu")
        vb_steps.append(in_viber.screen())

        await in_telegram.press("Settings")
        tg_steps.append(in_telegram.screen())
        await in_viber.press("Settings")
        vb_steps.append(in_viber.screen())
    finally:
        await desk.close()
        await telegram.close()
        await viber.close()

    for step, (tg_screen, vb_screen) in enumerate(zip(tg_steps, vb_steps, strict=True)):
        assert tg_screen == vb_screen, f"step {step} differs"
    greeting, languages = tg_steps[0]
    assert "Tourdesk Travel" in greeting and languages == ["Українська", "English", "Русский"]
    menu, buttons = tg_steps[2]
    assert "Main menu" in menu
    assert buttons == [
        "📱 Share my phone",
        "🔎 Find a tour",
        "🧳 My trips",
        "💳 Balance",
        "💬 Contact manager",
        "⚙️ Settings",
    ]
    assert "Settings" in tg_steps[3][0]
