"""Issue 16, texts and formats: one date, time and money style per locale (through Babel, no
"р.." / "г.."), no "by —" clause without a due date, /help for clients and staff, open tour
requests in My trips, localised popular destinations, gender-neutral uk/ru catalogues."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.payloads import encode
from core.services import Services
from handlers.router import Router
from handlers.staff.desk import COMMAND_HELP
from storage.models import Client, Order, OrderStatus, Role, TourRequest
from tests.support.channels import Channel
from tests.support.chat import RecordingChat
from tests.support.journeys import register, staff_chat

NB = "\u00a0"  # Babel's no-break space inside amounts
USD = "$800.00"
LANGUAGE_BUTTON = {"uk": "Українська", "en": "English", "ru": "Русский"}
KYIV = ZoneInfo("Europe/Kyiv")
LOCALES = Path(__file__).resolve().parent.parent / "locales"


@pytest.mark.parametrize(
    ("locale", "day", "moment", "money", "usd"),
    [
        ("uk", "15 грудня 2026", "1 грудня 2026, 14:28", f"1{NB}000,00{NB}₴", f"800,00{NB}USD"),
        ("ru", "15 декабря 2026", "1 декабря 2026, 14:28", f"1{NB}000,00{NB}₴", f"800,00{NB}$"),
        ("en", "December 15, 2026", "December 1, 2026, 2:28\u202fPM", f"UAH{NB}1,000.00", USD),
    ],
)
async def test_one_date_time_and_money_style_per_locale(
    services: Services, locale: str, day: str, moment: str, money: str, usd: str
) -> None:
    t = services.translator(locale)
    assert t.date(date(2026, 12, 15)) == day
    assert t.datetime(datetime(2026, 12, 1, 12, 28, tzinfo=UTC), KYIV) == moment
    assert t.money(100_000, "UAH") == money
    assert t.money(80_000, "USD") == usd


async def _trip(client: Client, number: str, due: date | None) -> Order:
    return await Order.create(
        number=number,
        client=client,
        destination="Crete",
        price=5_000_000,
        paid=1_000_000,
        currency="UAH",
        status=OrderStatus.BOOKED,
        departure_date=date(2027, 6, 1),
        return_date=date(2027, 6, 10),
        due_date=due,
    )


@pytest.mark.parametrize(
    ("locale", "expected", "no_due"),
    [
        (
            "uk",
            [
                "📅 1 червня 2027 – 10 червня 2027",
                f"💰 Вартість 50{NB}000,00{NB}₴ · сплачено 10{NB}000,00{NB}₴",
                f"⏳ Залишилося сплатити 40{NB}000,00{NB}₴ до 1 травня 2027",
            ],
            f"⏳ Залишилося сплатити 40{NB}000,00{NB}₴\n",
        ),
        (
            "ru",
            [
                "📅 1 июня 2027 – 10 июня 2027",
                f"⏳ Осталось оплатить 40{NB}000,00{NB}₴ до 1 мая 2027",
            ],
            f"⏳ Осталось оплатить 40{NB}000,00{NB}₴\n",
        ),
        (
            "en",
            [
                "📅 June 1, 2027 – June 10, 2027",
                f"⏳ Left to pay UAH{NB}40,000.00 by May 1, 2027",
            ],
            f"⏳ Left to pay UAH{NB}40,000.00\n",
        ),
    ],
)
async def test_my_trips_dates_and_money_in_three_languages(
    services: Services, router: Router, locale: str, expected: list[str], no_due: str
) -> None:
    chat = RecordingChat(services, router, language=locale, channel=Channel.TELEGRAM)
    client = await register(chat, language=LANGUAGE_BUTTON[locale])
    await _trip(client, "T-0001", date(2027, 5, 1))
    await _trip(client, "T-0002", None)
    await chat.press("🧳")
    text = chat.text
    for line in expected:
        assert line in text, (locale, line, text)
    assert no_due in text + "\n"  # the order without a due date: no "by" clause at all
    assert "—\n" not in text + "\n" and ".." not in text
    assert not re.search(r"\b[AP]M\b", text) or locale == "en"


async def test_staff_see_24_hour_times_in_uk(services: Services, router: Router) -> None:
    """The staff order list shows the request's moment as "d MMMM y, HH:mm" in uk."""
    _, _, desk = await staff_chat(services, router, "Iryna", locale="uk")
    chat = RecordingChat(services, router, language="uk", channel=Channel.TELEGRAM)
    client = await register(chat, language=LANGUAGE_BUTTON["uk"])
    await TourRequest.create(number="R-0009", client=client, destination="Egypt")
    await desk.say("/requests")
    assert "R-0009 · Єгипет" in desk.text  # a popular destination, in the reader's language
    assert re.search(r" · \d{1,2} [а-яіїє]+ \d{4}, \d{2}:\d{2}$", desk.text, re.M), desk.text
    assert "AM" not in desk.text and "PM" not in desk.text and "р." not in desk.text


