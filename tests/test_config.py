"""Configuration: every default works, a bad value stops start-up with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bots.telegram.settings import telegram_settings
from core.errors import ConfigError
from core.rules import Rules, load_rules
from core.settings import load_settings

ROOT = Path(__file__).resolve().parent.parent


def test_example_file_equals_defaults() -> None:
    example = load_rules(ROOT / "tourdesk.example.toml")
    # each channel's table is its spec's business (tests/test_channel_registry.py)
    assert example.model_copy(update={"channels": {}}) == Rules()


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ("[payments]\nlink_lifetime_hours = 0\n", "payments.link_lifetime_hours"),
        ("[agency]\ntimezone = 'Mars/Olympus'\n", "agency.timezone: unknown time zone"),
        ("[agency]\ncurrency = 'hryvnia'\n", "agency.currency"),
        ("[agency]\nlocales = ['uk', 'de']\n", "agency.locales"),
        ("[agency]\ndefault_locale = 'ru'\nlocales = ['uk']\n", "default_locale 'ru'"),
        ("[agency]\nnmae = 'typo'\n", "agency.nmae"),
        ("[payments\n", "not valid TOML"),
    ],
)
def test_bad_rules_name_the_key(tmp_path: Path, toml: str, expected: str) -> None:
    path = tmp_path / "tourdesk.toml"
    path.write_text(toml)
    with pytest.raises(ConfigError) as err:
        load_rules(path)
    assert expected in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_explicit_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_rules(tmp_path / "nope.toml")


def test_bad_environment_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PORT", "eighty")
    with pytest.raises(ConfigError, match="HTTP_PORT"):
        load_settings()
    monkeypatch.setenv("HTTP_PORT", "8080")
    monkeypatch.setenv("DATABASE_URL", "mysql://nope")
    with pytest.raises(ConfigError, match=r"DATABASE_URL: .* \(it starts with mysql://\)"):
        load_settings()
    monkeypatch.setenv("DATABASE_URL", "/srv/desk.sqlite3")  # a bare path: says what to write
    with pytest.raises(ConfigError) as bare:
        load_settings()
    assert str(bare.value).endswith(
        "DATABASE_URL: must start with sqlite:// or postgres:// "
        "(it has no scheme; a file is written sqlite://path/to/file.sqlite3)"
    )


def test_secrets_are_not_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TELEGRAM_TOKEN", "123:very-secret")
    settings = load_settings()
    assert "very-secret" not in repr(telegram_settings(settings))
    assert telegram_settings(settings).resolved_mode(None) == "polling"
    assert telegram_settings(settings).resolved_mode("https://x.example") == "webhook"
    secret = telegram_settings(settings).resolved_secret()
    assert secret and all(c.isalnum() or c in "_-" for c in secret)


def run_cli(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM", "VIBER"))}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "bots.cli", *args],
        env=full_env | {"PYTHONPATH": str(ROOT)},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_reports_one_line_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text("[reminders]\npayment_due_days = [-1]\n")
    result = run_cli(["run"], {"TOURDESK_CONFIG": str(tmp_path / "bad.toml")}, tmp_path)
    assert result.returncode == 2
    assert "reminders.payment_due_days" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_readme_names_every_rules_section_once() -> None:
    """README "Configuration" lists each ``tourdesk.toml`` section in one paragraph."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    part = readme.split("`tourdesk.toml` sections", 1)[1].split("HTTP routes:", 1)[0]
    for name in Rules.model_fields:
        assert ("`[channels.<name>]`" if name == "channels" else f"`[{name}]`") in part, name
    assert part.count("Unknown keys are refused") == 1
    assert readme.count("| `ADMIN_TOKEN` |") == 1
