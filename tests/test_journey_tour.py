"""The tour request wizard, step by step, as a client sees it; and the request reaching staff."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from bots.app import build_services
from core import tour_requests as tr
from core.clock import ManualClock
from core.contract import Button, Kind
from core.delivery import reply_from_json
from core.payloads import encode
from core.rules import Rules
from core.services import Services
from core.settings import Settings
from handlers import build_router
from handlers.router import Router
from storage.models import (
    Client,
    Counter,
    MessengerAccount,
    OutboxMessage,
    RequestStatus,
    Role,
    TourRequest,
)
from tests.support.channels import Channel
from tests.support.chat import RecordingChat
from tests.support.journeys import (
    button_payload,
    press_exact,
    register,
    rows_for,
    send_kind,
    staff_chat,
)


def step(n: int) -> str:
    return f"Step {n} of 6"


async def to_budget(chat: RecordingChat) -> None:
    await chat.press("Find a tour")
    await chat.press("Turkey")
    await chat.press("March 2027")
    await chat.press("6–8")
    await press_exact(chat, "2")
    await press_exact(chat, "0")


async def fill_wizard(chat: RecordingChat) -> None:
    await to_budget(chat)
    await chat.press("No limit")
    await chat.press("Skip")


async def test_full_wizard_with_bad_input_at_every_step(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    _, manager_account, _ = await staff_chat(services, router, "Ivan")
    _, admin_account, _ = await staff_chat(services, router, "Anna", role=Role.ADMIN)
    _, accountant_account, _ = await staff_chat(services, router, "Petro", role=Role.ACCOUNTANT)
    _, revoked_account, _ = await staff_chat(services, router, "Old", active=False)
    client = await register(chat)

    await chat.press("Find a tour")
    assert step(1) in chat.text and "Where would you like to go?" in chat.text
    assert {"Egypt", "Turkey", "Spain", "Greece", "Montenegro", "UAE"} <= set(chat.labels())
    for bad in ("x", "12345", "y" * 65):
        await chat.say(bad)
        assert "Please type a destination of 2 to 64 characters" in chat.text
        assert step(1) in chat.text
    await chat.say("  Crete   island ")

    assert step(2) in chat.text
    # months from the clock's today (2026-11-23 in Kyiv) for twelve months, plus flexible
    assert "November 2026" in chat.labels() and "October 2027" in chat.labels()
    assert "November 2027" not in chat.labels() and "🤷 Flexible dates" in chat.labels()
    for bad, hint in (
        ("next summer", "could not read the dates"),
        ("32.13–01.01", "could not read the dates"),
        ("01.01.2020 - 05.01.2020", "in the past"),
        ("2026-11-20 - 2026-11-30", "in the past"),
        ("20.03-12.03", "end date must be after"),
        ("2027-03-12 - 2027-03-12", "end date must be after"),
        ("2030-01-01 - 2030-01-10", "two years ahead"),
    ):
        await chat.say(bad)
        assert hint in chat.text, bad
        assert step(2) in chat.text
    await chat.say("12.03–20.03")

    assert step(3) in chat.text and chat.labels()[:4] == [
        "3–5 nights",
        "6–8 nights",
        "9–12 nights",
        "13 nights or more",
    ]
    for bad in ("0", "31", "10-7", "a week", "5-40"):
        await chat.say(bad)
        assert "number of nights from 1 to 30" in chat.text, bad
        assert step(3) in chat.text
    await chat.say("7-10")

    assert step(4) in chat.text and "How many adults" in chat.text
    for bad in ("0", "10", "two"):
        await chat.say(bad)
        assert "choose from 1 to 9 adults" in chat.text
    await press_exact(chat, "2")
    assert "How many children" in chat.text
    for bad in ("7", "-1", "some"):
        await chat.say(bad)
        assert "from 0 to 6 children" in chat.text
    await press_exact(chat, "2")
    assert "How old is child 1 of 2?" in chat.text
    for bad in ("18", "baby"):
        await chat.say(bad)
        assert "age as a number from 0 to 17" in chat.text
        assert "child 1 of 2" in chat.text
    await chat.say("5")
    assert "How old is child 2 of 2?" in chat.text
    await press_exact(chat, "9")

    assert step(5) in chat.text and "Type the amount in UAH" in chat.text
    assert "✅ UAH" in chat.labels() and "USD" in chat.labels() and "EUR" in chat.labels()
    for bad, hint in (
        ("a lot", "type the budget as a number"),
        ("0", "must be above zero"),
        ("-5", "must be above zero"),
        ("1.234", "type the budget as a number"),
    ):
        await chat.say(bad)
        assert hint in chat.text, bad
        assert step(5) in chat.text
    await chat.press("EUR")
    assert "Type the amount in EUR" in chat.text and "✅ EUR" in chat.labels()
    await chat.say("1500")

    assert step(6) in chat.text and "Any wishes?" in chat.text
    await chat.say("w" * 1001)
    assert "within 1,000 characters" in chat.text and step(6) in chat.text
    await chat.say("Sea view, quiet hotel")

    summary = chat.text
    assert "Please check your request" in summary
    assert "Destination: Crete island" in summary
    assert "When: March 12, 2027 – March 20, 2027" in summary
    assert "Length: 7–10 nights" in summary
    assert "Travellers: 2 adults, 2 children (ages 5, 9)" in summary
    assert "Budget: €1,500.00" in summary
    assert "Wishes: Sea view, quiet hotel" in summary
    await chat.say("hello?")
    assert "use the buttons" in chat.text and "Please check your request" in chat.text

    await chat.press("Send the request")
    assert "Your request R-0001 is received" in chat.text
    assert "Main menu" in chat.text

    request = await TourRequest.get(number="R-0001")
    assert request.client_id == client.id  # type: ignore[attr-defined]
    assert request.destination == "Crete island"
    assert request.when == {"from": "2027-03-12", "to": "2027-03-20"}
    assert (request.nights_min, request.nights_max) == (7, 10)
    assert request.adults == 2 and request.children_ages == [5, 9]
    assert (request.budget_amount, request.budget_currency) == (150000, "EUR")
    assert request.wishes == "Sea view, quiet hotel"
    assert request.status == RequestStatus.NEW and request.manager_id is None  # type: ignore[attr-defined]

    for account in (manager_account, admin_account):
        (row,) = await rows_for(account, kind="tour-request")
        text = row.body["text"]
        assert "New tour request R-0001 from Olena (+380*****4567, client #" in text
        assert "Crete island" in text and "Travellers: 2 adults, 2 children" in text
        assert button_payload(row, "Take") == encode("take", request.id)
    assert await rows_for(accountant_account) == []
    assert await rows_for(revoked_account) == []

    # the wizard is finished: its old buttons are out of date, "Find a tour" starts afresh
    await chat.press_payload(encode("tw", "confirm"))
    assert "out of date" in chat.text
    assert await TourRequest.all().count() == 1
    await chat.press("Find a tour")
    assert step(1) in chat.text and "unfinished" not in chat.text


async def test_month_flexible_buttons_and_typed_variants(chat: RecordingChat) -> None:
    await register(chat)
    await chat.press("Find a tour")
    await chat.press("Egypt")
    await chat.press("Flexible dates")
    await chat.press("13 nights or more")
    await chat.say("1")
    await chat.say("0")
    await chat.say("$2 000")
    await chat.press("Skip")
    assert "When: flexible dates" in chat.text
    assert "Length: 13 nights or more" in chat.text
    assert "Travellers: 1 adult" in chat.text and "children" not in chat.text
    assert "Budget: $2,000.00" in chat.text
    assert "Wishes: —" in chat.text
    await chat.press("Change something")
    await chat.press("Dates")
    await chat.press("January 2027")
    assert "When: January 2027" in chat.text  # back at the summary
    await chat.press("Change something")
    await chat.press("Dates")
    # over the new year; 13 nights fit (an 8-night range is refused against "13 or more")
    await chat.say("28.12-10.01")
    assert "When: December 28, 2026 – January 10, 2027" in chat.text
    await chat.press("Send")
    request = await TourRequest.get()
    assert request.when == {"from": "2026-12-28", "to": "2027-01-10"}
    assert (request.nights_min, request.nights_max) == (13, None)
    assert (request.budget_amount, request.budget_currency) == (200000, "USD")
    assert request.wishes == ""


async def test_edit_travellers_then_back_to_summary(chat: RecordingChat) -> None:
    await register(chat)
    await fill_wizard(chat)
    assert "Travellers: 2 adults" in chat.text
    await chat.press("Change something")
    assert "What would you like to change?" in chat.text
    await chat.press("Travellers")
    assert "How many adults" in chat.text
    await press_exact(chat, "3")
    await press_exact(chat, "1")
    await chat.say("4")
    assert "Travellers: 3 adults, 1 child (age 4)" in chat.text
    await chat.press("Change something")
    await chat.press("Budget")
    await chat.say("45000")
    assert "Budget: UAH\xa045,000.00" in chat.text
    await chat.press("Change something")
    await chat.press("Wishes")
    await chat.press("Back")  # back from the edited step returns to the summary
    assert "Please check your request" in chat.text
    await chat.press("Send")
    request = await TourRequest.get()
    assert request.adults == 3 and request.children_ages == [4]
    assert (request.budget_amount, request.budget_currency) == (4500000, "UAH")


async def test_back_walks_to_the_previous_question(chat: RecordingChat) -> None:
    await register(chat)
    await chat.press("Find a tour")
    await chat.press("Spain")
    await chat.press("May 2027")
    await chat.press("9–12")
    await press_exact(chat, "2")
    await press_exact(chat, "2")
    await press_exact(chat, "7")  # child 1
    assert "child 2 of 2" in chat.text
    await chat.press("Back")
    assert "child 1 of 2" in chat.text
    await chat.press("Back")
    assert "How many children" in chat.text
    await press_exact(chat, "1")
    await press_exact(chat, "3")
    assert step(5) in chat.text
    await chat.press("Back")
    assert "How old is child 1 of 1?" in chat.text
    await press_exact(chat, "4")
    await chat.press("No limit")
    await chat.press("Skip")
    assert "Please check your request" in chat.text
    await chat.press("Change something")
    await chat.press("Back")
    assert "Please check your request" in chat.text
    await chat.press("Back")
    assert step(6) in chat.text
    await chat.press("Back")
    assert step(5) in chat.text
    await chat.press("Back")
    assert "child 1 of 1" in chat.text
    await chat.press("Back")
    await chat.press("Back")
    assert "How many adults" in chat.text
    await chat.press("Back")
    assert step(3) in chat.text
    await chat.press("Back")
    assert step(2) in chat.text
    await chat.press("Back")
    assert step(1) in chat.text
    await chat.press("Back")  # leaving from the first question keeps the answers
    assert "Your answers are kept" in chat.text and "Main menu" in chat.text
    await chat.press("Find a tour")
    assert "unfinished tour request" in chat.text and "Destination: Spain" in chat.text
    await chat.press("Continue")
    assert step(1) in chat.text


async def test_cancel_at_every_step_saves_nothing(chat: RecordingChat) -> None:
    await register(chat)
    path = ["Turkey", "March 2027", "6–8", "2", "1", "5", "No limit", "Skip"]
    for depth in range(len(path) + 1):
        await chat.press("Find a tour")
        if "unfinished" in chat.text:
            await chat.press("Start over")
        for label in path[:depth]:
            await (press_exact(chat, label) if label.isdigit() else chat.press(label))
        await chat.press("Cancel")
        assert "cancelled; nothing was sent" in chat.text and "Main menu" in chat.text, depth
        await chat.press("Find a tour")
        assert step(1) in chat.text and "unfinished" not in chat.text
        await chat.press("Cancel")
    assert await TourRequest.all().count() == 0
    assert await OutboxMessage.filter(kind="tour-request").count() == 0


async def test_stale_and_foreign_buttons_repeat_the_question(chat: RecordingChat) -> None:
    await register(chat)
    await chat.press("Find a tour")
    await chat.press_payload(encode("tw", "nights", "1"))  # a button of another step
    assert "belongs to another question" in chat.text and step(1) in chat.text
    await chat.press_payload(encode("tw", "dest", "99"))  # not one of the offered buttons
    assert "belongs to another question" in chat.text and step(1) in chat.text
    await chat.press("Greece")
    await chat.press_payload(encode("tw", "month", "2020-01"))  # a month no longer offered
    assert "belongs to another question" in chat.text and step(2) in chat.text
    await send_kind(chat, Kind.LOCATION, location=(50.4, 30.5))
    assert "type your answer" in chat.text and step(2) in chat.text


async def test_phone_is_asked_first_then_the_wizard_goes_on(chat: RecordingChat) -> None:
    await chat.start("summer_ads")
    await chat.press("English")
    await chat.press("Find a tour")
    assert "we need your phone number" in chat.text and chat.last[-1].request_phone
    await chat.share_phone("+380501112233")
    assert "Offers" in chat.text or "special offers" in chat.text
    await chat.press("No, thanks")
    assert step(1) in chat.text and "Where would you like to go?" in chat.text
    client = await Client.get(phone="+380501112233")
    assert client.lead_source == "summer_ads" and client.marketing_consent is False
    await chat.press("UAE")
    assert step(2) in chat.text


async def test_phone_then_wizard_for_a_known_client(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    await Client.create(phone="+380501112233", first_name="Olena", marketing_consent=True)
    await chat.start()
    await chat.press("English")
    await chat.press("Find a tour")
    await chat.share_phone("+380501112233", own=True)  # the messenger vouches it is theirs
    assert "We found your profile" in chat.text and step(1) in chat.text


async def new_session(settings: Settings, rules: Rules, clock: ManualClock) -> RecordingChat:
    """What a restart looks like: new services and router on the same database."""
    services = await build_services(settings, rules, clock=clock)
    return RecordingChat(services, build_router())


async def test_wizard_survives_a_restart(
    chat: RecordingChat, settings: Settings, rules: Rules, clock: ManualClock
) -> None:
    await register(chat)
    await chat.press("Find a tour")
    await chat.press("Montenegro")
    await chat.say("2027-06-01 - 2027-06-10")
    assert step(3) in chat.text

    after_restart = await new_session(settings, rules, clock)
    await after_restart.say("9")  # the state continues: this answers the nights question
    assert "How many adults" in after_restart.text
    await after_restart.press_payload(encode("tw", "adults", "2"))
    assert "How many children" in after_restart.text

    # the client goes away for a day; typing now offers to continue or start over
    clock.advance(timedelta(days=1))
    again = await new_session(settings, rules, clock)
    await again.say("1")
    assert "unfinished tour request" in again.text and "Destination: Montenegro" in again.text
    assert "Length: 9 nights" in again.text
    await again.say("whatever")
    assert "use the buttons" in again.text and "Continue" in " ".join(again.labels())
    await again.press("Continue")
    assert "How many children" in again.text
    await press_exact(again, "0")
    await again.press("No limit")
    await again.press("Skip")
    await again.press("Send")
    request = await TourRequest.get()
    assert request.destination == "ME"  # a country is kept as its ISO code
    assert request.when == {"from": "2027-06-01", "to": "2027-06-10"}
    assert (request.nights_min, request.nights_max) == (9, 9)
    if services_redis := again.services.redis:
        await services_redis.aclose()


async def test_menu_and_restart_keep_the_draft_start_over_clears_it(
    chat: RecordingChat, settings: Settings, rules: Rules, clock: ManualClock
) -> None:
    await register(chat)
    await chat.press("Find a tour")
    await chat.press("Turkey")
    await chat.start()  # /start in the middle of the wizard
    await chat.press("Find a tour")
    assert "unfinished tour request" in chat.text and "Destination: Turkey" in chat.text
    await chat.press("Continue")
    assert step(2) in chat.text
    await chat.press("Cancel")
    await chat.press("Find a tour")
    await chat.press("Spain")

    after_restart = await new_session(settings, rules, clock)
    await after_restart.press_payload(encode("tour"))  # "Find a tour" of an old menu
    assert "Destination: Spain" in after_restart.text
    await after_restart.press("Start over")
    assert step(1) in after_restart.text
    await after_restart.press("Back")
    await after_restart.press("Find a tour")
    assert "unfinished" not in after_restart.text
    if after_restart.services.redis:
        await after_restart.services.redis.aclose()


async def test_request_numbers_are_sequential_and_race_free(
    services: Services, router: Router
) -> None:
    chats = [RecordingChat(services, router, user_id=f"c{i}") for i in range(4)]
    for i, c in enumerate(chats):
        await register(c, phone=f"+38067123450{i}")
        await fill_wizard(c)
    await asyncio.gather(*(c.press("Send") for c in chats))
    numbers = sorted(r.number for r in await TourRequest.all())
    assert numbers == ["R-0001", "R-0002", "R-0003", "R-0004"]
    assert (await Counter.get(name="request")).value == 4
    told = sorted(n for c in chats for n in numbers if n in c.text)
    assert told == numbers


async def test_staff_take_the_first_one_wins(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    _, _, ivan_chat = await staff_chat(services, router, "Ivan")
    _, _, anna_chat = await staff_chat(services, router, "Anna", role=Role.ADMIN)
    client = await register(chat)
    client_account = await MessengerAccount.get(client_id=client.id)
    await fill_wizard(chat)
    await chat.press("Send")
    request = await TourRequest.get()
    take = encode("take", request.id)

    await asyncio.gather(ivan_chat.press_payload(take), anna_chat.press_payload(take))
    winners = [c for c in (ivan_chat, anna_chat) if "is yours" in c.text]
    losers = [c for c in (ivan_chat, anna_chat) if "already being handled" in c.text]
    assert len(winners) == 1 and len(losers) == 1
    request = await TourRequest.get(id=request.id).prefetch_related("manager")
    assert request.status == RequestStatus.TAKEN and request.manager is not None
    assert request.manager.name == winners[0].name
    assert f"already being handled: {winners[0].name}" in losers[0].text
    assert "+380671234567" in winners[0].text  # the full phone goes to the one who took it
    assert "Reply" in " ".join(winners[0].labels())
    await client.refresh_from_db()
    assert client.manager_id == request.manager.id  # type: ignore[attr-defined]

    (told,) = await rows_for(client_account, kind="request-taken")
    assert f"being handled. Manager: {winners[0].name}" in told.body["text"]
    assert "R-0001" in told.body["text"]

    # pressing again changes nothing and tells nothing new to the client
    await losers[0].press_payload(take)
    assert "already being handled" in losers[0].text
    assert len(await rows_for(client_account, kind="request-taken")) == 1


async def test_forged_take_from_a_client_or_accountant_gets_nothing(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    _, _, accountant = await staff_chat(services, router, "Petro", role=Role.ACCOUNTANT)
    _, _, revoked = await staff_chat(services, router, "Old", active=False)
    await register(chat)
    await fill_wizard(chat)
    await chat.press("Send")
    request = await TourRequest.get()
    take = encode("take", request.id)

    await chat.press_payload(take)
    assert "out of date" in chat.text and "is yours" not in chat.text
    await accountant.press_payload(take)
    assert "Only managers and admins can take requests" in accountant.text
    await revoked.press_payload(take)
    assert "is yours" not in revoked.text
    await chat.press_payload(encode("take", "abc"))
    request = await TourRequest.get(id=request.id)
    assert request.manager_id is None and request.status == RequestStatus.NEW  # type: ignore[attr-defined]
    assert await OutboxMessage.filter(kind="request-taken").count() == 0


async def test_take_of_a_missing_request(services: Services, router: Router) -> None:
    _, _, ivan = await staff_chat(services, router, "Ivan")
    await ivan.press_payload(encode("take", 999))
    assert "does not exist" in ivan.text


async def test_staff_notice_in_the_staff_members_language(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    _, account, _ = await staff_chat(services, router, "Oksana", locale="uk")
    _, ru_account, _ = await staff_chat(services, router, "Oleg", locale="ru")
    await register(chat)
    await to_budget(chat)
    await chat.say("30000")
    await chat.press("Skip")
    await chat.press("Send")
    (row,) = await rows_for(account, kind="tour-request")
    assert "Нова заявка на тур R-0001" in row.body["text"]
    assert "Березень 2027" in row.body["text"]
    assert "30\xa0000,00\xa0₴" in row.body["text"]
    assert reply_from_json(row.body).all_buttons()[0].label == "🙋 Взяти"
    (ru_row,) = await rows_for(ru_account, kind="tour-request")
    assert "Новая заявка на тур R-0001" in ru_row.body["text"]
    assert "2 взрослых" in ru_row.body["text"]


async def test_wizard_in_ukrainian_with_plurals(services: Services, router: Router) -> None:
    chat = RecordingChat(services, router, language="uk", channel=Channel.TELEGRAM)
    await register(chat, language="Українська")
    await chat.press("Підібрати тур")
    assert "Крок 1 з 6" in chat.text
    assert {"Туреччина", "Єгипет", "ОАЕ"} <= set(chat.labels())  # popular, localised
    await chat.press("Туреччина")
    assert "Березень 2027" in chat.labels()
    await chat.say("01.01.2020-10.01.2020")
    assert "Ці дати вже минули" in chat.text
    await chat.press("Гнучкі дати")
    await chat.say("5")
    await press_exact(chat, "1")
    await press_exact(chat, "3")
    for age in ("2", "4", "6"):
        await chat.say(age)
    await chat.press("Без обмежень")
    await chat.press("Пропустити")
    assert "📍 Напрямок: Туреччина" in chat.text and "🌙 Тривалість: 5 ночей" in chat.text
    assert "Ночей:" not in chat.text and "1 дорослий, 3 дитини (вік 2, 4, 6)" in chat.text
    await chat.press("Надіслати")
    assert "Заявку R-0001 отримано" in chat.text
    assert (await TourRequest.get()).destination == "TR"  # the stored value stays stable


async def test_double_tap_on_send_makes_one_request(
    chat: RecordingChat, services: Services, router: Router
) -> None:
    _, manager_account, _ = await staff_chat(services, router, "Ivan")
    await register(chat)
    await fill_wizard(chat)
    send = next(b for b in chat.buttons() if "Send the request" in b.label)
    assert isinstance(send, Button)
    await asyncio.gather(chat.press_payload(send.payload), chat.press_payload(send.payload))
    assert await TourRequest.all().count() == 1
    assert len(await rows_for(manager_account, kind="tour-request")) == 1
    texts = "\n".join(r.text for answer in chat.history[-2:] for r in answer)
    assert "R-0001 is received" in texts
    # a retried update of the same tap, later: nothing new either
    await chat.press_payload(send.payload)
    assert await TourRequest.all().count() == 1
    await fill_wizard(chat)  # a new draft is a new request, numbered without a gap
    await chat.press("Send the request")
    assert "R-0002 is received" in chat.text


async def test_same_draft_confirmed_twice_uses_no_second_number(services: Services) -> None:
    client = await Client.create(phone="+380671234567")
    draft = tr.Draft(
        destination="Egypt",
        when={},
        nights=(7, 7),
        adults=2,
        children=0,
        budget=(None, None),
        wishes="",
    )
    first = await tr.create_request(services, client, draft, token="c1:abc")
    with pytest.raises(tr.AlreadySent):
        await tr.create_request(services, client, draft, token="c1:abc")
    results = await asyncio.gather(
        tr.create_request(services, client, draft, token="c1:def"),
        tr.create_request(services, client, draft, token="c1:def"),
        return_exceptions=True,
    )
    assert sum(isinstance(r, tr.AlreadySent) for r in results) == 1
    assert first.number == "R-0001"
    assert sorted(r.number for r in await TourRequest.all()) == ["R-0001", "R-0002"]
    assert (await Counter.get(name="request")).value == 2
