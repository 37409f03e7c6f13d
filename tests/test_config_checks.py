"""Settings that are each valid but do not fit together stop start-up with one line naming the
key and the file: a currency that is not money or that an enabled provider does not take,
top-up bounds the wrong way round, a staff group chat on a channel that is not enabled."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bots.app import CHANNELS
from bots.startup import check_config
from core.errors import ConfigError
from core.rules import load_rules
from core.settings import Settings, load_settings
from tests.support.procs import clean_env, free_port, run_cli, tourdesk


def settings_with(monkeypatch: pytest.MonkeyPatch, config: Path, **env: str) -> Settings:
    for name in ("TELEGRAM_TOKEN", "VIBER_TOKEN", "LIQPAY_PUBLIC_KEY", "LIQPAY_PRIVATE_KEY"):
        monkeypatch.delenv(name, raising=False)
    for name in ("WAYFORPAY_MERCHANT", "WAYFORPAY_SECRET", "PAYMENTS_SANDBOX"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TOURDESK_CONFIG", str(config))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return load_settings()


def check(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, toml: str, **env: str) -> None:
    config = tmp_path / "agency.toml"
    config.write_text(toml)
    settings = settings_with(monkeypatch, config, **env)
    check_config(settings, load_rules(settings.app.config_path), CHANNELS)


LIQPAY = {"LIQPAY_PUBLIC_KEY": "pub", "LIQPAY_PRIVATE_KEY": "priv"}
WAYFORPAY = {"WAYFORPAY_MERCHANT": "test_merch_n1", "WAYFORPAY_SECRET": "s"}


@pytest.mark.parametrize(
    ("toml", "said"),
    [
        ("[agency]\ncurrency = 'XYZ'\n", "agency.currency: 'XYZ' is not an ISO 4217 currency"),
        ("[agency]\ncurrency = 'XAU'\n", "agency.currency: 'XAU' is not"),  # gold is no money
        ("[agency]\ncurrency = 'UAK'\n", "agency.currency: 'UAK' is not"),  # withdrawn in 1996
        # lower case: the same sentence, not a regular expression
        ("[agency]\ncurrency = 'usd'\n", "agency.currency: 'usd' is not an ISO 4217 currency"),
        (
            "[payments]\ntopup_min = 500000\ntopup_max = 100000\n",
            "payments: topup_min (500000) must not be above topup_max (100000)",
        ),
        (
            "[payments]\ntopup_presets = [500, 100000]\n",
            "payments: topup_presets 500 is outside topup_min..topup_max",
        ),
        ("[tour_requests]\nbudget_max = { XYZ = 100 }\n", "'XYZ' is not an ISO 4217"),
    ],
)
def test_rules_that_cannot_work_are_one_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, toml: str, said: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        check(monkeypatch, tmp_path, toml)
    assert str(refused.value).startswith(f"{tmp_path / 'agency.toml'}: ")
    assert said in str(refused.value) and "\n" not in str(refused.value)


@pytest.mark.parametrize(("provider", "title"), [(LIQPAY, "LiqPay"), (WAYFORPAY, "WayForPay")])
def test_the_currency_must_be_taken_by_every_enabled_provider(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, provider: dict[str, str], title: str
) -> None:
    toml = "[agency]\ncurrency = 'PLN'\n"
    check(monkeypatch, tmp_path, toml, PAYMENTS_SANDBOX="true")  # the sandbox takes any
    with pytest.raises(ConfigError) as refused:
        check(monkeypatch, tmp_path, toml, **provider)
    assert str(refused.value) == (
        f"{tmp_path / 'agency.toml'}: agency.currency: PLN is not accepted by {title} "
        "(it takes EUR, UAH, USD)"
    )
    check(monkeypatch, tmp_path, "[agency]\ncurrency = 'EUR'\n", **provider)


def test_the_staff_chat_must_name_an_enabled_channel(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    toml = "[delivery]\nstaff_chat = 'telegram:-1001234567890'\n"
    with pytest.raises(ConfigError) as refused:
        check(monkeypatch, tmp_path, toml)
    assert str(refused.value) == (
        f"{tmp_path / 'agency.toml'}: delivery.staff_chat: 'telegram' is not an enabled channel "
        "(enabled: none)"
    )
    check(monkeypatch, tmp_path, toml, TELEGRAM_TOKEN="123:abc")
    with pytest.raises(ConfigError, match=r"'sms' is not an enabled channel \(enabled: telegram\)"):
        check(monkeypatch, tmp_path, "[delivery]\nstaff_chat = 'sms:1'\n", TELEGRAM_TOKEN="1:a")
    with pytest.raises(ConfigError, match="must be written <channel>:<chat id>"):
        check(monkeypatch, tmp_path, "[delivery]\nstaff_chat = '-100123'\n", TELEGRAM_TOKEN="1:a")


@pytest.mark.parametrize("command", [["run"], ["migrate"], ["staff", "list"]], ids=" ".join)
def test_a_currency_that_is_not_money_stops_every_command(
    command: list[str], tmp_path: Path
) -> None:
    (tmp_path / "tourdesk.toml").write_text("[agency]\ncurrency = 'XYZ'\n")
    env = clean_env(DATABASE_URL=f"sqlite://{tmp_path}/d.sqlite3", HTTP_PORT=str(free_port()))
    result = run_cli(command, env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "tourdesk: configuration error: tourdesk.toml: agency.currency: "
        "'XYZ' is not an ISO 4217 currency code in use"
    ]


def test_the_demo_is_not_stopped_by_the_staff_chat(tmp_path: Path) -> None:
    """The offline demo runs no messenger: a production staff_chat does not concern it."""
    (tmp_path / "tourdesk.toml").write_text("[delivery]\nstaff_chat = 'telegram:-100123'\n")
    env = clean_env(TOURDESK_DATA_DIR=str(tmp_path / "data"), HTTP_PORT=str(free_port()))
    assert run_cli(["run"], env, tmp_path).returncode == 2
    demo = tourdesk(["demo"], env, tmp_path, stdin=subprocess.PIPE)
    out, err = demo.communicate("", timeout=120)  # no input: it starts and leaves at once
    assert demo.returncode == 0, err
    assert "Наберіть /start, щоб почати" in out  # the demo speaks the agency's Ukrainian


def test_telegram_webhook_without_public_url_is_refused_before_anything_starts(
    tmp_path: Path,
) -> None:
    env = clean_env(
        DATABASE_URL=f"sqlite://{tmp_path}/d.sqlite3",
        HTTP_PORT=str(free_port()),
        TELEGRAM_TOKEN="123:abc",
        TELEGRAM_MODE="webhook",
    )
    result = run_cli(["run"], env, tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "tourdesk: configuration error: TELEGRAM_MODE=webhook needs PUBLIC_URL"
    ]
