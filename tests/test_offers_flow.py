"""Tour offers through the real router (a recording chat, no messenger): a manager builds
options by paste and step by step, refused lines change nothing, the client chooses once, the
other options close, expiry closes the rest, and the request's card shows the history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.delivery import reply_from_json
from core.jobs import JobRunner
from core.payloads import encode
from core.services import Services
from handlers.router import Router
from storage.models import (
    IntentStatus,
    OfferStatus,
    Order,
    OrderStatus,
    OutboxMessage,
    PaymentIntent,
    RequestStatus,
    Role,
    Staff,
    TourOffer,
    TourRequest,
)
from tests.support.chat import RecordingChat, chat_for
from tests.support.factories import make_client, make_staff

RIXOS = "Rixos Premium 5* | TR Belek | 12.06–19.06 | 7n | DBL | AI | 45000 UAH | Coral"
SUNRISE = (
    "Sunrise Garden 4* | Egypt, Hurghada | 14.06-21.06 | 7 | Family room | HB | 1200 EUR | "
    "Join Up | https://joinup.example/t/9 | https://img.example/sunrise.jpg"
)


@pytest.fixture
async def world(services: Services, router: Router) -> tuple[RecordingChat, RecordingChat, Staff]:
    services.settings.payments.sandbox = True
    services.settings.web.public_url = "https://desk.example"
    manager, _ = await make_staff(Role.MANAGER, "m1", name="Iryna Koval")
    client = await make_client("+380671234567", "Olena", user_id="c1", manager=manager)
    await TourRequest.create(
        number="R-0001",
        client=client,
        manager=manager,
        destination="Turkey",
        status=RequestStatus.TAKEN,
    )
    return chat_for(services, router, "m1"), chat_for(services, router, "c1"), manager


async def open_builder(staff_chat: RecordingChat) -> None:
    await staff_chat.say("/request R-0001")
    assert "Request R-0001 · Olena" in staff_chat.text
    assert "Status: in progress · Manager: Iryna Koval" in staff_chat.text
    await staff_chat.press("Build options")
    assert "Options for request R-0001: 0 of 5" in staff_chat.text
    assert "hotel [stars*] | country resort | dates" in staff_chat.text  # the format hint


async def send_two(staff_chat: RecordingChat) -> list[TourOffer]:
    await open_builder(staff_chat)
    await staff_chat.say(f"{RIXOS}\n{SUNRISE}")
    assert "2 options added." in staff_chat.text
    await staff_chat.press("Send 2 options")
    assert "2 options have been sent to Olena for request R-0001" in staff_chat.text
    return await TourOffer.all().order_by("position")


async def client_messages(kind: str) -> list[OutboxMessage]:
    return await OutboxMessage.filter(kind=kind).order_by("id")


async def test_paste_refuses_a_bad_field_by_name_and_changes_nothing(
    world: tuple[RecordingChat, RecordingChat, Staff],
) -> None:
    staff_chat, _, _ = world
    await open_builder(staff_chat)
    await staff_chat.say(RIXOS)
    assert "Option added." in staff_chat.text
    assert "1. Rixos Premium ★★★★★ · Belek, TR" in staff_chat.text
    for line, problem in (
        (RIXOS.replace("12.06–19.06", "June"), "Field 3 (dates): type the check-in and check-out"),
        (RIXOS.replace("7n", "9n"), "Field 4 (nights): 9 nights do not fit"),
        (RIXOS.replace("| AI |", "| XX |"), "Field 6 (meal): type one of RO, BB, HB, FB, AI, UAI"),
        (RIXOS.replace("45000 UAH", "lots"), "Field 7 (price)"),
        (RIXOS + " | ftp://x", "Field 9 (link): a link must start with http"),
        ("Rixos | TR Belek | 12.06–19.06", "I found 3 fields, but an option needs at least 8"),
        (f"{RIXOS}\n{RIXOS.replace('Coral', '')}", "Line 2:\nField 8 (tour operator)"),
    ):
        await staff_chat.say(line)
        assert problem in staff_chat.text, (line, staff_chat.text)
        assert "Nothing was added" in staff_chat.text
        assert "Options for request R-0001: 1 of 5" in staff_chat.text
    assert await TourOffer.all().count() == 0  # nothing is stored before Send


async def test_wizard_builds_an_option_step_by_step(
    world: tuple[RecordingChat, RecordingChat, Staff], services: Services
) -> None:
    staff_chat, _, _ = world
    await open_builder(staff_chat)
    await staff_chat.press("Step by step")
    assert "Step 1 of 10" in staff_chat.text and "Hotel?" in staff_chat.text
    await staff_chat.say("Titanic Deluxe 5*")
    await staff_chat.say("Turkey, Lara")
    assert "Dates of the stay?" in staff_chat.text
    await staff_chat.say("31.02-05.03")
    assert "I could not read" in staff_chat.text or "check-in" in staff_chat.text
    await staff_chat.say("10.07-17.07")
    assert "How many nights?" in staff_chat.text
    await staff_chat.press("7")
    await staff_chat.say("DBL Sea View")
    await staff_chat.press("UAI")
    await staff_chat.say("2 100 EUR")
    await staff_chat.say("Anex")
    await staff_chat.press("Skip")
    await staff_chat.say("https://img.example/titanic.png")
    summary = staff_chat.text
    assert "Hotel: Titanic Deluxe ★★★★★" in summary and "Where: Lara, Turkey" in summary
    assert "Meal: ultra all inclusive" in summary and "Price: €2,100.00" in summary
    assert "Link: —" in summary
    await staff_chat.press("Add the option")
    assert "Option added." in staff_chat.text
    assert "1. Titanic Deluxe ★★★★★ · Lara, Turkey" in staff_chat.text
    # Cancel inside the wizard returns to the builder, the list intact.
    await staff_chat.press("Step by step")
    await staff_chat.say("cancel")
    assert "The option was not added." in staff_chat.text
    assert "Options for request R-0001: 1 of 5" in staff_chat.text
    await staff_chat.press("Send the option")
    [offer] = await TourOffer.all()
    assert (offer.hotel, offer.stars, offer.country, offer.resort) == (
        "Titanic Deluxe",
        5,
        "Turkey",
        "Lara",
    )
    assert (offer.start_date, offer.end_date, offer.nights) == (
        date(2027, 7, 10),
        date(2027, 7, 17),
        7,
    )
    assert (offer.meal, offer.price, offer.currency, offer.operator) == (
        "UAI",
        210_000,
        "EUR",
        "Anex",
    )
    assert offer.photo == "https://img.example/titanic.png" and offer.link is None


async def test_choose_books_once_closes_the_rest_and_offers_the_prepayment(
    world: tuple[RecordingChat, RecordingChat, Staff],
) -> None:
    staff_chat, client_chat, manager = world
    rixos, sunrise = await send_two(staff_chat)

    cards = await client_messages("offer-card")
    assert len(cards) == 2
    first = reply_from_json(cards[0].body)
    assert "1. 🏨 Rixos Premium ★★★★★" in first.text and "7 nights" in first.text
    assert "Tour operator: Coral" in first.text
    assert [b.label for b in first.all_buttons()] == ["✅ Choose option 1", "❓ Ask a question"]
    second = reply_from_json(cards[1].body)
    assert second.media is not None and second.media.file_ref == "https://img.example/sunrise.jpg"
    assert "🔗 Details" in [b.label for b in second.all_buttons()]
    [pick] = await client_messages("offer-pick")
    assert [b.label for b in reply_from_json(pick.body).all_buttons()] == [
        "✅ Choose option 1",
        "✅ Choose option 2",
        "❓ Ask a question",
    ]

    await client_chat.press_payload(encode("ofr", sunrise.id))
    assert "Sunrise Garden is booked for you: order T-0001, €1,200.00" in client_chat.text
    assert "prepayment of €360.00" in client_chat.text
    order = await Order.get(number="T-0001")
    assert order.manager_id == manager.id  # type: ignore[attr-defined]
    assert (order.supplier, order.destination, order.country) == (
        "Join Up",
        "Hurghada, Egypt",
        None,
    )
    assert (order.departure_date, order.return_date) == (date(2027, 6, 14), date(2027, 6, 21))
    assert (order.price, order.currency, order.status) == (120_000, "EUR", OrderStatus.BOOKED)
    intent = await PaymentIntent.get(order_id=order.id)
    assert intent.status is IntentStatus.PENDING and intent.amount == 36_000
    [link] = [b for b in client_chat.buttons() if "Pay" in b.label]
    assert link.url == f"https://desk.example/pay/{intent.token}"  # type: ignore[union-attr]

    await staff_chat.say("/order T-0001")
    assert "Tour operator: Join Up" in staff_chat.text and "Iryna Koval" in staff_chat.text
    assert (await TourOffer.get(id=sunrise.id)).status is OfferStatus.CHOSEN
    assert (await TourOffer.get(id=rixos.id)).status is OfferStatus.CLOSED
    assert (await TourRequest.get(number="R-0001")).status is RequestStatus.CLOSED

    # A second press, and the other option: clear answers, nothing new.
    await client_chat.press_payload(encode("ofr", sunrise.id))
    assert "You have already chosen this option: it is order T-0001" in client_chat.text
    await client_chat.press_payload(encode("ofr", rixos.id))
    assert "Another option of this offer has already been chosen" in client_chat.text
    await client_chat.press_payload(encode("ofr", 999))
    assert "This offer was not found" in client_chat.text
    assert await Order.all().count() == 1 and await PaymentIntent.all().count() == 1

    [notice] = await client_messages("offer-chosen")
    assert notice.staff_id == manager.id  # type: ignore[attr-defined]
    assert "chose option 2 (Sunrise Garden) for request R-0001. Order T-0001" in (
        reply_from_json(notice.body).text
    )
    await staff_chat.press_payload(encode("srk", (await TourRequest.get(number="R-0001")).id))
    card = staff_chat.text
    assert "Status: closed" in card
    assert "1. Rixos Premium ★★★★★ · Belek, TR" in card and "— closed" in card
    assert "— chosen" in card
    assert "2 options sent" in card and "option 2 (Sunrise Garden) chosen: order T-0001" in card
    assert "Build options" not in staff_chat.labels()


async def test_a_client_cannot_choose_someone_elses_offer(
    world: tuple[RecordingChat, RecordingChat, Staff], services: Services, router: Router
) -> None:
    staff_chat, _, _ = world
    rixos, _ = await send_two(staff_chat)
    await make_client("+380501112233", "Taras", user_id="c2")
    stranger = chat_for(services, router, "c2")
    await stranger.press_payload(encode("ofr", rixos.id))
    assert "This offer was not found" in stranger.text
    assert await Order.all().count() == 0
    assert (await TourOffer.get(id=rixos.id)).status is OfferStatus.OPEN


async def test_a_question_reaches_the_manager_through_the_relay(
    world: tuple[RecordingChat, RecordingChat, Staff],
) -> None:
    staff_chat, client_chat, manager = world
    rixos, _ = await send_two(staff_chat)
    await client_chat.press_payload(encode("ofq", rixos.id))
    assert "Write your question about option 1 (Rixos Premium)" in client_chat.text
    await client_chat.say("Is there a kids club?")
    assert "Sent to your manager" in client_chat.text
    [notice] = await client_messages("offer-question")
    assert "has a question about option 1 (Rixos Premium) of request R-0001" in (
        reply_from_json(notice.body).text
    )
    assert notice.meta["relay_client"] == (await TourOffer.get(id=rixos.id)).client_id  # type: ignore[attr-defined]
    [relayed] = await client_messages("relay")
    assert relayed.staff_id == manager.id  # type: ignore[attr-defined]
    assert "Is there a kids club?" in reply_from_json(relayed.body).text
    await staff_chat.say("/request R-0001")
    assert "question about option 1 (Rixos Premium)" in staff_chat.text


async def test_options_expire_by_the_job_and_a_late_choice_changes_nothing(
    world: tuple[RecordingChat, RecordingChat, Staff], services: Services
) -> None:
    staff_chat, client_chat, _ = world
    rixos, sunrise = await send_two(staff_chat)
    assert rixos.expires_at == services.clock.now() + timedelta(days=3)
    runner = JobRunner(services.jobs, "test")
    await runner.drain()
    assert (await TourOffer.get(id=rixos.id)).status is OfferStatus.OPEN  # not yet due

    services.clock.advance(timedelta(days=3, seconds=1))  # type: ignore[attr-defined]
    # The job has not run yet, but a choice after the deadline is already refused.
    await client_chat.press_payload(encode("ofr", rixos.id))
    assert "This offer has expired" in client_chat.text
    await runner.drain()
    assert {o.status for o in await TourOffer.all()} == {OfferStatus.EXPIRED}
    await client_chat.press_payload(encode("ofr", sunrise.id))
    assert "This offer has expired" in client_chat.text
    assert await Order.all().count() == 0
    [told] = await client_messages("offer-expired")
    assert "The options for your request R-0001 have expired" in reply_from_json(told.body).text
    [staff_told] = await client_messages("offer-expired-staff")
    assert "expired without a choice" in reply_from_json(staff_told.body).text
    await staff_chat.say("/request R-0001")
    assert "options expired" in staff_chat.text and "— expired" in staff_chat.text


async def test_a_new_round_closes_the_old_one(
    world: tuple[RecordingChat, RecordingChat, Staff],
) -> None:
    staff_chat, client_chat, _ = world
    old, _ = await send_two(staff_chat)
    await open_builder(staff_chat)
    await staff_chat.say(RIXOS.replace("45000", "43000"))
    await staff_chat.press("Send the option")
    [fresh] = await TourOffer.filter(round=2)
    assert (await TourOffer.get(id=old.id)).status is OfferStatus.CLOSED
    await client_chat.press_payload(encode("ofr", old.id))
    assert "no longer valid" in client_chat.text
    await client_chat.press_payload(encode("ofr", fresh.id))
    assert "order T-0001" in client_chat.text
