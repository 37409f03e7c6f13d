"""Each endpoint's signing secret, from the environment only (``tourdesk.toml`` may be shared
or committed; a secret in it would leak)."""

from __future__ import annotations

import os

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import ConfigError
from core.rules import Rules, WebhookEndpoint
from core.settings import Settings

_ENV = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)


class WebhookSettings(BaseSettings):
    model_config = _ENV
    secret: SecretStr | None = Field(None, alias="WEBHOOK_SECRET")


def secret_of(settings: Settings, name: str, endpoint: WebhookEndpoint) -> str:
    """The endpoint's own ``secret_env`` variable when it names one, else ``WEBHOOK_SECRET``."""
    if endpoint.secret_env:
        value = os.environ.get(endpoint.secret_env, "")
        if len(value) < 16:
            raise ConfigError(
                f"[webhooks.endpoints.{name}] secret_env: set {endpoint.secret_env} in the"
                " environment to a secret of at least 16 characters"
            )
        return value
    shared = settings.section(WebhookSettings).secret
    if shared is None or len(shared.get_secret_value()) < 16:
        raise ConfigError(
            f"[webhooks.endpoints.{name}]: set WEBHOOK_SECRET (at least 16 characters) or the"
            " endpoint's secret_env"
        )
    return shared.get_secret_value()


def check_secrets(settings: Settings, rules: Rules) -> None:
    """At start-up: every enabled endpoint can sign, or the process does not start."""
    for name, endpoint in rules.webhooks.endpoints.items():
        if endpoint.enabled:
            secret_of(settings, name, endpoint)
