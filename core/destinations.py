"""Countries as destinations: kept as ISO 3166 codes ("TR"), shown in the reader's language.

The names come from Babel's territory names (CLDR), so every country reads right in uk, en and
ru without a catalogue line each. Where the everyday word differs from CLDR's ("Turkey" for
"Türkiye", "UAE" for "United Arab Emirates"), a catalogue's ``country-<CODE>`` says it.
A typed destination ("Crete", "Bukovel") is kept and shown as typed; a country name typed in
any of the languages is recognised as that country, so "Туреччина" and "Turkey" are one.
"""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, UnknownLocaleError

from core.i18n import T

NAME_LOCALES = ("en", "uk", "ru")
_CODE = re.compile(r"^[A-Z]{2}$")
# everyday names CLDR spells otherwise, and names older versions stored (they still resolve)
ALIASES = {
    "turkey": "TR",
    "uae": "AE",
    "оае": "AE",
    "оаэ": "AE",
    "dominicana": "DO",
    "домінікана": "DO",
    "доминикана": "DO",
}


@cache
def _territories(locale: str) -> dict[str, str]:
    try:
        names = Locale.parse(locale).territories
    except (UnknownLocaleError, ValueError):
        names = Locale.parse("en").territories
    return {code: str(name) for code, name in names.items() if _CODE.match(code)}


@cache
def _by_name() -> dict[str, str]:
    index = dict(ALIASES)
    for locale in NAME_LOCALES:
        for code, name in _territories(locale).items():
            index.setdefault(_fold(name), code)
    return index


def _fold(text: str) -> str:
    return " ".join(text.replace("ʼ", "'").casefold().split())


def is_country(code: str) -> bool:
    return bool(_CODE.match(code)) and code in _territories("en")


def code_of(value: str) -> str | None:
    """The ISO code of ``value``: a code itself, or a country's name in uk / en / ru."""
    text = value.strip()
    if is_country(text.upper()) and len(text) == 2:
        return text.upper()
    return _by_name().get(_fold(text))


def country_name(t: T, code: str) -> str:
    """The country as ``t``'s reader calls it."""
    key = f"country-{code}"
    if t.has(key):
        return t(key)
    return _territories(t.locale).get(code) or _territories("en").get(code) or code


def destination_label(t: T, value: str) -> str:
    """A stored destination as the reader says it: a country by its name in their language,
    anything else as it was typed."""
    code = code_of(value) if value else None
    return country_name(t, code) if code else value
