"""Popular destinations are ISO country codes, named in each reader's language (issue 16)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from core.rules import Agency, Rules, load_rules
from core.services import Services
from core.tour_requests import destination_label
from handlers.router import Router
from storage.models import TourRequest
from tests.support.chat import RecordingChat
from tests.support.journeys import register, staff_chat


@pytest.fixture
def rules() -> Rules:
    return Rules(agency=Agency(popular_destinations=("TR", "EG", "TH", "AE")))


@pytest.mark.parametrize(
    ("language", "button", "expected"),
    [
        ("English", "🔎", ["Turkey", "Egypt", "Thailand", "UAE"]),
        ("Українська", "🔎", ["Туреччина", "Єгипет", "Таїланд", "ОАЕ"]),
        ("Русский", "🔎", ["Турция", "Египет", "Таиланд", "ОАЭ"]),
    ],
)
async def test_wizard_names_the_countries_in_the_clients_language(
    chat: RecordingChat, language: str, button: str, expected: list[str]
) -> None:
    await register(chat, language=language)
    await chat.press(button)
    assert [label for label in chat.labels() if label in expected] == expected


async def test_a_request_to_a_country_reads_in_each_readers_language(
    services: Services, router: Router, chat: RecordingChat
) -> None:
    client = await register(chat, language="Українська")
    await TourRequest.create(number="R-0007", client=client, destination="TH")
    await chat.say("/menu")
    await chat.press("🧳")
    assert "R-0007 · Таїланд" in chat.text
    _, _, manager = await staff_chat(services, router, "Iryna", locale="en")
    await manager.say("/requests")
    assert "Thailand" in manager.text and "TH" not in manager.text.replace("THB", "")
    t = services.translator
    assert destination_label(t("uk"), "Turkey") == "Туреччина"  # a name older rows keep
    assert destination_label(t("ru"), "Crete") == "Crete"  # typed: as typed


def test_a_destination_that_is_no_country_stops_start_up_with_one_line(tmp_path: Path) -> None:
    config = tmp_path / "tourdesk.toml"
    config.write_text('[agency]\npopular_destinations = ["TR", "Narnia"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_rules(config)
    assert "popular_destinations" in str(refused.value) and "Narnia" in str(refused.value)
    assert "\n" not in str(refused.value)
