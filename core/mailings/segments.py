"""Segment expressions: who a mailing goes to, in one small syntax shared by chat, CLI and API.

An expression is a list of terms joined by ``and`` (every term must hold); the empty expression
means every client. Marketing consent is ALWAYS required on top of it and cannot be switched
off. Names and ``and`` are case-insensitive; values never contain spaces, but spaces around an
operator are allowed (``orders >= 1`` is ``orders>=1``).

    orders>=1 and country=TR and age=25-45

Terms (``a|b`` in a value means "either a or b"):

==========================  ===============================================================
``channel=telegram|viber``  reachable on that messenger (a name from the channel registry)
``lang=uk|en|ru``           the client's language (one the agency has enabled)
``lead``                    no order yet (``orders=0``)
``customer``                at least one order (``orders>=1``)
``repeat``                  at least two orders (``orders>=2``)
``orders>=N``               number of orders (not cancelled); ``=``, ``>``, ``>=``, ``<``, ``<=``
``age=A-B``                 age in whole years between A and B (both included)
``gender=f|m``              the client's gender
``birthday_within=N``       birthday today or in the next N days (0..366)
``country=TR|EG``           has an order to that country (ISO code)
``departed=D..D``           has a trip departing between two dates (``YYYY-MM-DD``, included)
``returning=D..D``          has a trip returning between two dates
``debt>X``                  still owes more than X (agency currency) on booked orders
``balance>X``               balance in the agency currency; ``>``, ``>=``, ``<``, ``<=``
``bonus>X``                 bonus points; ``>``, ``>=``, ``<``, ``<=``
``last_trip<D``             travelled, but the last departure was before D (lost clients)
``manager=ID|ID``           the client's manager (staff id)
==========================  ===============================================================

:func:`parse` turns text into a :class:`Segment` or raises :class:`SegmentError` (an
:class:`~core.errors.InvalidInput` whose key and arguments say where — a 1-based position — and
what was expected). ``str(segment)`` is the canonical text: ``parse(str(s)) == s``.

Channel names and languages belong to the deployment, not to this module: what a person types
is checked against a :class:`Vocabulary` (the channel registry's names and the agency's
languages, :func:`core.mailings.service.vocabulary`), and a refusal lists them. Without one
(re-reading a segment that was checked when it was saved) any well-formed name is taken.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from core.errors import InvalidInput

GENDERS = ("f", "m")
FLAGS = ("lead", "customer", "repeat")
COMPARE = (">=", "<=", ">", "<", "=")
BIRTHDAY_MAX = 366
AGE_MAX = 150

# term -> (operators it accepts, the value format shown in errors)
TERMS: dict[str, tuple[tuple[str, ...], str]] = {
    "channel": (("=",), "NAME|NAME"),  # shown as the vocabulary's names when there is one
    "lang": (("=",), "xx|yy"),
    "orders": (COMPARE, "N"),
    "age": (("=",), "A-B"),
    "gender": (("=",), "f|m"),
    "birthday_within": (("=",), "N"),
    "country": (("=",), "XX|YY"),
    "departed": (("=",), "YYYY-MM-DD..YYYY-MM-DD"),
    "returning": (("=",), "YYYY-MM-DD..YYYY-MM-DD"),
    "debt": ((">", ">="), "X"),
    "balance": ((">", ">=", "<", "<="), "X"),
    "bonus": ((">", ">=", "<", "<="), "N"),
    "last_trip": (("<",), "YYYY-MM-DD"),
    "manager": (("=",), "ID|ID"),
}


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The values of ``channel=`` and ``lang=`` this deployment knows."""

    channels: tuple[str, ...]
    langs: tuple[str, ...]

    @classmethod
    def of(cls, channels: Iterable[str], langs: Iterable[str]) -> Vocabulary:
        return cls(tuple(c.lower() for c in channels), tuple(x.lower() for x in langs))

    def allowed(self, name: str) -> tuple[str, ...] | None:
        return {"channel": self.channels, "lang": self.langs}.get(name)


_CHANNEL_NAME = re.compile(r"[a-z][a-z0-9_]{0,15}")
_LANG_NAME = re.compile(r"[a-z]{2,3}")


class SegmentError(InvalidInput):
    """A bad expression. ``key`` names what was expected; ``position`` is 1-based."""

    def __init__(self, key: str, position: int, found: str, **args: Any) -> None:
        super().__init__(key, position=position, found=found or "—", **args)
        self.position = position
        self.found = found


@dataclass(frozen=True, slots=True)
class Term:
    name: str
    op: str = ""
    value: Any = None

    def __str__(self) -> str:
        if self.name in FLAGS:
            return self.name
        return f"{self.name}{self.op}{_render_value(self.name, self.value)}"


@dataclass(frozen=True, slots=True)
class Segment:
    terms: tuple[Term, ...] = ()

    def __str__(self) -> str:
        return " and ".join(str(t) for t in self.terms)

    def __bool__(self) -> bool:
        return bool(self.terms)


def _render_value(name: str, value: Any) -> str:
    if name in ("channel", "lang", "gender", "country", "manager"):
        return "|".join(str(v) for v in value)
    if name == "age":
        return f"{value[0]}-{value[1]}"
    if name in ("departed", "returning"):
        return f"{value[0].isoformat()}..{value[1].isoformat()}"
    if name in ("debt", "balance"):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


