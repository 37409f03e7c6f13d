"""Start-up checks and the start-up summary.

:func:`check_config` holds the checks that need the environment and the rules together (the
rules alone are checked by ``core/rules.py`` when they are loaded); every failure is one
:class:`ConfigError` line naming the key and the file, printed by ``bots/cli.py`` the same way
as every other configuration error. :func:`log_startup` writes one log line per component of
``tourdesk run`` — each channel of the registry, each payment provider, the database, Redis,
the public URL — saying whether it is on and in which mode, or why it is off; never a secret.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from bots.channel import ChannelSpec
from core.errors import ConfigError
from core.fiscal.settings import checkbox_settings
from core.payments.registry import provider_states, public_base
from core.rules import Rules, rules_file
from core.settings import Settings
from storage.db import backend_of, redact_url

log = logging.getLogger("tourdesk")


def _file(config_path: Path | None) -> str:
    found = rules_file(config_path)
    return str(found) if found is not None else "tourdesk.toml (not present: the defaults)"


def check_config(
    settings: Settings, rules: Rules, specs: Sequence[ChannelSpec], *, staff_chat: bool = True
) -> None:
    """Refuse settings that are each valid but do not fit together (one line each).

    ``staff_chat=False`` skips the staff group check (the offline demo runs no messenger)."""
    where = _file(settings.app.config_path)
    currency = rules.agency.currency
    for state in provider_states(settings):
        accepted = state.kind.currencies
        if state.on and accepted is not None and currency not in accepted:
            raise ConfigError(
                f"{where}: agency.currency: {currency} is not accepted by {state.kind.title} "
                f"(it takes {', '.join(sorted(accepted))})"
            )
    if staff_chat:
        _check_staff_chat(settings, rules, specs, where)


def _check_staff_chat(
    settings: Settings, rules: Rules, specs: Sequence[ChannelSpec], where: str
) -> None:
    value = rules.delivery.staff_chat
    if not value:
        return
    channel, sep, chat_id = value.partition(":")
    if not sep or not chat_id.strip():
        raise ConfigError(
            f"{where}: delivery.staff_chat: {value!r} must be written <channel>:<chat id>"
        )
    running = [spec.name for spec in specs if spec.runs_in(settings)]
    if channel not in running:
        enabled = ", ".join(running) or "none"
        raise ConfigError(
            f"{where}: delivery.staff_chat: {channel!r} is not an enabled channel "
            f"(enabled: {enabled})"
        )


def _line(component: str, fields: dict[str, str]) -> None:
    """``startup component=… key=value …``: keys in the format string, values quoted (logfmt)."""
    keys = " ".join(f"{key}=%s" for key in fields)
    log.info(f"startup component={component} {keys}", *fields.values())


def log_startup(settings: Settings, rules: Rules, specs: Sequence[ChannelSpec]) -> None:
    """One line per component and mode (README "Start-up checks")."""
    db_url = settings.database.database_url
    _line("database", {"backend": backend_of(db_url), "url": redact_url(db_url)})
    redis_url = settings.redis.redis_url
    if redis_url:
        _line("redis", {"backend": "redis", "url": redact_url(redis_url)})
    else:
        _line(
            "redis",
            {
                "backend": "in-process",
                "reason": "REDIS_URL is not set: state in the database, rate limits per "
                "process (run one process)",
            },
        )
    web = {"public_url": settings.web.public_url or "(not set)", "links": public_base(settings)}
    _line("web", {"host": settings.web.http_host, "port": str(settings.web.http_port), **web})
    for spec in specs:
        _line("channel", {"name": spec.name, **spec.startup_fields(settings)})
    for state in provider_states(settings):
        on = "on" if state.on else "off"
        _line("payments", {"provider": state.name, "state": on, **state.detail})
    checkbox = checkbox_settings(settings)
    _line(
        "fiscal",
        {"state": "on", "api": checkbox.api_url}
        if checkbox.enabled
        else {"state": "off", "reason": "CHECKBOX_LICENSE_KEY and CHECKBOX_PIN are not both set"},
    )
    endpoints = [n for n, e in rules.webhooks.endpoints.items() if e.enabled]
    _line("webhooks", {"endpoints": ", ".join(endpoints) or "(none)"})
    _line("agency", {"name": rules.agency.name, "currency": rules.agency.currency})
