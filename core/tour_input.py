"""Reading what a tourist types into the wizard: dates and months in Ukrainian, English and
Russian, nights, and the words that cancel.

Every function either returns a value or raises :class:`InvalidInput` with a translation key;
no input, however odd, raises anything else (tests/test_tour_input.py feeds it junk).

Dates are read as a short sequence of tokens (dates, day numbers, month words, years and range
words like "з … по", "from … to", "-") reduced to one of: a single date, a range, or a month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.errors import InvalidInput

NIGHTS_MIN, NIGHTS_MAX = 1, 30
MONTHS_AHEAD = 12
MAX_DAYS_AHEAD = 2 * 366
ROLLOVER_DAYS = 62  # "28.12-05.01": an end before the start within this many days is next year


def _month_words() -> dict[str, int]:
    words: dict[str, int] = {}
    # Ukrainian: nominative, genitive, locative, instrumental, dative
    uk_stems = ("січ", "берез", "квіт", "трав", "черв", "лип", "серп", "верес", "жовт", "груд")
    uk_numbers = (1, 3, 4, 5, 6, 7, 8, 9, 10, 12)
    for stem, number in zip(uk_stems, uk_numbers, strict=True):
        for ending in ("ень", "ня", "ні", "нем", "ню"):
            words[stem + ending] = number
    for form in ("лютий", "лютого", "лютому", "лютім", "лютим"):
        words[form] = 2
    for ending in ("", "а", "і", "ом", "у"):
        words["листопад" + ending] = 11
    # Russian (ё is read as е)
    ru_soft = (
        ("январ", 1),
        ("феврал", 2),
        ("апрел", 4),
        ("июн", 6),
        ("июл", 7),
        ("сентябр", 9),
        ("октябр", 10),
        ("ноябр", 11),
        ("декабр", 12),
    )
    for stem, number in ru_soft:
        for ending in ("ь", "я", "е", "ем", "ю"):
            words[stem + ending] = number
    for stem, number in (("март", 3), ("август", 8)):
        for ending in ("", "а", "е", "ом", "у"):
            words[stem + ending] = number
    for form in ("май", "мая", "мае", "маем", "маю"):
        words[form] = 5
    # English, full and short
    english = ["january", "february", "march", "april", "may", "june", "july", "august"]
    english += ["september", "october", "november", "december"]
    for number, name in enumerate(english, start=1):
        words[name] = number
        words[name[:3]] = number
    words["sept"] = 9
    return words


MONTH_WORDS = _month_words()
RANGE_WORDS = frozenset({"-", "..", "по", "до", "to", "till", "until", "through", "thru", "and"})
DATE_RANGE_WORDS = RANGE_WORDS | {"і", "й", "и", "та"}  # "між 12 і 20 березня"
FILLER_WORDS = frozenset(
    {"з", "із", "зі", "від", "с", "со", "от", "from", "in", "on", "у", "в", "во", "the", "of"}
    | {"р", "року", "рік", "г", "года", "год", "year"}
    | {"between", "між", "между", "числа", "число"}
)
NIGHT_WORDS = frozenset(
    {"ніч", "ночі", "ночей", "ночь", "ночи", "night", "nights", "n", "н"}
    | {"від", "от", "from", "з", "с"}
)
MORE_WORDS = frozenset({"+", "more", "більше", "больше", "or", "і", "и", "та", "або", "или"})
CANCEL_WORDS = frozenset({"cancel", "скасувати", "отмена", "отменить", "відміна", "скасуй"})

_DASHES = str.maketrans({c: "-" for c in "–—‒−―"})
_TOKEN = re.compile(
    r"(?P<iso>\d{4}-\d{1,2}-\d{1,2})"
    r"|(?P<dmy>\d{1,2}[./]\d{1,2}(?:[./]\d{2,4})?)"
    r"|(?P<num>\d+)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<sep>-|\.\.)"
    r"|(?P<plus>\+)"
    r"|(?P<skip>[\s.,;:!?'\"()]+)"
    r"|(?P<junk>.)",
    re.S,
)


def _normalise(text: str) -> str:
    return (text or "").casefold().replace("ё", "е").translate(_DASHES)


def is_cancel(text: str | None) -> bool:
    """A typed "Cancel" in any of our languages and any case (emoji and punctuation ignored)."""
    words = re.findall(r"[^\W\d_]+", _normalise(text or ""))
    return len(words) == 1 and words[0] in CANCEL_WORDS


# ---- dates -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Day:
    """A typed day; ``month``/``year`` are None where the tourist left them out."""

    day: int
    month: int | None
    year: int | None


@dataclass(frozen=True, slots=True)
class _Month:
    month: int
    year: int | None


_Item = _Day | _Month | int | str  # int: a 4-digit year; str: "sep"


def _bad_dates() -> InvalidInput:
    return InvalidInput("tour-error-dates-format")


def _year(value: int) -> int:
    return value + 2000 if value < 100 else value


def _tokens(text: str) -> list[_Item]:
    items: list[_Item] = []
    for match in _TOKEN.finditer(_normalise(text)):
        kind, value = match.lastgroup, match[0]
        if kind == "iso":
            y, m, d = (int(p) for p in value.split("-"))
            items.append(_Day(d, m, y))
        elif kind == "dmy":
            parts = [int(p) for p in re.split(r"[./]", value)]
            items.append(_Day(parts[0], parts[1], _year(parts[2]) if len(parts) == 3 else None))
        elif kind == "num":
            if len(value) == 4:
                items.append(int(value))
            elif len(value) <= 2:
                items.append(_Day(int(value), None, None))
            else:
                raise _bad_dates()
        elif kind == "word":
            if value in MONTH_WORDS:
                items.append(_Month(MONTH_WORDS[value], None))
            elif value in DATE_RANGE_WORDS:
                items.append("sep")
            elif value not in FILLER_WORDS:
                raise _bad_dates()
        elif kind == "sep":
            items.append("sep")
        elif kind != "skip":
            raise _bad_dates()
    return items


def _attach_years(items: list[_Item]) -> list[_Item]:
    """A 4-digit year belongs to the month or day before it."""
    out: list[_Item] = []
    for item in items:
        if isinstance(item, int):
            last = out[-1] if out else None
            if isinstance(last, _Month) and last.year is None:
                out[-1] = _Month(last.month, item)
            elif isinstance(last, _Day) and last.month is not None and last.year is None:
                out[-1] = _Day(last.day, last.month, item)
            else:
                raise _bad_dates()
        else:
            out.append(item)
    return out


def _attach_months(items: list[_Item]) -> list[_Item]:
    """ "12 березня", "March 12": a month word names the month of the day next to it."""
    out: list[_Item] = []
    i = 0
    while i < len(items):
        item = items[i]
        nxt = items[i + 1] if i + 1 < len(items) else None
        if isinstance(item, _Day) and item.month is None and isinstance(nxt, _Month):
            out.append(_Day(item.day, nxt.month, nxt.year))
            i += 2
        elif isinstance(item, _Month) and isinstance(nxt, _Day) and nxt.month is None:
            out.append(_Day(nxt.day, item.month, item.year))
            i += 2
        else:
            out.append(item)
            i += 1
    return out


def _share_month(first: _Day, second: _Day) -> tuple[_Day, _Day]:
    """ "12-20 березня" / "March 12-20": a bare day borrows the month of the other end."""
    if first.month is None and second.month is not None:
        first = _Day(first.day, second.month, second.year)
    if second.month is None and first.month is not None:
        second = _Day(second.day, first.month, None)
    if first.month is None or second.month is None:
        raise _bad_dates()
    return first, second


def _resolve(day: _Day, today: date) -> date:
    """A day without a year is the next such day from today."""
    assert day.month is not None
    if day.year is not None:
        return date(day.year, day.month, day.day)
    candidate = date(today.year, day.month, day.day)
    return candidate if candidate >= today else date(today.year + 1, day.month, day.day)


def _range(first: _Day, second: _Day, today: date) -> dict[str, str]:
    first, second = _share_month(first, second)
    start = _resolve(first, today)
    if second.year is not None:
        end = _resolve(second, today)
    else:
        assert second.month is not None
        end = date(start.year, second.month, second.day)
        if end < start and (end.replace(year=start.year + 1) - start).days <= ROLLOVER_DAYS:
            end = end.replace(year=start.year + 1)  # 28.12-05.01: over the new year
    _check_window(start, today)
    if end <= start:
        raise InvalidInput("tour-error-dates-order")
    _check_window(end, today)
    return {"from": start.isoformat(), "to": end.isoformat()}


def _check_window(day: date, today: date) -> None:
    if day < today:
        raise InvalidInput("tour-error-dates-past")
    if (day - today).days > MAX_DAYS_AHEAD:
        raise InvalidInput("tour-error-dates-far")


def upcoming_months(today: date, count: int = MONTHS_AHEAD) -> list[str]:
    """``["2026-11", "2026-12", "2027-01", …]``: this month and the ones after it."""
    out = []
    year, month = today.year, today.month
    for _ in range(count):
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return out


def _month(item: _Month, today: date) -> dict[str, str]:
    year = item.year
    if year is None:
        year = today.year if item.month >= today.month else today.year + 1
    value = f"{year:04d}-{item.month:02d}"
    if value < f"{today.year:04d}-{today.month:02d}":
        raise InvalidInput("tour-error-dates-past")
    if value not in upcoming_months(today):
        raise InvalidInput("tour-error-dates-far")
    return {"month": value}


def parse_when(text: str, today: date) -> dict[str, str]:
    """What the tourist typed for "when":

    - a range: ``"12.03-20.03"``, ``"з 12.03 по 20.03"``, ``"12-20 березня"``,
      ``"March 12-20"``, ``"28 грудня - 5 січня"``, ``"2027-03-12 - 2027-03-20"``
      -> ``{"from": "2027-03-12", "to": "2027-03-20"}``;
    - a single date: ``"12.03"``, ``"12 марта"`` -> ``{"from": d, "to": d}``;
    - a month: ``"березень"``, ``"у березні"``, ``"March 2027"`` -> ``{"month": "2027-03"}``.
    """
    try:
        items = _attach_months(_attach_years(_tokens(text)))
        while items and items[0] == "sep":  # "- 12.03"
            items.pop(0)
        shape = [type(i).__name__ if not isinstance(i, str) else i for i in items]
        if shape == ["_Month"]:
            month = items[0]
            assert isinstance(month, _Month)
            return _month(month, today)
        days = [i for i in items if isinstance(i, _Day)]
        if shape == ["_Day"] and days[0].month is not None:
            day = _resolve(days[0], today)
            _check_window(day, today)
            return {"from": day.isoformat(), "to": day.isoformat()}
        if shape in (["_Day", "sep", "_Day"], ["_Day", "_Day"]):
            return _range(days[0], days[1], today)
    except (ValueError, OverflowError):  # 31.02, year 0, …
        raise _bad_dates() from None
    raise _bad_dates()


def nights_between(when: dict[str, str]) -> int | None:
    """The nights a typed range holds; None for a month, flexible dates or a single date."""
    if "from" not in when or "to" not in when:
        return None
    days = (date.fromisoformat(when["to"]) - date.fromisoformat(when["from"])).days
    return days if days > 0 else None


def check_fit(when: dict[str, str] | None, nights: tuple[int, int | None] | None) -> None:
    """Dates and nights must agree: 12.03-20.03 holds 8 nights, so 7 fits and 10 does not."""
    if when is None or nights is None:
        return
    span = nights_between(when)
    if span is not None and nights[0] > span:
        raise InvalidInput("tour-error-nights-dates", nights=nights[0], span=span)


# ---- nights ------------------------------------------------------------------------------------


def _bad_nights() -> InvalidInput:
    return InvalidInput("tour-error-nights", min=NIGHTS_MIN, max=NIGHTS_MAX)


def parse_nights(text: str) -> tuple[int, int | None]:
    """``"7"``, ``"7 ночей"``, ``"7-10"``, ``"від 7 до 10 ночей"``, ``"13+"``, ``"13 or more"``
    -> (low, high); high None means "or more"."""
    numbers: list[int] = []
    ranged = more = False
    for match in _TOKEN.finditer(_normalise(text)):
        kind, value = match.lastgroup, match[0]
        if kind == "num" and len(value) <= 2:
            numbers.append(int(value))
        elif kind == "sep" or (kind == "word" and value in RANGE_WORDS):
            ranged = True
        elif kind == "plus" or (kind == "word" and value in MORE_WORDS):
            more = True
        elif kind == "skip" or (kind == "word" and value in NIGHT_WORDS):
            continue
        else:
            raise _bad_nights()
    if len(numbers) == 1 and not ranged:
        low, high = numbers[0], (None if more else numbers[0])
    elif len(numbers) == 2 and ranged and not more:
        low, high = numbers
    else:
        raise _bad_nights()
    if not (NIGHTS_MIN <= low <= NIGHTS_MAX) or (
        high is not None and not (low <= high <= NIGHTS_MAX)
    ):
        raise _bad_nights()
    return low, high
