"""A wizard is data: a step defined here, in the test, added to the tour wizard's list as one
record, and walked through the recording chat with nothing else changed."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bots.app import build_services
from core.clock import ManualClock
from core.contract import Incoming, Reply
from core.errors import InvalidInput
from core.i18n import Translator
from core.payloads import Payload, encode
from core.rules import Rules
from core.services import Services
from core.settings import Settings
from handlers import build_router, client_flows, tour_request
from handlers.context import Context
from handlers.router import Router
from handlers.tour_request import STEPS, send_request
from handlers.wizard import Flow, Run, Step
from storage.models import TourRequest
from tests.support.chat import RecordingChat
from tests.support.journeys import register

CITIES = ("Kyiv", "Lviv", "Odesa")
SHIPPED_LOCALES = Path(__file__).resolve().parent.parent / "locales"

# The throwaway step's texts: a catalogue of its own, next to the shipped ones.
TRIAL_FTL = """
trial-ask-departure = Which city would you like to fly from?
trial-error-departure = Please pick a city or type its name.
trial-summary-departure = 🛫 From: { $value }
trial-edit-departure = 🛫 From
"""


def _departure_text(ctx: Context, run: Run, text: str) -> str:
    city = " ".join(text.split())
    if not (2 <= len(city) <= 30) or not city.replace(" ", "").isalpha():
        raise InvalidInput("trial-error-departure")
    return city


DEPARTURE = Step(
    name="departure",
    ask="trial-ask-departure",
    choices=lambda ctx, run: [[(city, "from", i) for i, city in enumerate(CITIES)]],
    text=_departure_text,
    buttons={"from": lambda ctx, run, value: CITIES[int(value)]},
    summary=("trial-summary-departure", lambda t, answers: answers["departure"]),
    edit="trial-edit-departure",
)

TRIAL = Flow(
    steps=(STEPS[0], DEPARTURE, *STEPS[1:]),
    action="tw",
    prefix="tour.",
    store_key="_tour",
    finish=send_request,
)


def router_with(flow: Flow) -> Router:
    """The product's routers, with "Find a tour" walking ``flow`` instead of the shipped one."""
    trial = Router("trial")

    @trial.button("tour")
    async def start(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
        return flow.start(ctx)

    @trial.button("tw")
    async def press(ctx: Context, incoming: Incoming, payload: Payload) -> list[Reply]:
        return await flow.on_button(ctx, incoming, payload)

    @trial.state("tour.*")
    async def typed(ctx: Context, incoming: Incoming) -> list[Reply]:
        return await flow.on_text(ctx, incoming)

    @trial.after_phone("tour")
    async def after_phone(ctx: Context) -> list[Reply]:
        return flow.start(ctx)

    shipped = tour_request.router
    return build_router([trial, *(r for r in client_flows() if r is not shipped)])


def with_trial_texts(services: Services, tmp_path: Path) -> Services:
    root = tmp_path / "locales"
    shutil.copytree(SHIPPED_LOCALES, root)
    for locale in services.translator.locales:
        (root / locale / "trial.ftl").write_text(TRIAL_FTL, encoding="utf-8")
    translator = Translator(services.translator.locales, services.translator.default, root)
    return replace(services, translator=translator)


def step(n: int) -> str:
    return f"Step {n} of 7"


@pytest.fixture
def trial_services(services: Services, tmp_path: Path) -> Services:
    return with_trial_texts(services, tmp_path)


async def test_an_extra_step_is_one_record(
    trial_services: Services,
    settings: Settings,
    rules: Rules,
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    chat = RecordingChat(trial_services, router_with(TRIAL))
    await register(chat)
    await chat.press("Find a tour")
    assert step(1) in chat.text and "Where would you like to go?" in chat.text
    await chat.press("Turkey")

    # the new question comes second, numbered, with its buttons and the usual Back / Cancel
    assert step(2) in chat.text and "Which city would you like to fly from?" in chat.text
    assert chat.labels() == ["Kyiv", "Lviv", "Odesa", "◀️ Back", "✖️ Cancel"]
    await chat.say("7")
    assert "Please pick a city or type its name." in chat.text and step(2) in chat.text
    await chat.press_payload(encode("tw", "month", "2027-03"))  # a button of another question
    assert "belongs to another question" in chat.text and step(2) in chat.text
    await chat.press("Lviv")
    assert step(3) in chat.text and "When would you like to travel?" in chat.text
    await chat.press_payload(encode("tw", "from", "0"))  # its button, pressed too late
    assert "belongs to another question" in chat.text and step(3) in chat.text
    await chat.press("Back")
    assert step(2) in chat.text and "fly from" in chat.text
    await chat.say("Ivano Frankivsk")
    assert step(3) in chat.text

    # the rest of the wizard is unchanged, one number further on
    await chat.press("March 2027")
    assert step(4) in chat.text
    await chat.press("6–8")
    assert step(5) in chat.text and "How many adults" in chat.text
    await chat.press_payload(encode("tw", "adults", "2"))
    await chat.press_payload(encode("tw", "children", "0"))
    assert step(6) in chat.text
    await chat.press("No limit")
    assert step(7) in chat.text
    await chat.press("Skip")
    summary = chat.text
    assert "Please check your request" in summary
    lines = summary.splitlines()
    at = next(i for i, line in enumerate(lines) if "Destination: Turkey" in line)
    assert lines[at + 1] == "🛫 From: Ivano Frankivsk"
    assert "When: March 2027" in lines[at + 2]

    # Edit offers it and returns to the summary after it
    await chat.press("Change something")
    assert "🛫 From" in chat.labels()
    await chat.press("🛫 From")
    assert step(2) in chat.text
    await chat.press("Kyiv")
    assert "Please check your request" in chat.text and "From: Kyiv" in chat.text

    await chat.press("Back")  # Back from the summary: the last question
    assert step(7) in chat.text
    await chat.press("Skip")

    # a restart: the stored answers and screen come back under the same list of steps
    again = RecordingChat(
        with_trial_texts(await build_services(settings, rules, clock=clock), tmp_path / "again"),
        router_with(TRIAL),
    )
    await again.press_payload(encode("tour"))  # "Find a tour" of the old menu
    assert "unfinished tour request" in again.text and "From: Kyiv" in again.text
    await again.press("Continue")
    assert "Please check your request" in again.text and "From: Kyiv" in again.text
    await again.press("Send the request")
    assert "R-0001 is received" in again.text
    request = await TourRequest.get(number="R-0001")
    assert request.destination == "TR" and request.when == {"month": "2027-03"}
    await again.press("Find a tour")
    assert step(1) in again.text and "unfinished" not in again.text
    if again.services.redis is not None:
        await again.services.redis.aclose()


def test_the_list_is_checked_when_the_wizard_is_built() -> None:
    with pytest.raises(ValueError, match="unique"):
        Flow(
            steps=(*STEPS, DEPARTURE, DEPARTURE),
            action="x",
            prefix="x.",
            store_key="_x",
            finish=send_request,
        )
    with pytest.raises(ValueError, match="section"):
        Flow(steps=STEPS[4:], action="x", prefix="x.", store_key="_x", finish=send_request)
