"""Secrets and endpoints from the environment (and ``.env``), one class per section.

Only the composition root (:func:`load_settings`) reads the environment. The names are a
contract with operators (see README "Configuration").
"""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar, cast

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import ConfigError

_ENV = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

S = TypeVar("S", bound=BaseSettings)


class DatabaseSettings(BaseSettings):
    model_config = _ENV
    database_url: str = Field("sqlite://data/tourdesk.sqlite3", alias="DATABASE_URL")

    @field_validator("database_url")
    @classmethod
    def _known_scheme(cls, value: str) -> str:
        known = ("sqlite://", "postgres://", "postgresql://", "asyncpg://")
        if not value.startswith(known):
            if "://" in value:  # only the scheme is repeated: the rest may hold a password
                found = f"it starts with {value.partition('://')[0]}://"
            else:
                found = "it has no scheme; a file is written sqlite://path/to/file.sqlite3"
            raise ValueError(f"must start with sqlite:// or postgres:// ({found})")
        return value


class RedisSettings(BaseSettings):
    model_config = _ENV
    redis_url: str | None = Field(None, alias="REDIS_URL")
    # Every key we write starts with this, so several deployments (or test runs) can share one
    # Redis without seeing each other's state.
    redis_prefix: str = Field("tourdesk:", alias="REDIS_PREFIX")

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: str | None) -> str | None:
        if value and not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis:// or rediss://")
        return value


class WebSettings(BaseSettings):
    model_config = _ENV
    public_url: str | None = Field(None, alias="PUBLIC_URL")
    http_host: str = Field("0.0.0.0", alias="HTTP_HOST")
    http_port: int = Field(8080, alias="HTTP_PORT", ge=0, le=65535)
    admin_token: SecretStr | None = Field(None, alias="ADMIN_TOKEN")

    @field_validator("public_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not value.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/")


class LiqPaySettings(BaseSettings):
    model_config = _ENV
    public_key: str | None = Field(None, alias="LIQPAY_PUBLIC_KEY")
    private_key: SecretStr | None = Field(None, alias="LIQPAY_PRIVATE_KEY")
    sandbox: bool = Field(False, alias="LIQPAY_SANDBOX")

    @property
    def enabled(self) -> bool:
        return bool(self.public_key and self.private_key)


class WayForPaySettings(BaseSettings):
    model_config = _ENV
    merchant: str | None = Field(None, alias="WAYFORPAY_MERCHANT")
    secret: SecretStr | None = Field(None, alias="WAYFORPAY_SECRET")
    domain: str | None = Field(None, alias="WAYFORPAY_DOMAIN")

    @property
    def enabled(self) -> bool:
        return bool(self.merchant and self.secret)


class PaymentsSettings(BaseSettings):
    model_config = _ENV
    sandbox: bool = Field(False, alias="PAYMENTS_SANDBOX")
    # Signs sandbox callbacks; unset: generated once and kept in the database for all processes.
    sandbox_secret: SecretStr | None = Field(None, alias="PAYMENTS_SANDBOX_SECRET")


class AppSettings(BaseSettings):
    model_config = _ENV
    config_path: Path | None = Field(None, alias="TOURDESK_CONFIG")
    data_dir: Path = Field(Path("data"), alias="TOURDESK_DATA_DIR")
    log_level: str = Field("INFO", alias="LOG_LEVEL")


class Settings:
    """All environment sections together; built once by :func:`load_settings`."""

    def __init__(self) -> None:
        self.app = AppSettings()
        self.database = DatabaseSettings()
        self.redis = RedisSettings()
        self.web = WebSettings()
        # each channel's own section (bots/<name>/settings.py), read on first use
        self._sections: dict[type[BaseSettings], BaseSettings] = {}
        self.liqpay = LiqPaySettings()
        self.wayforpay = WayForPaySettings()
        self.payments = PaymentsSettings()

    def section(self, cls: type[S]) -> S:
        """The environment section ``cls`` (a channel's own settings), read once.

        A bad value raises :class:`ConfigError` naming the variable, as at start-up."""
        found = self._sections.get(cls)
        if found is None:
            try:
                found = cls()
            except ValidationError as exc:
                raise _config_error(exc) from None
            self._sections[cls] = found
        return cast(S, found)


def _config_error(exc: ValidationError) -> ConfigError:
    err = exc.errors()[0]
    name = str(err["loc"][0]) if err.get("loc") else "?"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return ConfigError(f"environment variable {name}: {msg}")


def load_settings() -> Settings:
    """Read the environment; a bad value raises :class:`ConfigError` naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        raise _config_error(exc) from None