@pytest.mark.parametrize(
    ("locale", "phrase"),
    [
        ("uk", "Що вміє цей бот"),
        ("en", "What this"),
        ("ru", "Что умеет этот бот"),
    ],
)
async def test_help_tells_a_client_what_the_bot_can_do(
    services: Services, router: Router, locale: str, phrase: str
) -> None:
    chat = RecordingChat(services, router, language=locale, channel=Channel.TELEGRAM)
    await register(chat, language=LANGUAGE_BUTTON[locale])
    await chat.say("/help")
    assert phrase in chat.text and "/menu" in chat.text and "/cancel" in chat.text
    # the same help from Settings
    await chat.press("◀️")
    await chat.press("⚙️")
    await chat.press("❓")
    assert phrase in chat.text


async def test_help_for_staff_lists_the_commands_of_their_role(
    services: Services, router: Router
) -> None:
    _, _, manager = await staff_chat(services, router, "Ivan")
    _, _, accountant = await staff_chat(services, router, "Petro", role=Role.ACCOUNTANT)
    await manager.say("/help")
    assert "staff desk (manager)" in manager.text
    assert "/neworder" in manager.text and "/requests" in manager.text
    assert "/team" not in manager.text
    await accountant.say("/help")
    assert "/debtors" in accountant.text and "/neworder" not in accountant.text


@pytest.mark.parametrize("locale", ["uk", "en", "ru"])
async def test_staff_help_describes_every_command_of_the_role(
    services: Services, router: Router, locale: str
) -> None:
    """An admin may use every staff command: each has its help line (no raw catalogue key)."""
    _, _, admin = await staff_chat(services, router, "Olena", role=Role.ADMIN, locale=locale)
    await admin.say("/help")
    lines = admin.text.splitlines()
    for name in COMMAND_HELP:
        assert any(line.startswith(f"{name} — ") for line in lines), (name, admin.text)
    assert "help-staff-" not in admin.text


async def test_my_trips_shows_an_open_request_with_its_status(
    services: Services, router: Router
) -> None:
    chat = RecordingChat(services, router, language="uk", channel=Channel.TELEGRAM)
    _, _, ivan = await staff_chat(services, router, "Ivan", locale="uk")
    await register(chat, language=LANGUAGE_BUTTON["uk"])
    await chat.press("Підібрати тур")
    await chat.press("Єгипет")
    await chat.press("Гнучкі дати")
    await chat.say("7")
    await chat.say("2")
    await chat.say("0")
    await chat.press("Без обмежень")
    await chat.press("Пропустити")
    await chat.press("Надіслати")
    assert "R-0001" in chat.text

    await chat.say("/menu")
    await chat.press("🧳")
    assert "У вас поки немає поїздок" not in chat.text
    assert "R-0001 · Єгипет — нова, чекає на менеджера" in chat.text

    request = await TourRequest.get(number="R-0001")
    assert request.destination == "EG"
    await ivan.press_payload(encode("take", request.id))
    assert "Заявка R-0001 ваша" in ivan.text
    await chat.say("/menu")
    await chat.press("🧳")
    assert "R-0001 · Єгипет — у роботі, менеджер: Ivan" in chat.text


GENDERED = [
    r"\(ла\)",
    r"\(а\)",
    r"він напише",
    r"он напишет",
    r"остановился",
    r"зупинився",
    r"Подорожуючі",
    r"Ночей: ",
    r"Напишіть йому",
    r"Напишите ему",
    r"забронював",
    r"забронировал\b",
    r"я не зрозумів",
    r"я не понял",
    r"його ім'я",
    r"его имя",
]


@pytest.mark.parametrize("locale", ["uk", "ru"])
def test_catalogues_use_neutral_phrasing(locale: str) -> None:
    found = []
    for path in sorted((LOCALES / locale).glob("*.ftl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith("#"):
                continue
            found += [f"{path.name}:{number}: {line}" for p in GENDERED if re.search(p, line)]
    assert found == []


# A person's name stands as it is written (names are not declined), so a preposition that
# wants another case before it reads wrong: "від Олена", "для Ірина", "приглашение для Олена".
NAME_AFTER_PREPOSITION = re.compile(
    r"(?:^|[\s(«])(?:для|від|од|із|зі|з|у|до|про|от|с|со|к|о|об)\s+"
    r"\{ \$(?:name|manager|client|member|who|source_name|merged) \}"
)


@pytest.mark.parametrize("locale", ["uk", "ru"])
def test_names_are_never_declined_by_a_preposition(locale: str) -> None:
    found = [
        f"{path.name}:{number}: {line}"
        for path in sorted((LOCALES / locale).glob("*.ftl"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if not line.lstrip().startswith("#") and NAME_AFTER_PREPOSITION.search(line)
    ]
    assert found == []


# A number is written "№12" in Ukrainian and Russian ("клієнт №1", "Розсилка №3"), never "#12"
# beside it; the erased client's stored name ("Erased client #N") is quoted as it is.
HASH_NUMBER = re.compile(r"(?<!Erased client )#\{ \$")


@pytest.mark.parametrize("locale", ["uk", "ru"])
def test_numbers_are_written_with_the_numero_sign(locale: str) -> None:
    found = [
        f"{path.name}:{number}: {line}"
        for path in sorted((LOCALES / locale).glob("*.ftl"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if not line.lstrip().startswith("#") and HASH_NUMBER.search(line)
    ]
    assert found == []
