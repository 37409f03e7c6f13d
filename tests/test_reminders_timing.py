"""Local time, quiet hours, leap-day birthdays, memos and the catalogue of reminder texts."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pytest

from core.reminders.memos import load_memo, memo_path, split_text
from core.reminders.timing import after_quiet_hours, birthday_in, day_bounds, local_at
from core.rules import QuietHours
from tests.support.reminders import KYIV, kyiv

ROOT = Path(__file__).resolve().parent.parent


def test_local_time_keeps_the_wall_clock_across_dst() -> None:
    assert local_at(date(2027, 3, 27), time(10), KYIV).hour == 8  # EET, UTC+2
    assert local_at(date(2027, 3, 29), time(10), KYIV).hour == 7  # EEST, UTC+3
    # 03:30 does not exist on 28 March 2027: it becomes 04:30 local, not an hour earlier
    assert local_at(date(2027, 3, 28), time(3, 30), KYIV).astimezone(KYIV).hour == 4
    # 03:30 happens twice on 31 October 2027: the first one
    first = local_at(date(2027, 10, 31), time(3, 30), KYIV)
    assert first.astimezone(KYIV).utcoffset().total_seconds() == 3 * 3600  # type: ignore[union-attr]


def test_a_dst_day_is_23_or_25_hours_long() -> None:
    start, end = day_bounds(date(2027, 3, 28), KYIV)
    assert (end - start).total_seconds() == 23 * 3600
    start, end = day_bounds(date(2027, 10, 31), KYIV)
    assert (end - start).total_seconds() == 25 * 3600


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ((20, 59), (2026, 11, 23, 20, 59)),  # before the quiet hours: unchanged
        ((21, 0), (2026, 11, 24, 9, 0)),  # evening part: to the next morning
        ((23, 30), (2026, 11, 24, 9, 0)),
        ((3, 0), (2026, 11, 23, 9, 0)),  # morning part: to this morning's end
        ((9, 0), (2026, 11, 23, 9, 0)),
    ],
)
def test_quiet_hours_across_midnight(local: tuple[int, int], expected: tuple[int, ...]) -> None:
    quiet = QuietHours(start=time(21), end=time(9))
    moment = kyiv(2026, 11, 23, *local)
    assert after_quiet_hours(moment, quiet, KYIV) == kyiv(*expected)


def test_quiet_hours_within_a_day_and_switched_off() -> None:
    siesta = QuietHours(start=time(13), end=time(15))
    assert after_quiet_hours(kyiv(2026, 11, 23, 14), siesta, KYIV) == kyiv(2026, 11, 23, 15)
    assert after_quiet_hours(kyiv(2026, 11, 23, 16), siesta, KYIV) == kyiv(2026, 11, 23, 16)
    off = QuietHours(enabled=False)
    assert after_quiet_hours(kyiv(2026, 11, 23, 23), off, KYIV) == kyiv(2026, 11, 23, 23)


def test_quiet_hours_end_on_the_right_side_of_a_dst_change() -> None:
    quiet = QuietHours(start=time(21), end=time(9))
    # the night the clocks go forward: 9:00 EEST next morning
    assert after_quiet_hours(kyiv(2027, 3, 27, 22), quiet, KYIV) == kyiv(2027, 3, 28, 9)


def test_leap_day_birthdays() -> None:
    assert birthday_in(date(2000, 2, 29), 2027) == date(2027, 2, 28)
    assert birthday_in(date(2000, 2, 29), 2028) == date(2028, 2, 29)
    assert birthday_in(date(1990, 3, 1), 2027) == date(2027, 3, 1)


def test_memos_are_found_by_plain_codes_only(tmp_path: Path) -> None:
    (tmp_path / "en").mkdir()
    (tmp_path / "en" / "EG.md").write_text("Visa on arrival.\n", encoding="utf-8")
    assert load_memo(str(tmp_path), "en", "eg") == "Visa on arrival."
    assert load_memo(str(tmp_path), "uk", "EG") is None  # no Ukrainian memo: checklist only
    assert load_memo(str(tmp_path), "en", None) is None
    assert memo_path(str(tmp_path), "en", "../../etc") is None
    assert memo_path(str(tmp_path), "../x", "EG") is None


def test_shipped_memos_exist_in_every_language() -> None:
    for country in ("EG", "TR"):
        for locale in ("uk", "en", "ru"):
            assert load_memo("", locale, country)


def test_long_memos_are_split_at_paragraphs() -> None:
    text = "\n\n".join(f"Paragraph {i} " + "x" * 900 for i in range(6))
    chunks = split_text(text, limit=2000)
    assert all(len(c) <= 2000 for c in chunks)
    assert "".join(chunks).replace("\n", "") == text.replace("\n", "")
    assert split_text("y" * 4500, limit=2000) == ["y" * 2000, "y" * 2000, "y" * 500]


def _keys(path: Path) -> set[str]:
    return set(re.findall(r"^([a-z][a-z0-9-]*) =", path.read_text(encoding="utf-8"), re.M))


def test_reminder_texts_have_the_same_keys_in_every_language() -> None:
    keys = {loc: _keys(ROOT / "locales" / loc / "reminders.ftl") for loc in ("uk", "en", "ru")}
    assert keys["uk"] == keys["en"] == keys["ru"]
    used = set()
    for path in [*(ROOT / "core" / "reminders").glob("*.py"), ROOT / "handlers" / "review.py"]:
        used |= set(re.findall(r'"((?:reminder|review)-[a-z0-9-]+)"', path.read_text()))
    used -= {"review-rated", "review-commented"}  # audit actions, not texts
    assert used - keys["en"] == set()
