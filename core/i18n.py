"""Translations: Fluent catalogues in ``locales/<locale>/*.ftl``.

Handlers never contain UI text; they ask a :class:`T` (a translator bound to one locale) for a
key. Plurals and number forms in uk/ru are Fluent's job.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from babel.dates import format_date as _babel_date
from fluent.runtime import FluentBundle, FluentResource

from core.money import format_money

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


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
    def __init__(self, locales: Iterable[str], default: str, root: Path = LOCALES_DIR) -> None:
        self.default = default
        self.locales = tuple(locales)
        self._bundles: dict[str, FluentBundle] = {}
        for loc in self.locales:
            bundle = FluentBundle([loc], use_isolating=False)
            for path in sorted((root / loc).glob("*.ftl")):
                bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
            self._bundles[loc] = bundle

    def __call__(self, locale: str) -> T:
        return T(self, locale if locale in self._bundles else self.default)

    def has(self, locale: str, key: str) -> bool:
        return self._bundles[locale].has_message(key)

    def format(self, locale: str, key: str, args: dict[str, Any]) -> str:
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

    def money(self, amount: int, currency: str) -> str:
        return format_money(amount, currency, self.locale)

    def date(self, value: date | None) -> str:
        if value is None:
            return "—"
        return _babel_date(value, format="medium", locale=self.locale)
