"""Typing into the tour wizard as people do (issue 16): ranges and month names in three
languages, nights in words, dates checked against nights, a budget ceiling, a typed Cancel."""

from __future__ import annotations

from bots.app import build_services
from core.clock import ManualClock
from core.rules import Rules, TourRequests
from core.services import Services
from core.settings import Settings
from handlers import build_router
from handlers.router import Router
from storage.models import OutboxMessage, TourRequest
from tests.support.channels import Channel
from tests.support.chat import RecordingChat
from tests.support.journeys import press_exact, register


async def test_typed_cancel_at_any_step_cancels_instead_of_answering(chat: RecordingChat) -> None:
    await register(chat)
    await chat.press("Find a tour")
    await chat.say("Cancel")  # used to become the destination
    assert "cancelled; nothing was sent" in chat.text and "Main menu" in chat.text
    await chat.press("Find a tour")
    assert "Step 1 of 6" in chat.text and "unfinished" not in chat.text
    for typed, depth in (("CANCEL", 1), ("✖️ cancel", 3), ("Отмена", 5), ("скасувати", 7)):
        path = ["Turkey", "March 2027", "6–8", "2", "0", "No limit", "Skip"][:depth]
        for label in path:
            await (press_exact(chat, label) if label.isdigit() else chat.press(label))
        await chat.say(typed)
        assert "cancelled; nothing was sent" in chat.text, typed
        await chat.press("Find a tour")
        assert "unfinished" not in chat.text, typed
    await chat.say("Cancun")  # a word that merely starts alike is an answer
    assert "Step 2 of 6" in chat.text
    assert await TourRequest.all().count() == 0
    assert await OutboxMessage.filter(kind="tour-request").count() == 0


async def test_ukrainian_range_and_nights_in_words(services: Services, router: Router) -> None:
    chat = RecordingChat(services, router, language="uk", channel=Channel.TELEGRAM)
    await register(chat, language="Українська")
    await chat.press("Підібрати тур")
    await chat.say("Туреччина")
    await chat.say("з 12 по 20 березня")
    assert "Крок 3 з 6" in chat.text
    await chat.say("10 ночей")  # the range holds 8 nights
    assert "Між цими датами лише 8 ночей" in chat.text and "щонайменше 10" in chat.text
    assert "Крок 3 з 6" in chat.text
    await chat.press("9–12")  # a button is checked the same way
    assert "Між цими датами лише 8 ночей" in chat.text and "Крок 3 з 6" in chat.text
    await chat.say("7 ночей")
    assert "Крок 4 з 6" in chat.text
    await press_exact(chat, "2")
    await press_exact(chat, "0")
    await chat.press("Без обмежень")
    await chat.press("Пропустити")
    assert "7 ночей" in chat.text
    await chat.press("Змінити")
    await chat.press("Дати")
    await chat.say("12.03-15.03")  # three nights: the 7 chosen no longer fit
    assert "Між цими датами лише 3 ночі" in chat.text and "Крок 2 з 6" in chat.text
    await chat.say("у травні")
    assert "Травень 2027" in chat.text  # back at the summary
    await chat.press("Надіслати")
    request = await TourRequest.get()
    assert request.when == {"month": "2027-05"}
    assert (request.nights_min, request.nights_max) == (7, 7)


async def test_english_and_russian_notations(services: Services, router: Router) -> None:
    chat = RecordingChat(services, router)
    await register(chat)
    await chat.press("Find a tour")
    await chat.press("Egypt")
    await chat.say("March 12-20")
    await chat.say("7-8 nights")
    await press_exact(chat, "1")
    await press_exact(chat, "0")
    await chat.press("No limit")
    await chat.press("Skip")
    assert "When: March 12, 2027 – March 20, 2027" in chat.text
    assert "Length: 7–8 nights" in chat.text
    await chat.press("Change something")
    await chat.press("Dates")
    await chat.say("14.03")  # a single date: the day to set off
    assert "When: March 14, 2027" in chat.text and "– Mar" not in chat.text
    await chat.press("Change something")
    await chat.press("Dates")
    await chat.say("в марте")
    assert "When: March 2027" in chat.text
    await chat.press("Send")
    assert (await TourRequest.get()).when == {"month": "2027-03"}


async def test_budget_ceiling_from_the_rules(settings: Settings, clock: ManualClock) -> None:
    rules = Rules(tour_requests=TourRequests(budget_max={"EUR": 500000}))
    services = await build_services(settings, rules, clock=clock)
    try:
        chat = RecordingChat(services, build_router())
        await register(chat)
        await chat.press("Find a tour")
        await chat.press("Spain")
        await chat.press("Flexible dates")
        await chat.press("6–8")
        await press_exact(chat, "2")
        await press_exact(chat, "0")
        await chat.say("0")  # a number, but no budget: not "type the budget as a number"
        assert "The budget must be above zero" in chat.text and "Step 5 of 6" in chat.text
        assert "as a number" not in chat.text
        await chat.say("6000 EUR")
        assert "budget of up to €5,000.00" in chat.text and "Step 5 of 6" in chat.text
        await chat.say("5000 EUR")
        assert "Step 6 of 6" in chat.text
        await chat.press("Back")
        await chat.say("2000000")  # still in EUR: refused
        assert "budget of up to €5,000.00" in chat.text
        await chat.say("99999999999")  # a number too long to be an amount: the same ceiling
        assert "budget of up to €5,000.00" in chat.text
        await chat.say("2000000 UAH")  # no ceiling for UAH here
        assert "Step 6 of 6" in chat.text
    finally:
        if services.redis is not None:
            await services.redis.aclose()
