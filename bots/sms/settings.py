"""The SMS section of the environment: ``TURBOSMS_TOKEN``, ``TURBOSMS_SENDER``,
``TURBOSMS_API_URL`` (DESIGN.md), and ``SMS_INBOUND_SECRET`` for incoming messages (STOP)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import ConfigError
from core.settings import Settings

_ENV = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)
DEFAULT_API = "https://api.turbosms.ua"
# an alpha-name as operators register them: Latin letters, digits and a few signs, <= 11
SENDER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .&_'-]{0,10}$")


class SmsSettings(BaseSettings):
    model_config = _ENV
    turbosms_token: SecretStr | None = Field(None, alias="TURBOSMS_TOKEN")
    turbosms_sender: str | None = Field(None, alias="TURBOSMS_SENDER")
    turbosms_api_url: str = Field(DEFAULT_API, alias="TURBOSMS_API_URL")
    # signs incoming messages our own inbound route accepts (README "SMS"); unset: no route
    sms_inbound_secret: SecretStr | None = Field(None, alias="SMS_INBOUND_SECRET")


@dataclass(frozen=True, slots=True)
class TurboSmsTarget:
    api_url: str
    token: str
    sender: str


def sms_settings(settings: Settings) -> SmsSettings:
    return settings.section(SmsSettings)


def parse_api_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"TURBOSMS_API_URL: {url!r} is not an http(s) URL")
    return url.strip().rstrip("/")


def parse_sender(value: str | None) -> str:
    if not value or not value.strip():
        raise ConfigError("TURBOSMS_SENDER: is not set (the alpha-name registered at TurboSMS)")
    if not SENDER.match(value.strip()):
        raise ConfigError(
            f"TURBOSMS_SENDER: {value!r} is not an alpha-name (up to 11 Latin letters, digits, "
            "spaces and . & _ ' -)"
        )
    return value.strip()


def configured(settings: Settings) -> TurboSmsTarget:
    """The gateway's URL, token and sender; a :class:`ConfigError` naming the variable."""
    section = sms_settings(settings)
    if section.turbosms_token is None or not section.turbosms_token.get_secret_value().strip():
        raise ConfigError("TURBOSMS_TOKEN: is not set")
    return TurboSmsTarget(
        api_url=parse_api_url(section.turbosms_api_url),
        token=section.turbosms_token.get_secret_value().strip(),
        sender=parse_sender(section.turbosms_sender),
    )
