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

from core.destinations import code_of
from core.errors import ConfigError
from core.money import iso_currencies
from core.webhooks.types import check_pattern

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
    currency: str = "UAH"  # ISO 4217, checked by _iso_currency (one sentence for "usd" too)
    timezone: str = "Europe/Kyiv"
    default_locale: str = "uk"
    locales: tuple[str, ...] = LOCALES
    # ISO 3166 country codes, shown in the reader's language (core/destinations.py); a
    # country's English name is taken for its code
    popular_destinations: tuple[str, ...] = ("EG", "TR", "ES", "GR", "ME", "AE")

    @field_validator("popular_destinations")
    @classmethod
    def _countries(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        codes = []
        for item in value:
            code = code_of(item)
            if code is None:
                raise ValueError(f"{item!r} is not a country code (ISO 3166, e.g. TR, EG)")
            codes.append(code)
        return tuple(dict.fromkeys(codes))

    @field_validator("currency")
    @classmethod
    def _iso_currency(cls, value: str) -> str:
        if value not in iso_currencies():
            raise ValueError(f"{value!r} is not an ISO 4217 currency code in use")
        return value

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

    @model_validator(mode="after")
    def _topup_bounds(self) -> Payments:
        if self.topup_min > self.topup_max:
            raise ValueError(
                f"topup_min ({self.topup_min}) must not be above topup_max ({self.topup_max})"
            )
        outside = [p for p in self.topup_presets if not self.topup_min <= p <= self.topup_max]
        if outside:
            raise ValueError(
                f"topup_presets {outside[0]} is outside topup_min..topup_max "
                f"({self.topup_min}..{self.topup_max})"
            )
        return self


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
    # pace is in its own [channels.<name>] table); unset: derived from those rates
    # (core.pacing.in_flight: rate x 0.5 s, at least 32), enough to reach them
    concurrency: int | None = Field(None, ge=1, le=1000)
    # channels that reach a client by a field of the client record (e-mail, SMS), tried in
    # this order when a message to a client's messenger fails as blocked, and used for
    # payment messages to a client with no messenger at all (core/fallback.py); empty: off
    fallback: tuple[str, ...] = ()

    @field_validator("fallback")
    @classmethod
    def _distinct(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for name in value:
            if not re.fullmatch(r"[a-z][a-z0-9_]*", name):
                raise ValueError(f"{name!r} is not a channel name")
        if len(set(value)) != len(value):
            raise ValueError("a channel is named twice")
        return value


class StaffRules(_Section):
    lookup_alert_threshold: int = Field(30, ge=1)  # distinct clients looked up per hour


class TourRequests(_Section):
    # the largest budget a tourist may type, per currency, in minor units
    budget_max: dict[str, int] = {"UAH": 1_000_000_000, "USD": 25_000_000, "EUR": 25_000_000}

    @field_validator("budget_max")
    @classmethod
    def _ceilings(cls, value: dict[str, int]) -> dict[str, int]:
        for currency, amount in value.items():
            if currency not in iso_currencies():
                raise ValueError(f"{currency!r} is not an ISO 4217 currency code in use")
            if amount <= 0:
                raise ValueError(f"the ceiling for {currency} must be above zero")
        return value


class WebhookEndpoint(_Section):
    """``[webhooks.endpoints.<name>]``: where to POST events; the signing secret comes from the
    environment (``secret_env``, else ``WEBHOOK_SECRET``), never from this file."""

    url: str = Field(pattern=r"^https?://[^\s/]+")
    events: tuple[str, ...] = ("*",)
    secret_env: str | None = Field(None, pattern=r"^[A-Z_][A-Z0-9_]*$")
    enabled: bool = True

    @field_validator("events")
    @classmethod
    def _known_events(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("name at least one event, or *")
        return tuple(check_pattern(v) for v in value)


class Webhooks(_Section):
    endpoints: dict[str, WebhookEndpoint] = {}
    timeout_seconds: float = Field(10.0, gt=0, le=60)
    # attempts per event and endpoint; the waits between them grow from retry_min_seconds to
    # retry_max_seconds (12 attempts span about a day with the defaults)
    max_attempts: int = Field(12, ge=1, le=50)
    retry_min_seconds: float = Field(30.0, gt=0)
    retry_max_seconds: float = Field(6 * 3600.0, gt=0)

    @field_validator("endpoints")
    @classmethod
    def _names(cls, value: dict[str, WebhookEndpoint]) -> dict[str, WebhookEndpoint]:
        for name in value:
            if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", name):
                raise ValueError(f"endpoint name {name!r}: use a-z, 0-9, - and _")
        return value

    @model_validator(mode="after")
    def _retry_window(self) -> Webhooks:
        if self.retry_max_seconds < self.retry_min_seconds:
            raise ValueError("retry_max_seconds must be >= retry_min_seconds")
        return self


class Fiscal(_Section):
    """``[fiscal]``: receipts through Checkbox (on when CHECKBOX_LICENSE_KEY and CHECKBOX_PIN are
    set). A receipt never holds a payment up; failures are retried and staff told once."""

    close_shift_at: str = Field("23:50", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")  # agency time
    alert_after_attempts: int = Field(5, ge=1)
    max_attempts: int = Field(30, ge=1, le=200)
    retry_min_seconds: float = Field(60.0, gt=0)
    retry_max_seconds: float = Field(3600.0, gt=0)
    poll_seconds: float = Field(1.0, gt=0, le=30)  # between status checks of a new receipt


class Offers(_Section):
    """Tour offers a manager sends for a request (``[offers]``)."""

    expire_days: int = Field(3, ge=1, le=60)  # options not chosen by then expire


class LoyaltyTier(_Section):
    """From ``spent`` (minor units of the agency currency, paid on earlier orders) on, the
    accrual percent is ``percent``."""

    spent: int = Field(ge=0)
    percent: float = Field(ge=0, le=100)


class Loyalty(_Section):
    """``[loyalty]``: bonus points (core/loyalty). Points are whole numbers; one point is worth
    ``point_value`` minor units of the order's currency when it pays (part of) an order."""

    enabled: bool = True
    accrual_percent: float = Field(0.0, ge=0, le=100)  # of the money paid for an order
    accrue_on: str = Field("paid", pattern=r"^(paid|completed)$")  # paid in full / completed
    tiers: tuple[LoyaltyTier, ...] = ()  # optional: higher percents from a total spent
    expiry_months: int = Field(12, ge=0, le=120)  # 0: points never expire
    expiry_reminder_days: int = Field(30, ge=0, le=365)  # "your points expire on D" this early
    spend_cap_percent: int = Field(30, ge=0, le=100)  # the most of an order points may pay
    point_value: int = Field(100, ge=1)  # minor units a point is worth (100: 1 UAH)
    referral_bonus: int = Field(0, ge=0)  # points to the friend and to who invited them

    @field_validator("tiers")
    @classmethod
    def _ascending(cls, value: tuple[LoyaltyTier, ...]) -> tuple[LoyaltyTier, ...]:
        thresholds = [tier.spent for tier in value]
        if thresholds != sorted(set(thresholds)):
            raise ValueError("tiers must have distinct thresholds in ascending order")
        return value


class Commissions(_Section):
    """``[commissions]``: the default rule for managers without their own (core/commissions)."""

    paid_percent: float = Field(0.0, ge=0, le=100)  # of the money paid on the manager's orders
    # of the margin (price - the operator's net price) when the order has a net price
    margin_percent: float = Field(0.0, ge=0, le=100)
    report_day: int = Field(1, ge=1, le=28)  # the monthly report to admins, agency time
    report_time: time = time(9, 0)


class Api(_Section):
    # requests per minute for each API key (and the operator token), shared by all processes;
    # a key created with --rate has its own
    rate_per_minute: int = Field(600, ge=1)
    idempotency_hours: int = Field(24, ge=1, le=24 * 30)  # how long a replay is kept


class Rules(_Section):
    agency: Agency = Agency()
    payments: Payments = Payments()
    quiet_hours: QuietHours = QuietHours()
    reminders: Reminders = Reminders()
    delivery: Delivery = Delivery()
    staff: StaffRules = StaffRules()
    tour_requests: TourRequests = TourRequests()
    webhooks: Webhooks = Webhooks()
    fiscal: Fiscal = Fiscal()
    offers: Offers = Offers()
    loyalty: Loyalty = Loyalty()
    commissions: Commissions = Commissions()
    api: Api = Api()
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


DEFAULT_FILE = Path("tourdesk.toml")


def rules_file(path: Path | None) -> Path | None:
    """The file the rules come from: ``path`` (TOURDESK_CONFIG), else ``tourdesk.toml`` in the
    working directory when present, else None (every default). Config errors name it."""
    if path is not None:
        return path
    return DEFAULT_FILE if DEFAULT_FILE.exists() else None


def load_rules(path: Path | None) -> Rules:
    """Load ``path`` (or ``tourdesk.toml`` in the working directory when present).

    A missing explicit file, bad TOML or a bad value raises :class:`ConfigError` with one line
    naming the file, the key and the problem.
    """
    path = rules_file(path)
    if path is None:
        return Rules()
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
