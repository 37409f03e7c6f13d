"""The Telegram section of the environment (``TELEGRAM_*``)."""

from __future__ import annotations

import hashlib
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.settings import Settings

_ENV = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)


class TelegramSettings(BaseSettings):
    model_config = _ENV
    token: SecretStr | None = Field(None, alias="TELEGRAM_TOKEN")
    api_url: str = Field("https://api.telegram.org", alias="TELEGRAM_API_URL")
    mode: Literal["polling", "webhook"] | None = Field(None, alias="TELEGRAM_MODE")
    webhook_secret: SecretStr | None = Field(None, alias="TELEGRAM_WEBHOOK_SECRET")
    global_rate: float = Field(30.0, alias="TELEGRAM_GLOBAL_RATE", gt=0)
    # allow_paid_broadcast on the bulk lane, which then gets its own (paid) rate
    paid_broadcast: bool = Field(False, alias="TELEGRAM_PAID_BROADCAST")

    def resolved_mode(self, public_url: str | None) -> str:
        return self.mode or ("webhook" if public_url else "polling")

    def resolved_secret(self) -> str:
        """The webhook secret; derived from the token when not set (Telegram allows A-Za-z0-9_-)."""
        if self.webhook_secret:
            return self.webhook_secret.get_secret_value()
        token = self.token.get_secret_value() if self.token else ""
        return hashlib.sha256(f"tourdesk-webhook:{token}".encode()).hexdigest()


def telegram_settings(settings: Settings) -> TelegramSettings:
    return settings.section(TelegramSettings)
