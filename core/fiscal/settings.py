"""The Checkbox section of the environment (``CHECKBOX_*``)."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.settings import Settings

_ENV = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)


class CheckboxSettings(BaseSettings):
    model_config = _ENV
    license_key: SecretStr | None = Field(None, alias="CHECKBOX_LICENSE_KEY")
    pin: SecretStr | None = Field(None, alias="CHECKBOX_PIN")
    api_url: str = Field("https://api.checkbox.ua/api/v1", alias="CHECKBOX_API_URL")

    @property
    def enabled(self) -> bool:
        return self.license_key is not None and self.pin is not None


def checkbox_settings(settings: Settings) -> CheckboxSettings:
    return settings.section(CheckboxSettings)
