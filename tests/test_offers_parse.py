"""Reading a tour option as a manager types it: every field of the paste line, the refusals
naming the field, and junk that never raises anything but a localised refusal."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.offers.option import FieldError, Option, parse_line
from core.rules import Offers, Rules

TODAY = date(2026, 11, 23)


def read(line: str) -> Option:
    return parse_line(line, TODAY, "UAH")


def test_a_full_line() -> None:
    option = read(
        "Rixos Premium 5* | TR Belek | 12.06–19.06 | 7n | DBL | ai | 45 000 UAH | Coral | "
        "https://coral.example/tour/1 | https://coral.example/rixos.JPG?w=800"
    )
    assert (option.hotel, option.stars, option.country, option.resort) == (
        "Rixos Premium",
        5,
        "TR",
        "Belek",
    )
    assert (option.start_date, option.end_date, option.nights) == (
        date(2027, 6, 12),
        date(2027, 6, 19),
        7,
    )
    assert (option.room, option.meal, option.price, option.currency) == (
        "DBL",
        "AI",
        4_500_000,
        "UAH",
    )
    assert option.operator == "Coral"
    assert option.link == "https://coral.example/tour/1"
    assert option.photo == "https://coral.example/rixos.JPG?w=800"
    assert option.destination == "Belek, TR"
    assert Option.from_dict(option.to_dict()) == option


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "Hilton | Egypt | 1-8 March | 7 ночей | SGL | all inclusive | €1200 | Tez",
            ("Egypt", "", "AI", 120_000, "EUR"),
        ),
        (
            "Hotel Sol 3 * | Spain, Costa Brava | з 1 по 5 травня | 4 | DBL | BB | 500 USD | TUI |",
            ("Spain", "Costa Brava", "BB", 50_000, "USD"),
        ),
        (
            "Kaya | tr Side | 28.12-05.01 | 8 | FAM | UAI | 99000 | Anex",
            ("TR", "Side", "UAI", 9_900_000, "UAH"),
        ),
    ],
)
def test_other_ways_of_writing(line: str, expected: tuple[str, str, str, int, str]) -> None:
    option = read(line)
    assert (option.country, option.resort, option.meal, option.price, option.currency) == expected


@pytest.mark.parametrize(
    ("line", "number", "field"),
    [
        ("5* | TR Belek | 12.06–19.06 | 7 | DBL | AI | 45000 | Coral", 1, "hotel"),
        ("Rixos | ! | 12.06–19.06 | 7 | DBL | AI | 45000 | Coral", 2, "place"),
        ("Rixos | TR Belek | June | 7 | DBL | AI | 45000 | Coral", 3, "dates"),
        ("Rixos | TR Belek | 12.06 | 7 | DBL | AI | 45000 | Coral", 3, "dates"),
        ("Rixos | TR Belek | 19.06-12.06 | 7 | DBL | AI | 45000 | Coral", 3, "dates"),
        ("Rixos | TR Belek | 12.06–19.06 | 8 | DBL | AI | 45000 | Coral", 4, "nights"),
        ("Rixos | TR Belek | 12.06–19.06 | seven | DBL | AI | 45000 | Coral", 4, "nights"),
        ("Rixos | TR Belek | 12.06–19.06 | 7 |  | AI | 45000 | Coral", 5, "room"),
        ("Rixos | TR Belek | 12.06–19.06 | 7 | DBL | LUX | 45000 | Coral", 6, "meal"),
        ("Rixos | TR Belek | 12.06–19.06 | 7 | DBL | AI | 0 | Coral", 7, "price"),
        ("Rixos | TR Belek | 12.06–19.06 | 7 | DBL | AI | 45000 GBP | Coral", 7, "price"),
        ("Rixos | TR Belek | 12.06–19.06 | 7 | DBL | AI | 45000 | C", 8, "operator"),
        ("Rixos | TR Belek | 12.06–19.06 | 7 | DBL | AI | 45000 | Coral | coral.ua", 9, "url"),
    ],
)
def test_a_bad_field_is_named(line: str, number: int, field: str) -> None:
    with pytest.raises(FieldError) as caught:
        read(line)
    assert (caught.value.args_["number"], caught.value.field) == (number, field)
    assert caught.value.cause.key  # the field's own explanation


@pytest.mark.parametrize("line", ["", "Rixos", "a|b|c|d|e|f|g", "a|b|c|d|e|f|g|h|i|j|k"])
def test_a_wrong_number_of_fields(line: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read(line)
    assert caught.value.key == "offer-paste-count"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=20), min_size=0, max_size=11))
def test_junk_is_refused_politely(parts: list[str]) -> None:
    try:
        option = read("|".join(parts))
    except InvalidInput as refused:  # a key the builder words for the manager
        assert refused.key.startswith(("offer-", "tour-error-", "st-error-", "error-"))
    else:
        assert option.nights <= (option.end_date - option.start_date).days


def test_expire_days_is_checked() -> None:
    assert Rules().offers.expire_days == 3
    assert Rules.model_validate({"offers": {"expire_days": 7}}).offers == Offers(expire_days=7)
    for bad in (0, 61, "soon"):
        with pytest.raises(ValueError):
            Rules.model_validate({"offers": {"expire_days": bad}})