_NAME = re.compile(r"[A-Za-z_]+")
_INT = re.compile(r"\d{1,9}")
_MONEY = re.compile(r"\d{1,12}(?:\.\d{1,2})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNTRY = re.compile(r"[A-Za-z]{2}")


class _Bad(Exception):
    """A value that does not fit its term (turned into a SegmentError by the parser)."""


def _choices(
    text: str, allowed: tuple[str, ...] | None, shape: re.Pattern[str] | None = None
) -> tuple[str, ...]:
    """``a|b`` as a tuple: each one of ``allowed`` (or, without a list, of the right shape)."""
    items = text.split("|")
    out = []
    for item in items:
        item = item.lower()
        known = item in allowed if allowed is not None else bool(shape and shape.fullmatch(item))
        if not known:
            raise _Bad
        if item not in out:
            out.append(item)
    return tuple(out)


def _int(text: str, low: int = 0, high: int = 10**9) -> int:
    if not _INT.fullmatch(text):
        raise _Bad
    value = int(text)
    if not low <= value <= high:
        raise _Bad
    return value


def _date(text: str) -> date:
    if not _DATE.fullmatch(text):
        raise _Bad
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _Bad from None


def _date_range(text: str) -> tuple[date, date]:
    start, sep, end = text.partition("..")
    if not sep:
        raise _Bad
    first, last = _date(start), _date(end)
    if first > last:
        raise _Bad
    return first, last


def _money(text: str) -> Decimal:
    if not _MONEY.fullmatch(text):
        raise _Bad
    try:
        return Decimal(text).normalize() if "." in text else Decimal(int(text))
    except InvalidOperation:
        raise _Bad from None


def _value(name: str, text: str, vocabulary: Vocabulary | None) -> Any:
    if name == "channel":
        known = vocabulary.channels if vocabulary is not None else None
        return _choices(text, known, _CHANNEL_NAME)
    if name == "lang":
        return _choices(text, vocabulary.langs if vocabulary is not None else None, _LANG_NAME)
    if name == "gender":
        return _choices(text, GENDERS)
    if name == "country":
        codes = tuple(dict.fromkeys(c.upper() for c in text.split("|")))
        if not all(_COUNTRY.fullmatch(c) for c in codes):
            raise _Bad
        return codes
    if name == "manager":
        return tuple(dict.fromkeys(_int(v, 1) for v in text.split("|")))
    if name == "age":
        low, sep, high = text.partition("-")
        if not sep:
            raise _Bad
        first, last = _int(low, 0, AGE_MAX), _int(high, 0, AGE_MAX)
        if first > last:
            raise _Bad
        return (first, last)
    if name == "birthday_within":
        return _int(text, 0, BIRTHDAY_MAX)
    if name in ("departed", "returning"):
        return _date_range(text)
    if name in ("debt", "balance"):
        return _money(text)
    if name == "last_trip":
        return _date(text)
    return _int(text)  # orders, bonus


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip_spaces(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def at_end(self) -> bool:
        return self.pos >= len(self.text)

    def found(self) -> str:
        """The word at the current position, for error messages."""
        rest = self.text[self.pos :].split(maxsplit=1)
        return rest[0][:24] if rest else ""

    def error(self, key: str, **args: Any) -> SegmentError:
        return SegmentError(key, self.pos + 1, self.found(), **args)

    def name(self) -> str | None:
        match = _NAME.match(self.text, self.pos)
        if not match:
            return None
        self.pos = match.end()
        return match.group().lower()

    def operator(self) -> str | None:
        for op in COMPARE:
            if self.text.startswith(op, self.pos):
                self.pos += len(op)
                return op
        return None

    def word(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and not self.text[self.pos].isspace():
            self.pos += 1
        return self.text[start : self.pos]


def _format(name: str, vocabulary: Vocabulary | None) -> str:
    """The value format shown in a refusal: the real names where the deployment has them."""
    allowed = vocabulary.allowed(name) if vocabulary is not None else None
    return "|".join(allowed) if allowed else TERMS[name][1]


def _term(scan: _Scanner, vocabulary: Vocabulary | None) -> Term:
    start = scan.pos
    name = scan.name()
    if name is None:
        raise scan.error("seg-expected-term")
    if name in FLAGS:
        if not scan.at_end() and not scan.text[scan.pos].isspace():
            raise scan.error("seg-expected-and")
        return Term(name)
    if name not in TERMS:
        scan.pos = start
        raise scan.error("seg-unknown-term", term=name)
    ops = TERMS[name][0]
    fmt = _format(name, vocabulary)
    scan.skip_spaces()
    op_at = scan.pos
    op = scan.operator()
    if op is None or op not in ops:
        scan.pos = op_at
        raise scan.error("seg-expected-operator", term=name, operators=" ".join(ops))
    scan.skip_spaces()
    value_at = scan.pos
    text = scan.word()
    if not text:
        raise scan.error("seg-expected-value", term=name, format=fmt)
    try:
        value = _value(name, text, vocabulary)
    except _Bad:
        scan.pos = value_at
        raise scan.error("seg-bad-value", term=name, format=fmt) from None
    return Term(name, op, value)


def parse(text: str, vocabulary: Vocabulary | None = None) -> Segment:
    """Parse a segment expression; raises :class:`SegmentError` on bad input.

    ``vocabulary``: the channel names and languages a person may use (always pass it for what
    was typed); None only to re-read a segment that was checked when it was written."""
    scan = _Scanner(text or "")
    scan.skip_spaces()
    if scan.at_end():
        return Segment()
    terms = [_term(scan, vocabulary)]
    while True:
        scan.skip_spaces()
        if scan.at_end():
            return Segment(tuple(terms))
        word_at = scan.pos
        if scan.name() != "and":
            scan.pos = word_at
            raise scan.error("seg-expected-and")
        if scan.at_end() or not scan.text[scan.pos].isspace():
            raise scan.error("seg-expected-term")
        scan.skip_spaces()
        if scan.at_end():
            raise scan.error("seg-expected-term")
        terms.append(_term(scan, vocabulary))
