"""What a tourist may type into the wizard: dates, months in three languages, nights, cancel."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import ConfigError, InvalidInput
from core.rules import Rules, load_rules
from core.tour_input import check_fit, is_cancel, parse_nights, parse_when
from core.tour_requests import BudgetTooHigh, parse_budget

TODAY = date(2026, 11, 23)


def when(text: str) -> dict[str, str]:
    return parse_when(text, TODAY)


def refused(text: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        parse_when(text, TODAY)
    return caught.value.key


MARCH_12_20 = {"from": "2027-03-12", "to": "2027-03-20"}


@pytest.mark.parametrize(
    "text",
    [
        "12.03-20.03",
        "12.03–20.03",
        "12.03 — 20.03",
        "12.03..20.03",
        "12/03 - 20/03",
        "з 12.03 по 20.03",
        "З 12.03 ПО 20.03",
        "с 12.03 по 20.03",
        "from 12.03 to 20.03",
        "12.03.2027-20.03.2027",
        "12.03.27 - 20.03.27",
        "2027-03-12 - 2027-03-20",
        "12-20 березня",
        "з 12 по 20 березня",
        "12 березня - 20 березня",
        "12–20 марта",
        "с 12 по 20 марта",
        "12-20 March",
        "March 12-20",
        "from March 12 to March 20",
        "12 Mar - 20 Mar 2027",
        "12-20 march 2027",
        "між 12 і 20 березня",
        "между 12 и 20 марта",
        "between 12 and 20 March",
    ],
)
def test_ranges_in_every_notation(text: str) -> None:
    assert when(text) == MARCH_12_20, text


def test_a_range_over_the_new_year_and_a_bare_day_borrowing_the_month() -> None:
    assert when("28.12-05.01") == {"from": "2026-12-28", "to": "2027-01-05"}
    assert when("28 грудня - 5 січня") == {"from": "2026-12-28", "to": "2027-01-05"}
    assert when("December 28 - January 5") == {"from": "2026-12-28", "to": "2027-01-05"}
    assert when("1-10 червня") == {"from": "2027-06-01", "to": "2027-06-10"}


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("12.03", "2027-03-12"),
        ("12 березня", "2027-03-12"),
        ("12 марта", "2027-03-12"),
        ("March 12", "2027-03-12"),
        ("12 Mar 2027", "2027-03-12"),
        ("25.11", "2026-11-25"),  # later this month
        ("20.11", "2027-11-20"),  # already passed this year: the next one
    ],
)
def test_a_single_date_is_the_day_to_set_off(text: str, day: str) -> None:
    assert when(text) == {"from": day, "to": day}


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("березень", "2027-03"),
        ("березня", "2027-03"),
        ("у березні", "2027-03"),
        ("Березень 2027", "2027-03"),
        ("лютий", "2027-02"),
        ("в лютому", "2027-02"),
        ("листопад", "2026-11"),
        ("у листопаді", "2026-11"),
        ("грудень", "2026-12"),
        ("march", "2027-03"),
        ("In March", "2027-03"),
        ("Sept", "2027-09"),
        ("марта", "2027-03"),
        ("март", "2027-03"),
        ("в марте", "2027-03"),
        ("май", "2027-05"),
        ("в мае", "2027-05"),
        ("сентябрь", "2027-09"),
        ("в сентябре", "2027-09"),
        ("январь 2027", "2027-01"),
        ("в январе", "2027-01"),
        ("ЯНВАРЁМ", "2027-01"),
        ("october 2027", "2027-10"),
    ],
)
def test_month_names_in_every_case(text: str, month: str) -> None:
    assert when(text) == {"month": month}


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("next summer", "tour-error-dates-format"),
        ("12", "tour-error-dates-format"),
        ("12-20", "tour-error-dates-format"),  # which month?
        ("2027", "tour-error-dates-format"),
        ("32.13–01.01", "tour-error-dates-format"),
        ("31.02", "tour-error-dates-format"),
        ("12.03 20.03 28.03", "tour-error-dates-format"),
        ("березень квітень", "tour-error-dates-format"),
        ("01.01.2020 - 05.01.2020", "tour-error-dates-past"),
        ("березень 2020", "tour-error-dates-past"),
        ("20.03-12.03", "tour-error-dates-order"),
        ("2027-03-12 - 2027-03-12", "tour-error-dates-order"),
        ("2030-01-01 - 2030-01-10", "tour-error-dates-far"),
        ("березень 2029", "tour-error-dates-far"),
        ("12.03.2030", "tour-error-dates-far"),
    ],
)
def test_what_is_refused_and_why(text: str, key: str) -> None:
    assert refused(text) == key


@pytest.mark.parametrize(
    ("text", "nights"),
    [
        ("7", (7, 7)),
        ("7 ночей", (7, 7)),
        ("1 ніч", (1, 1)),
        ("3 ночі", (3, 3)),
        ("2 ночи", (2, 2)),
        ("10 nights", (10, 10)),
        ("7-10", (7, 10)),
        ("7–10 ночей", (7, 10)),
        ("від 7 до 10 ночей", (7, 10)),
        ("от 7 до 10", (7, 10)),
        ("7 to 10 nights", (7, 10)),
        ("13+", (13, None)),
        ("13 or more", (13, None)),
        ("13 і більше", (13, None)),
        ("13 и больше", (13, None)),
    ],
)
def test_nights(text: str, nights: tuple[int, int | None]) -> None:
    assert parse_nights(text) == nights


@pytest.mark.parametrize("text", ["0", "31", "10-7", "a week", "5-40", "7 8", "7.10", "", "-"])
def test_nights_refused(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_nights(text)
    assert caught.value.key == "tour-error-nights"


def test_dates_and_nights_must_agree() -> None:
    eight = when("12.03-20.03")
    check_fit(eight, (7, 7))  # 8 days hold 7 nights
    check_fit(eight, (8, 10))  # at least 8: fits
    three = when("12.03-15.03")
    with pytest.raises(InvalidInput) as caught:
        check_fit(three, (10, 10))
    assert caught.value.key == "tour-error-nights-dates"
    assert caught.value.args_ == {"nights": 10, "span": 3}
    check_fit(when("березень"), (30, None))  # a month, flexible or a single date: no check
    check_fit({}, (30, None))
    check_fit(when("12.03"), (30, None))
    check_fit(None, (3, 5))
    check_fit(three, None)


@pytest.mark.parametrize(
    "text", ["Cancel", "cancel", "CANCEL", "✖️ Cancel", " Скасувати ", "скасувати!", "Отмена"]
)
def test_cancel_words(text: str) -> None:
    assert is_cancel(text)


@pytest.mark.parametrize("text", ["Cancun", "cancel my trip", "", "Отменный отдых", None])
def test_not_cancel(text: str | None) -> None:
    assert not is_cancel(text)


@given(st.text(max_size=80), st.dates(date(2000, 1, 1), date(2100, 12, 31)))
def test_dates_never_crash_on_junk(text: str, today: date) -> None:
    try:
        result = parse_when(text, today)
    except InvalidInput:
        return
    assert set(result) in ({"month"}, {"from", "to"})
    if "from" in result:
        assert date.fromisoformat(result["from"]) <= date.fromisoformat(result["to"])
        assert date.fromisoformat(result["from"]) >= today


_DATEISH = st.text(alphabet="0123456789.-/ –по з березнямарта", max_size=30)


@given(_DATEISH)
def test_date_shaped_junk_never_crashes(text: str) -> None:
    try:
        result = parse_when(text, TODAY)
    except InvalidInput:
        return
    assert set(result) in ({"month"}, {"from", "to"})


@given(st.text(max_size=60) | st.text(alphabet="0123456789-+ ночей", max_size=20))
def test_nights_never_crash_on_junk(text: str) -> None:
    try:
        low, high = parse_nights(text)
    except InvalidInput:
        return
    assert 1 <= low <= 30 and (high is None or low <= high <= 30)


@given(st.text(max_size=40))
def test_cancel_never_crashes(text: str) -> None:
    assert is_cancel(text) in (True, False)


def test_budget_ceiling_per_currency() -> None:
    ceiling = {"EUR": 500000}
    assert parse_budget("5000 EUR", "UAH", ceiling) == (500000, "EUR")
    with pytest.raises(BudgetTooHigh) as caught:
        parse_budget("€5 000.01", "UAH", ceiling)
    assert caught.value.key == "tour-error-budget-max"
    assert caught.value.args_ == {"max": 500000, "currency": "EUR"}
    assert parse_budget("9000000", "UAH", ceiling) == (900000000, "UAH")  # no UAH ceiling
    with pytest.raises(BudgetTooHigh):
        parse_budget("10000001", "UAH", Rules().tour_requests.budget_max)
    with pytest.raises(BudgetTooHigh):  # too long for an amount: over the ceiling all the same
        parse_budget("99 999 999 999", "EUR", ceiling)
    with pytest.raises(InvalidInput) as plain:  # no ceiling for UAH: just not an amount
        parse_budget("99999999999", "UAH", ceiling)
    assert plain.value.key == "tour-error-budget"


@pytest.mark.parametrize("typed", ["0", "0,00", "0.0", "0 EUR", "€0", "-500", "−1 500", "-0"])
def test_a_budget_of_zero_or_less_is_told_to_be_above_zero(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_budget(typed, "UAH", Rules().tour_requests.budget_max)
    assert caught.value.key == "tour-error-budget-positive"


@pytest.mark.parametrize("typed", ["lots", "5O0", "1.2.3", "-"])
def test_a_budget_that_is_no_number_is_asked_as_a_number(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_budget(typed, "UAH")
    assert caught.value.key == "tour-error-budget"


def test_budget_ceiling_in_the_toml(tmp_path: Path) -> None:
    path = tmp_path / "tourdesk.toml"
    path.write_text("[tour_requests]\nbudget_max = { EUR = 500000 }\n", encoding="utf-8")
    assert load_rules(path).tour_requests.budget_max == {"EUR": 500000}
    for bad, message in (
        (
            "{ euro = 5 }",
            "tour_requests.budget_max: 'euro' is not an ISO 4217 currency code in use",
        ),
        ("{ EUR = 0 }", "tour_requests.budget_max: the ceiling for EUR must be above zero"),
    ):
        path.write_text(f"[tour_requests]\nbudget_max = {bad}\n", encoding="utf-8")
        with pytest.raises(ConfigError) as caught:
            load_rules(path)
        assert str(caught.value) == f"{path}: {message}"
