"""Money is an integer in minor units plus an ISO currency code. Never a float."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache

from babel.core import Locale, get_global
from babel.numbers import format_currency, get_currency_precision, get_territory_currencies

from core.errors import InvalidInput

CURRENCIES = ("UAH", "USD", "EUR")


@cache
def iso_currencies() -> frozenset[str]:
    """ISO 4217 codes of the currencies that are legal tender somewhere today (CLDR, through
    Babel): "XYZ", withdrawn ones and the metal/test codes (XAU, XTS) are not money to bill in."""
    today = date.today()
    return frozenset(
        code
        for territory in get_global("territory_currencies")
        for code in get_territory_currencies(territory, today, tender=True)
    )


def minor_digits(currency: str) -> int:
    return int(get_currency_precision(currency))


# CLDR's currencySpacing, which Babel does not apply: a symbol made of letters ("UAH", "USD")
# is kept apart from the digits by a no-break space ("UAH 1,000.00", not "UAH1,000.00").
_LETTERS_THEN_DIGIT = re.compile(r"([^\W\d_])(\d)")
_DIGIT_THEN_LETTERS = re.compile(r"(\d)([^\W\d_])")


@cache
def babel_locale(locale: str) -> Locale:
    """Parsed once per process: Babel parses a locale string again on every call it gets one."""
    return Locale.parse(locale)


@lru_cache(maxsize=4096)
def format_money(amount: int, currency: str, locale: str) -> str:
    """The locale's way of writing money: ``1 000,00 ₴`` (uk), ``UAH 1,000.00`` (en).
    Remembered for the last few thousand amounts: Babel takes some 40 µs a call, and a batch
    of reminders or a mailing writes the same prices again and again."""
    value = Decimal(amount).scaleb(-minor_digits(currency))
    text = str(format_currency(value, currency, locale=babel_locale(locale)))
    text = _LETTERS_THEN_DIGIT.sub("\\1\u00a0\\2", text)
    return _DIGIT_THEN_LETTERS.sub("\\1\u00a0\\2", text)


_AMOUNT = re.compile(r"^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$")


def parse_amount(text: str, currency: str) -> int:
    """``"1 500,50"`` -> 150050 (UAH). Raises :class:`InvalidInput` with a translation key."""
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise InvalidInput("error-amount")
    try:
        value = Decimal(f"{match[1]}.{match[2] or '0'}")
    except InvalidOperation:
        raise InvalidInput("error-amount") from None
    minor = int(value.scaleb(minor_digits(currency)))
    if minor <= 0:
        raise InvalidInput("error-amount")
    return minor
