"""The staff catalogues parse, have the same keys in every language, and shadow no other file."""

from __future__ import annotations

from pathlib import Path

from fluent.syntax import parse
from fluent.syntax.ast import Junk, Message

LOCALES = Path(__file__).resolve().parent.parent / "locales"


def test_staff_catalogues_have_the_same_keys_and_parse() -> None:
    keys = {}
    for locale in ("uk", "en", "ru"):
        resource = parse((LOCALES / locale / "staff.ftl").read_text(encoding="utf-8"))
        assert not [e for e in resource.body if isinstance(e, Junk)], locale
        keys[locale] = {e.id.name for e in resource.body if isinstance(e, Message)}
    assert keys["uk"] == keys["en"] == keys["ru"]
    others = set()
    for path in LOCALES.glob("en/*.ftl"):
        if path.name != "staff.ftl":
            resource = parse(path.read_text(encoding="utf-8"))
            others |= {e.id.name for e in resource.body if isinstance(e, Message)}
    assert not keys["en"] & others  # no key of ours shadows another file's
