"""The Viber section of the environment (``VIBER_*``)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.settings import Settings

_ENV = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)


class ViberSettings(BaseSettings):
    model_config = _ENV
    token: SecretStr | None = Field(None, alias="VIBER_TOKEN")
    api_url: str = Field("https://chatapi.viber.com/pa", alias="VIBER_API_URL")
    bot_name: str | None = Field(None, alias="VIBER_BOT_NAME", max_length=28)
    bot_avatar: str | None = Field(None, alias="VIBER_BOT_AVATAR")


def viber_settings(settings: Settings) -> ViberSettings:
    return settings.section(ViberSettings)
