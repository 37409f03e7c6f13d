"""One tour option as a manager types it: the fields, their parsers and the paste line format.

The paste format is one option per message (one line), fields separated by ``|``::

    hotel [N*] | country resort | dates | nights | room | meal | price currency | operator
    [| link] [| photo]

e.g. ``Rixos Premium 5* | TR Belek | 12.06–19.06 | 7n | DBL | AI | 45000 UAH | Coral |
https://coral.ua/t/1``. Dates are read by :func:`core.tour_input.parse_when` (every form the
tourist wizard takes); a trailing URL ending in an image extension is the photo, another is the
link. Every parser raises :class:`InvalidInput` with a translation key; a bad paste raises
:class:`FieldError` naming the field, so the manager is told which one to fix.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from core.errors import InvalidInput
from core.staff.orders import parse_price
from core.tour_input import parse_when

MAX_OPTIONS = 5
HOTEL_MAX, PLACE_MAX, ROOM_MAX, OPERATOR_MAX, URL_MAX = 128, 64, 64, 64, 512
NIGHTS_MAX = 60
MEALS = ("RO", "BB", "HB", "FB", "AI", "UAI")
MEAL_ALIASES = {
    "ALL INCLUSIVE": "AI",
    "ALL": "AI",
    "ULTRA ALL INCLUSIVE": "UAI",
    "ULTRA": "UAI",
    "OB": "RO",
}
FIELDS = ("hotel", "place", "dates", "nights", "room", "meal", "price", "operator", "url")
REQUIRED_FIELDS = 8
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif")

_STARS = re.compile(r"\s*([1-5])\s*(?:\*|⭐|★)+\s*$")
_NIGHTS = re.compile(r"^\s*(\d{1,2})\s*(?:n|nts?|nights?|н|ноч\w*|нч)?\.?\s*$", re.I)
_URL = re.compile(r"^https?://[^\s|]+$", re.I)


class FieldError(InvalidInput):
    """A pasted line's field ``number`` (1-based) named ``field`` is wrong: ``cause`` says how."""

    def __init__(self, number: int, field: str, cause: InvalidInput) -> None:
        super().__init__("offer-paste-bad-field", number=number)
        self.field = field
        self.cause = cause


@dataclass
class Option:
    """A complete option before it is sent (JSON-friendly: kept in the conversation state)."""

    hotel: str
    stars: int | None
    country: str
    resort: str
    start: str  # ISO dates
    end: str
    nights: int
    room: str
    meal: str
    price: int  # minor units
    currency: str
    operator: str
    link: str | None = None
    photo: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Option:
        return cls(**{k: data.get(k) for k in cls.__dataclass_fields__})  # type: ignore[arg-type]

    @property
    def start_date(self) -> date:
        return date.fromisoformat(self.start)

    @property
    def end_date(self) -> date:
        return date.fromisoformat(self.end)

    @property
    def destination(self) -> str:
        """What the order's destination reads: ``Belek, TR``."""
        return f"{self.resort}, {self.country}" if self.resort else self.country


def _text(value: str, low: int, high: int, key: str) -> str:
    text = " ".join((value or "").split())
    if not low <= len(text) <= high or not any(c.isalnum() for c in text):
        raise InvalidInput(key, max=high)
    return text


def parse_hotel(value: str) -> tuple[str, int | None]:
    """``Rixos Premium 5*`` -> ("Rixos Premium", 5); the stars are optional."""
    text = " ".join((value or "").split())
    stars = None
    if m := _STARS.search(text):
        stars = int(m[1])
        text = text[: m.start()]
    return _text(text, 2, HOTEL_MAX, "offer-error-hotel"), stars


def parse_place(value: str) -> tuple[str, str]:
    """``TR Belek``, ``Turkey, Belek`` or ``Egypt`` -> (country, resort). A two-letter country
    is an ISO code (upper-cased): the order then gets the country's pre-departure memo."""
    text = _text(value, 2, PLACE_MAX, "offer-error-place")
    if "," in text:
        country, resort = (p.strip() for p in text.split(",", 1))
    else:
        country, _, resort = text.partition(" ")
    if len(country) == 2 and country.isalpha():
        country = country.upper()
    if len(country) < 2 or not any(c.isalpha() for c in country):
        raise InvalidInput("offer-error-place", max=PLACE_MAX)
    return country, resort.strip()


