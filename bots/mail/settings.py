"""The e-mail section of the environment: ``SMTP_URL`` and ``MAIL_FROM``.

``SMTP_URL`` names the server and how to talk to it: ``smtp+starttls://user:pass@host:587``
(STARTTLS, required), ``smtps://user:pass@host:465`` (implicit TLS) or ``smtp://host:25``
(plain, a local relay). User and password are URL-quoted.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.errors import HeaderParseError
from email.headerregistry import Address, HeaderRegistry
from urllib.parse import unquote, urlsplit

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.errors import ConfigError
from core.settings import Settings

_ENV = SettingsConfigDict(env_file=".env", extra="ignore", env_ignore_empty=True)

# scheme -> (default port, implicit TLS, STARTTLS)
SCHEMES = {
    "smtp": (25, False, False),
    "smtp+starttls": (587, False, True),
    "smtps": (465, True, False),
}


class MailSettings(BaseSettings):
    model_config = _ENV
    smtp_url: SecretStr | None = Field(None, alias="SMTP_URL")
    mail_from: str | None = Field(None, alias="MAIL_FROM")


@dataclass(frozen=True, slots=True)
class SmtpTarget:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool


def mail_settings(settings: Settings) -> MailSettings:
    return settings.section(MailSettings)


def parse_smtp_url(url: str) -> SmtpTarget:
    """The server of ``url``; a :class:`ConfigError` naming ``SMTP_URL`` when it is not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"SMTP_URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        known = ", ".join(f"{s}://" for s in SCHEMES)
        raise ConfigError(f"SMTP_URL: the scheme must be one of {known}, not {scheme or '(none)'}")
    if not parts.hostname:
        raise ConfigError("SMTP_URL: no host (smtp+starttls://user:pass@host:587)")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ConfigError("SMTP_URL: a path, query or fragment means nothing here")
    default_port, use_tls, start_tls = SCHEMES[scheme]
    return SmtpTarget(
        hostname=parts.hostname,
        port=port or default_port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        use_tls=use_tls,
        start_tls=start_tls,
    )


def parse_sender(value: str | None) -> str:
    """``MAIL_FROM`` (``desk@agency.ua`` or ``Agency <desk@agency.ua>``), checked."""
    if not value:
        raise ConfigError("MAIL_FROM: is not set (the sender address of e-mails)")
    try:
        header = HeaderRegistry()("From", value)
        addresses = header.addresses  # type: ignore[attr-defined]
    except (HeaderParseError, IndexError, ValueError):
        addresses = ()
    if len(addresses) != 1 or not isinstance(addresses[0], Address) or "@" not in value:
        raise ConfigError(f"MAIL_FROM: {value!r} is not one e-mail address")
    if not addresses[0].domain or not addresses[0].username:
        raise ConfigError(f"MAIL_FROM: {value!r} is not one e-mail address")
    return value


def configured(settings: Settings) -> tuple[SmtpTarget, str]:
    """The server and the sender; a :class:`ConfigError` naming the variable at fault."""
    section = mail_settings(settings)
    if section.smtp_url is None:
        raise ConfigError("SMTP_URL: is not set")
    return parse_smtp_url(section.smtp_url.get_secret_value()), parse_sender(section.mail_from)
