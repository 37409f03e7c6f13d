"""The segment expression syntax: what it accepts, where it says a bad expression goes wrong,
and (hypothesis) that rendering round-trips and junk never crashes the parser."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.i18n import Translator
from core.mailings.segments import Segment, SegmentError, Term, Vocabulary, parse

HERE = Vocabulary.of(("telegram", "viber"), ("uk", "en", "ru"))  # what a deployment knows


def test_empty_expression_is_everyone() -> None:
    assert parse("") == Segment()
    assert parse("   ") == Segment()


def test_the_example_from_the_issue() -> None:
    segment = parse("orders>=1 and country=TR and age=25-45")
    assert segment.terms == (
        Term("orders", ">=", 1),
        Term("country", "=", ("TR",)),
        Term("age", "=", (25, 45)),
    )
    assert str(segment) == "orders>=1 and country=TR and age=25-45"


def test_spaces_around_an_operator_are_allowed() -> None:
    """People type ``orders >= 1``; values themselves still end at a space."""
    spaced = parse("orders >= 1 AND country = TR and age =25-45 and  debt>  10", HERE)
    assert str(spaced) == "orders>=1 and country=TR and age=25-45 and debt>10"
    with pytest.raises(SegmentError) as caught:
        parse("age = 25 - 45", HERE)
    assert (caught.value.key, caught.value.position) == ("seg-bad-value", 7)


def test_every_term_parses_and_renders_canonically() -> None:
    text = (
        "channel=Telegram|viber AND lang=uk and lead and customer and repeat and age=18-30 "
        "and gender=F and birthday_within=7 and country=tr|eg and departed=2026-06-01..2026-08-31 "
        "and returning=2026-07-01..2026-07-31 and debt>1000.50 and balance>=0 and bonus>100 "
        "and last_trip<2025-01-01 and manager=3|4 and orders<3"
    )
    assert str(parse(text)) == (
        "channel=telegram|viber and lang=uk and lead and customer and repeat and age=18-30 "
        "and gender=f and birthday_within=7 and country=TR|EG "
        "and departed=2026-06-01..2026-08-31 and returning=2026-07-01..2026-07-31 "
        "and debt>1000.5 and balance>=0 and bonus>100 and last_trip<2025-01-01 "
        "and manager=3|4 and orders<3"
    )


@pytest.mark.parametrize(
    ("text", "key", "position"),
    [
        ("orders>=1 or country=TR", "seg-expected-and", 11),
        ("orders>=1 and", "seg-expected-term", 14),
        ("orders>=1 and  ", "seg-expected-term", 16),
        ("colour=red", "seg-unknown-term", 1),
        ("orders>=1 and weight>3", "seg-unknown-term", 15),
        ("age>20", "seg-expected-operator", 4),
        ("debt=5", "seg-expected-operator", 5),
        ("orders", "seg-expected-operator", 7),
        ("age=", "seg-expected-value", 5),
        ("age=45-25", "seg-bad-value", 5),
        ("age=abc", "seg-bad-value", 5),
        ("channel=whatsapp", "seg-bad-value", 9),
        ("departed=2026-02-30..2026-03-01", "seg-bad-value", 10),
        ("departed=2026-03-01", "seg-bad-value", 10),
        ("country=TUR", "seg-bad-value", 9),
        ("birthday_within=400", "seg-bad-value", 17),
        ("debt>1.234", "seg-bad-value", 6),
        ("lead=1", "seg-expected-and", 5),
        ("=3", "seg-expected-term", 1),
        ("orders>=1 andcountry=TR", "seg-expected-and", 11),
    ],
)
def test_bad_expressions_say_where_and_what_was_expected(
    text: str, key: str, position: int
) -> None:
    with pytest.raises(SegmentError) as caught:
        parse(text, HERE)
    assert caught.value.key == key
    assert caught.value.position == position


def test_channels_and_languages_are_the_deployments() -> None:
    """Typed values are checked against the vocabulary, and a refusal lists its names."""
    sms = Vocabulary.of(("telegram", "sms"), ("uk", "pl"))
    assert parse("channel=SMS and lang=pl", sms).terms == (
        Term("channel", "=", ("sms",)),
        Term("lang", "=", ("pl",)),
    )
    for text, listed in (("channel=viber", "telegram|sms"), ("lang=en", "uk|pl")):
        with pytest.raises(SegmentError) as caught:
            parse(text, sms)
        assert caught.value.key == "seg-bad-value" and caught.value.args_["format"] == listed
    # re-reading a segment stored earlier: any well-formed name, whatever runs today
    assert str(parse("channel=viber and lang=en")) == "channel=viber and lang=en"
    with pytest.raises(SegmentError):
        parse("channel=what's-app")


def test_the_error_reads_well_in_every_language() -> None:
    translator = Translator(("uk", "en", "ru"), "uk")
    with pytest.raises(SegmentError) as caught:
        parse("orders>=1 and age=abc")
    error = caught.value
    en = translator("en")(error.key, **error.args_)
    assert en == (
        "The segment has a value that does not fit at position 19 (“abc”): "
        "“age” takes a value like A-B"
    )
    for locale in ("uk", "ru"):
        text = translator(locale)(error.key, **error.args_)
        assert "19" in text and "A-B" in text and "seg-" not in text


# ---- property tests --------------------------------------------------------------------------

_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))


def _date_range() -> st.SearchStrategy[tuple[date, date]]:
    return st.tuples(_dates, st.integers(0, 400)).map(lambda p: (p[0], p[0] + timedelta(p[1])))


def _unique(items: st.SearchStrategy[object]) -> st.SearchStrategy[tuple[object, ...]]:
    return st.lists(items, min_size=1, max_size=3, unique=True).map(tuple)


_money = st.decimals(min_value=0, max_value=10**9, places=2).map(
    lambda d: d.normalize() if d != d.to_integral() else Decimal(int(d))
)
_country = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2)

TERMS = st.one_of(
    st.sampled_from([Term("lead"), Term("customer"), Term("repeat")]),
    st.builds(
        Term, st.just("channel"), st.just("="), _unique(st.sampled_from(["telegram", "viber"]))
    ),
    st.builds(Term, st.just("lang"), st.just("="), _unique(st.sampled_from(["uk", "en", "ru"]))),
    st.builds(Term, st.just("gender"), st.just("="), _unique(st.sampled_from(["f", "m"]))),
    st.builds(Term, st.just("country"), st.just("="), _unique(_country)),
    st.builds(Term, st.just("manager"), st.just("="), _unique(st.integers(1, 10**6))),
    st.builds(
        Term,
        st.just("orders"),
        st.sampled_from([">=", "<=", ">", "<", "="]),
        st.integers(0, 1000),
    ),
    st.builds(
        Term,
        st.just("age"),
        st.just("="),
        st.tuples(st.integers(0, 75), st.integers(0, 75)).map(lambda p: (min(p), max(p))),
    ),
    st.builds(Term, st.just("birthday_within"), st.just("="), st.integers(0, 366)),
    st.builds(Term, st.sampled_from(["departed", "returning"]), st.just("="), _date_range()),
    st.builds(Term, st.just("debt"), st.sampled_from([">", ">="]), _money),
    st.builds(Term, st.just("balance"), st.sampled_from([">", ">=", "<", "<="]), _money),
    st.builds(
        Term, st.just("bonus"), st.sampled_from([">", ">=", "<", "<="]), st.integers(0, 10**6)
    ),
    st.builds(Term, st.just("last_trip"), st.just("<"), _dates),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(TERMS, max_size=6).map(lambda ts: Segment(tuple(ts))))
def test_rendering_round_trips(segment: Segment) -> None:
    assert parse(str(segment), HERE) == segment


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=60))
def test_junk_never_crashes(text: str) -> None:
    try:
        segment = parse(text)
    except SegmentError as error:
        assert 1 <= error.position <= len(text) + 1
        assert error.key.startswith("seg-")
    else:
        assert parse(str(segment)) == segment


_ALPHABET = st.sampled_from(
    [
        "orders",
        "age",
        "and",
        "AND",
        ">=",
        "<",
        "=",
        "-",
        "..",
        "|",
        " ",
        "1",
        "25",
        "TR",
        "x",
        "lead",
        "country",
        "2026-01-01",
        "debt",
        ".",
    ]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_ALPHABET, max_size=12).map("".join))
def test_near_misses_never_crash(text: str) -> None:
    try:
        segment = parse(text)
    except SegmentError as error:
        assert 1 <= error.position <= len(text) + 1
    else:
        assert parse(str(segment)) == segment
