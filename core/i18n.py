"""Translations: Fluent catalogues in ``locales/<locale>/*.ftl``.

Handlers never contain UI text; they ask a :class:`T` (a translator bound to one locale) for a
key. Plurals and number forms in uk/ru are Fluent's job.

The catalogues are package data of the ``locales`` package, read through
``importlib.resources``, so an installed wheel finds them wherever it is installed. A locale
without a catalogue, or whose catalogue lacks keys the default locale has, is a
:class:`ConfigError`: start-up stops with one line instead of users seeing message keys.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

from babel.dates import format_date as _babel_date
from babel.dates import format_time as _babel_time
from babel.dates import get_datetime_format
from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import ast as fluent_ast

from core.errors import ConfigError
from core.money import babel_locale, format_money

log = logging.getLogger(__name__)

# One date style and one time style per locale, everywhere a user reads a date. uk and ru use
# the long month name without CLDR's era-like suffix ("15 грудня 2026", not "15 груд. 2026 р."),
# so a sentence ending in a date never ends in "р.." or "г.."; other locales use Babel's "long".
DATE_PATTERNS = {"uk": "d MMMM y", "ru": "d MMMM y"}
DATE_DEFAULT = "long"
TIME_FORMAT = "short"  # 24-hour in uk and ru ("14:28"), the locale's own clock elsewhere
DASH = "—"

SHOWN_MISSING = 5  # the start-up error names this many missing keys, then counts the rest


def locales_root() -> Traversable:
    """The shipped ``locales`` folder (a package), wherever tourdesk is installed."""
    return files("locales")


def catalogue_files(root: Traversable, locale: str) -> list[Traversable]:
    """The ``*.ftl`` files of one locale, by name; none when the folder does not exist."""
    folder = root / locale
    if not folder.is_dir():
        return []
    return sorted((p for p in folder.iterdir() if p.name.endswith(".ftl")), key=lambda p: p.name)


def _keys(resource: fluent_ast.Resource) -> set[str]:
    keys: set[str] = set()
    for entry in resource.body:
        if isinstance(entry, fluent_ast.Message):
            keys.add(entry.id.name)
        elif isinstance(entry, fluent_ast.Term):
            keys.add("-" + entry.id.name)
    return keys


def pick_locale(hint: str | None, enabled: Iterable[str], default: str) -> str:
    """Map a messenger's language hint (``en-US``, ``uk``, ``be``) to one we speak."""
    enabled = tuple(enabled)
    if hint:
        base = hint.replace("_", "-").split("-", 1)[0].lower()
        if base in enabled:
            return base
        if base == "ua" and "uk" in enabled:
            return "uk"
    return default


class Translator:
    """Every enabled locale's catalogue, checked complete against the default locale's."""

    def __init__(
        self, locales: Iterable[str], default: str, root: Traversable | None = None
    ) -> None:
        root = root if root is not None else locales_root()
        self.default = default
        self.locales = tuple(dict.fromkeys((default, *locales)))
        self._bundles: dict[str, FluentBundle] = {}
        self._fixed: dict[tuple[str, str], str] = {}  # texts without arguments, formatted once
        keys: dict[str, set[str]] = {}
        for loc in self.locales:
            paths = catalogue_files(root, loc)
            if not paths:
                raise ConfigError(f"locale {loc!r} has no catalogue (no locales/{loc}/*.ftl)")
            bundle = FluentBundle([loc], use_isolating=False)
            keys[loc] = set()
            for path in paths:
                resource = FluentResource(path.read_text(encoding="utf-8"))
                keys[loc] |= _keys(resource)
                bundle.add_resource(resource)
            self._bundles[loc] = bundle
        for loc in self.locales:
            missing = sorted(keys[default] - keys[loc])
            if missing:
                shown = ", ".join(missing[:SHOWN_MISSING])
                more = len(missing) - SHOWN_MISSING
                rest = f" and {more} more" if more > 0 else ""
                raise ConfigError(
                    f"locale {loc!r}: the catalogue lacks {len(missing)} key(s) "
                    f"of {default!r}: {shown}{rest}"
                )

    def __call__(self, locale: str) -> T:
        return T(self, locale if locale in self._bundles else self.default)

    def has(self, locale: str, key: str) -> bool:
        bundle = self._bundles.get(locale)
        return bundle is not None and bundle.has_message(key)

    def format(self, locale: str, key: str, args: dict[str, Any]) -> str:
        if not args:  # a fixed text (a hint, a button): the catalogues never change
            fixed = self._fixed.get((locale, key))
            if fixed is None:
                fixed = self._fixed[(locale, key)] = self._format(locale, key, args)
            return fixed
        return self._format(locale, key, args)

    def _format(self, locale: str, key: str, args: dict[str, Any]) -> str:
        for loc in (locale, self.default):
            bundle = self._bundles.get(loc)
            if bundle is not None and bundle.has_message(key):
                message = bundle.get_message(key)
                if message.value is None:
                    break
                text, errors = bundle.format_pattern(message.value, args)
                if errors:
                    log.warning("translation %s/%s: %s", loc, key, errors)
                return str(text)
        log.error("missing translation %s/%s", locale, key)
        return key


class T:
    """A translator bound to one locale: ``t("menu-title", name=...)``."""

    def __init__(self, translator: Translator, locale: str) -> None:
        self._translator = translator
        self.locale = locale

    def __call__(self, key: str, **args: Any) -> str:
        return self._translator.format(self.locale, key, args)

    def has(self, key: str) -> bool:
        """Whether this locale's catalogue has ``key`` (for optional labels)."""
        return self._translator.has(self.locale, key)

    def money(self, amount: int, currency: str) -> str:
        return format_money(amount, currency, self.locale)

    def date(self, value: date | None) -> str:
        """The locale's one date style; a dash when there is no date."""
        if value is None:
            return DASH
        pattern = DATE_PATTERNS.get(self.locale, DATE_DEFAULT)
        return str(_babel_date(value, format=pattern, locale=babel_locale(self.locale)))

    def time(self, value: datetime, tz: tzinfo | None = None) -> str:
        """The locale's one time style, in ``tz`` when given (the agency's zone)."""
        local = value.astimezone(tz) if tz is not None else value
        return str(_babel_time(local, format=TIME_FORMAT, locale=babel_locale(self.locale)))

    def datetime(self, value: datetime | None, tz: tzinfo | None = None) -> str:
        """Date and time joined the locale's way (CLDR: ``{1}, {0}``); a dash when absent."""
        if value is None:
            return DASH
        local = value.astimezone(tz) if tz is not None else value
        joined = str(get_datetime_format("medium", locale=babel_locale(self.locale)))
        return joined.replace("{1}", self.date(local.date())).replace("{0}", self.time(local))