def parse_dates(value: str, today: date) -> tuple[date, date]:
    """Check-in and check-out, in any form the tourist wizard reads; a month is not enough."""
    try:
        when = parse_when(value, today)
    except InvalidInput as error:
        if error.key == "tour-error-dates-format":  # the tourist's hint mentions months
            raise InvalidInput("offer-error-dates") from None
        raise
    if "from" not in when or "to" not in when or when["from"] == when["to"]:
        raise InvalidInput("offer-error-dates")
    return date.fromisoformat(when["from"]), date.fromisoformat(when["to"])


def span(start: date, end: date) -> int:
    return (end - start).days


def parse_nights(value: str, start: date | None, end: date | None) -> int:
    """``7``, ``7n``, ``7 ночей``; no more than the dates hold."""
    m = _NIGHTS.match(value or "")
    if m is None or not 1 <= int(m[1]) <= NIGHTS_MAX:
        raise InvalidInput("offer-error-nights", max=NIGHTS_MAX)
    nights = int(m[1])
    if start is not None and end is not None and nights > span(start, end):
        raise InvalidInput("offer-error-nights-span", nights=nights, span=span(start, end))
    return nights


def parse_room(value: str) -> str:
    return _text(value, 1, ROOM_MAX, "offer-error-room")


def parse_meal(value: str) -> str:
    code = " ".join((value or "").upper().split())
    code = MEAL_ALIASES.get(code, code)
    if code not in MEALS:
        raise InvalidInput("offer-error-meal", meals=", ".join(MEALS))
    return code


def parse_offer_price(value: str, default_currency: str) -> tuple[int, str]:
    return parse_price(value, default_currency)


def parse_operator(value: str) -> str:
    return _text(value, 2, OPERATOR_MAX, "offer-error-operator")


def parse_url(value: str) -> str:
    text = (value or "").strip()
    if len(text) > URL_MAX or not _URL.match(text):
        raise InvalidInput("offer-error-url")
    return text


def is_image(url: str) -> bool:
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    return path.endswith(IMAGE_SUFFIXES)


def _field(number: int, name: str, parse: Any, *args: Any) -> Any:
    try:
        return parse(*args)
    except FieldError:
        raise
    except InvalidInput as error:
        raise FieldError(number, name, error) from None


def parse_line(line: str, today: date, default_currency: str) -> Option:
    """One pasted option (see the module's docstring); :class:`InvalidInput` for a wrong count
    of fields, :class:`FieldError` for a wrong field."""
    parts = [p.strip() for p in (line or "").strip().split("|")]
    if len(parts) > REQUIRED_FIELDS and not parts[-1]:  # a stray "|" at the end
        parts.pop()
    if not REQUIRED_FIELDS <= len(parts) <= REQUIRED_FIELDS + 2:
        raise InvalidInput("offer-paste-count", count=len(parts), required=REQUIRED_FIELDS)
    hotel, stars = _field(1, "hotel", parse_hotel, parts[0])
    country, resort = _field(2, "place", parse_place, parts[1])
    start, end = _field(3, "dates", parse_dates, parts[2], today)
    nights = _field(4, "nights", parse_nights, parts[3], start, end)
    room = _field(5, "room", parse_room, parts[4])
    meal = _field(6, "meal", parse_meal, parts[5])
    price, currency = _field(7, "price", parse_offer_price, parts[6], default_currency)
    operator = _field(8, "operator", parse_operator, parts[7])
    link = photo = None
    for number, part in enumerate(parts[REQUIRED_FIELDS:], start=REQUIRED_FIELDS + 1):
        url = _field(number, "url", parse_url, part)
        if is_image(url) and photo is None:
            photo = url
        elif link is None:
            link = url
        else:
            photo = url
    return Option(
        hotel=hotel,
        stars=stars,
        country=country,
        resort=resort,
        start=start.isoformat(),
        end=end.isoformat(),
        nights=nights,
        room=room,
        meal=meal,
        price=price,
        currency=currency,
        operator=operator,
        link=link,
        photo=photo,
    )
