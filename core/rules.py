"""Business rules from ``tourdesk.toml``: every key optional, every default documented here
and in ``tourdesk.example.toml``. Unknown keys are refused so a typo never goes unnoticed."""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from datetime import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from core.errors import ConfigError

LOCALES = ("uk", "en", "ru")


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Agency(_Section):
    name: str = "Tourdesk Travel"
    # contacts shown on the payment pages; empty ones are left out
    phone: str = ""
    email: str = ""
    address: str = ""
    website: str = ""
    country: str = Field("UA", min_length=2, max_length=2)  # default region for phone numbers
    currency: str = Field("UAH", pattern=r"^[A-Z]{3}$")
    timezone: str = "Europe/Kyiv"
    default_locale: str = "uk"
    locales: tuple[str, ...] = LOCALES
    popular_destinations: tuple[str, ...] = (
        "Egypt",
        "Turkey",
        "Spain",
        "Greece",
        "Montenegro",
        "UAE",
    )

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}") from None
        return value

    @field_validator("locales")
    @classmethod
    def _known_locales(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [v for v in value if v not in LOCALES]
        if unknown or not value:
            raise ValueError(f"each locale must be one of {', '.join(LOCALES)}")
        return value

    @model_validator(mode="after")
    def _default_enabled(self) -> Agency:
        if self.default_locale not in self.locales:
            raise ValueError(f"default_locale {self.default_locale!r} is not in locales")
        return self

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Payments(_Section):
    link_lifetime_hours: int = Field(24, gt=0, le=24 * 30)
    prepayment_percent: int = Field(30, ge=1, le=100)
    cancel_unpaid_bookings: bool = True
    expiry_reminder_hours: int = Field(2, ge=0)
    topup_presets: tuple[int, ...] = (50000, 100000, 200000)  # minor units
    topup_min: int = Field(1000, gt=0)  # minor units
    topup_max: int = Field(10_000_000, gt=0)
    reconcile_after_minutes: int = Field(30, gt=0)
    refund_days: int = Field(7, ge=1, le=90)  # "the bank returns it within N days"


class QuietHours(_Section):
    start: time = time(21, 0)
    end: time = time(9, 0)
    enabled: bool = True


class Reminders(_Section):
    payment_due: bool = True  # each rule can be switched off
    pre_departure: bool = True
    review: bool = True
    birthday: bool = True
    digest: bool = True
    lost_clients: bool = True
    payment_due_days: tuple[int, ...] = (3, 1, 0)
    pre_departure_days: int = Field(3, ge=0)
    review_after_days: int = Field(1, ge=0)
    send_time: time = time(10, 0)
    birthday_time: time = time(10, 0)
    digest_time: time = time(9, 0)
    lost_client_days: int = Field(365, gt=0)
    lost_clients_weekday: int = Field(1, ge=1, le=7)  # ISO: 1 = Monday, at digest_time
    low_rating: int = Field(3, ge=0, le=5)  # reviews rated this or lower alert staff
    # "" = the memos shipped in locales/<locale>/memos/<COUNTRY>.md; else <memos_dir>/<locale>/…
    memos_dir: str = ""
    planner_minutes: int = Field(10, ge=1, le=24 * 60)

    @field_validator("payment_due_days")
    @classmethod
    def _non_negative(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        if any(v < 0 for v in value):
            raise ValueError("days must be zero or more")
        return value


class Delivery(_Section):
    max_attempts: int = Field(8, ge=1)
    lease_seconds: int = Field(60, ge=5)
    flood_messages: int = Field(20, ge=1)  # per user ...
    flood_window_seconds: int = Field(10, ge=1)  # ... within this window
    staff_chat: str = ""  # optional "telegram:<chat id>" for a staff group
    # the delivery engine (core/delivery.py): sends in flight per process (each channel's
    # pace is in its own [channels.<name>] table)
    concurrency: int = Field(8, ge=1, le=1000)


class StaffRules(_Section):
    lookup_alert_threshold: int = Field(30, ge=1)  # distinct clients looked up per hour


class TourRequests(_Section):
    # the largest budget a tourist may type, per currency, in minor units
    budget_max: dict[str, int] = {"UAH": 1_000_000_000, "USD": 25_000_000, "EUR": 25_000_000}

    @field_validator("budget_max")
    @classmethod
    def _ceilings(cls, value: dict[str, int]) -> dict[str, int]:
        for currency, amount in value.items():
            if not re.fullmatch(r"[A-Z]{3}", currency):
                raise ValueError(f"{currency!r} is not an ISO 4217 currency code")
            if amount <= 0:
                raise ValueError(f"the ceiling for {currency} must be above zero")
        return value


class Rules(_Section):
    agency: Agency = Agency()
    payments: Payments = Payments()
    quiet_hours: QuietHours = QuietHours()
    reminders: Reminders = Reminders()
    delivery: Delivery = Delivery()
    staff: StaffRules = StaffRules()
    tour_requests: TourRequests = TourRequests()
    # ``[channels.<name>]``: each messenger's own table, checked by that channel's spec in
    # bots/<name>/ (core/ does not know which messengers exist)
    channels: dict[str, dict[str, Any]] = {}

    @model_validator(mode="before")
    @classmethod
    def _channel_keys_of_old(cls, data: Any) -> Any:
        """Keys written before channels had their own tables keep working: ``[agency]
        <name>_bot`` and ``[delivery] <name>_rate|_chat_rate|_paid_rate`` move to
        ``[channels.<name>] bot|rate|chat_rate|paid_rate``."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        tables = {k: dict(v) for k, v in dict(data.get("channels") or {}).items()}
        for section, pattern in _OLD_CHANNEL_KEYS:
            values = data.get(section)
            if not isinstance(values, dict):
                continue
            kept = {}
            for key, value in values.items():
                match = pattern.fullmatch(key)
                if match is None:
                    kept[key] = value
                else:
                    tables.setdefault(match["channel"], {}).setdefault(match["key"], value)
            data[section] = kept
        if tables:
            data["channels"] = tables
        return data


_OLD_CHANNEL_KEYS = (
    ("agency", re.compile(r"(?P<channel>[a-z][a-z0-9]*)_(?P<key>bot)")),
    ("delivery", re.compile(r"(?P<channel>[a-z][a-z0-9]*)_(?P<key>rate|chat_rate|paid_rate)")),
)


def load_rules(path: Path | None) -> Rules:
    """Load ``path`` (or ``tourdesk.toml`` in the working directory when present).

    A missing explicit file, bad TOML or a bad value raises :class:`ConfigError` with one line
    naming the file, the key and the problem.
    """
    if path is None:
        default = Path("tourdesk.toml")
        if not default.exists():
            return Rules()
        path = default
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found (TOURDESK_CONFIG)") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    try:
        return Rules.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = ".".join(str(p) for p in err["loc"]) or "(top level)"
        msg = err["msg"].removeprefix("Value error, ")
        raise ConfigError(f"{path}: {key}: {msg}") from None
