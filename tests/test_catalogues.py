"""A locale enabled in the rules must have a complete catalogue, or start-up stops: checked on
catalogue folders made here (the shipped ones are checked by test_locales and test_wheel)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from core.i18n import Translator


def catalogue(root: Path, locale: str, text: str) -> None:
    (root / locale).mkdir(parents=True, exist_ok=True)
    (root / locale / "main.ftl").write_text(text, encoding="utf-8")


FULL = "a-one = Один\nb-two = Два\nc-three = Три\n-brand = Тур\n"


def test_complete_catalogues_translate(tmp_path: Path) -> None:
    catalogue(tmp_path, "uk", FULL)
    catalogue(tmp_path, "en", "a-one = One\nb-two = Two\nc-three = Three\n-brand = Tour\n")
    t = Translator(("uk", "en"), "uk", root=tmp_path)
    assert t("en")("b-two") == "Two"
    assert t("uk")("b-two") == "Два"


def test_a_catalogue_lacking_keys_names_the_locale_and_the_keys(tmp_path: Path) -> None:
    catalogue(tmp_path, "uk", FULL)
    catalogue(tmp_path, "en", "b-two = Two\n")
    with pytest.raises(ConfigError) as caught:
        Translator(("uk", "en"), "uk", root=tmp_path)
    message = str(caught.value)
    assert "'en'" in message
    assert "-brand, a-one, c-three" in message
    assert "\n" not in message


def test_a_syntax_error_loses_the_key_and_is_caught(tmp_path: Path) -> None:
    catalogue(tmp_path, "uk", FULL)
    catalogue(tmp_path, "en", "a-one = One\nb-two = {\nc-three = Three\n-brand = Tour\n")
    with pytest.raises(ConfigError, match="b-two"):
        Translator(("uk", "en"), "uk", root=tmp_path)


def test_many_missing_keys_are_counted_not_listed(tmp_path: Path) -> None:
    catalogue(tmp_path, "uk", "".join(f"key-{i:02} = {i}\n" for i in range(30)))
    catalogue(tmp_path, "en", "key-00 = 0\n")
    with pytest.raises(ConfigError) as caught:
        Translator(("uk", "en"), "uk", root=tmp_path)
    assert str(caught.value).endswith("key-01, key-02, key-03, key-04, key-05 and 24 more")


@pytest.mark.parametrize(("enabled", "default"), [(("uk", "en"), "uk"), (("en",), "en")])
def test_no_catalogue_at_all(tmp_path: Path, enabled: tuple[str, ...], default: str) -> None:
    catalogue(tmp_path, "uk", FULL)
    (tmp_path / "en").mkdir()  # a folder with no *.ftl in it is no catalogue
    with pytest.raises(ConfigError, match="locale 'en' has no catalogue"):
        Translator(enabled, default, root=tmp_path)


def test_the_shipped_catalogues_are_found_without_a_path() -> None:
    t = Translator(("uk", "en", "ru"), "uk")
    assert t("en")("language-choose") != "language-choose"
    assert t("uk")("language-choose") != t("ru")("language-choose")
