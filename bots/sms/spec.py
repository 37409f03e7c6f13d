"""SMS as one channel of the composition root (see bots/channel.py)."""

from __future__ import annotations

from pydantic import Field, field_validator

from bots.channel import ChannelAdapter, ChannelSpec, ChannelTable, Dispatch, table_of
from bots.sms.parts import count_parts
from bots.sms.settings import configured, sms_settings
from core.channels import Capabilities, TextCost
from core.pacing import ChannelPace, steady
from core.rules import Rules
from core.services import Services
from core.settings import Settings

NAME = "sms"


class SmsTable(ChannelTable):
    """``[channels.sms]``: pace, price and how often statuses are asked for."""

    # messages per second for the whole channel (TurboSMS publishes no limit: conservative)
    rate: float = Field(5.0, gt=0, le=100)
    # what one SMS part costs, in minor units of `currency` (0: not set, costs show parts only)
    part_price: int = Field(0, ge=0, le=1_000_000)
    currency: str = Field("UAH", min_length=3, max_length=3)
    status_seconds: float = Field(60.0, ge=1, le=86_400)  # between delivery status checks
    # how long the channel waits when the account cannot send (balance, token, sender)
    hold_seconds: float = Field(60.0, gt=0, le=86_400)

    @field_validator("currency")
    @classmethod
    def _upper(cls, value: str) -> str:
        if not value.isalpha():
            raise ValueError(f"{value!r} is not a currency code")
        return value.upper()


def table(rules: Rules) -> SmsTable:
    return table_of(rules, NAME, SmsTable)


def _enabled(settings: Settings) -> bool:
    return sms_settings(settings).turbosms_token is not None


def _build(services: Services, dispatcher: Dispatch) -> ChannelAdapter:
    from bots.sms.channel import SmsChannel

    return SmsChannel(services, NAME)


def _check(settings: Settings) -> None:
    configured(settings)  # a bad sender or URL: one line naming the variable


def explain(settings: Settings) -> dict[str, str]:
    if not _enabled(settings):
        return {"reason": "TURBOSMS_TOKEN is not set"}
    target = configured(settings)
    inbound = "on" if sms_settings(settings).sms_inbound_secret else "off"
    return {"mode": "turbosms", "api": target.api_url, "sender": target.sender, "inbound": inbound}


def pace(settings: Settings, rules: Rules) -> ChannelPace:
    return ChannelPace(NAME, global_rate=steady(table(rules).rate))


def text_cost(settings: Settings, rules: Rules, messages: int, text: str) -> TextCost:
    sms = table(rules)
    return TextCost(count_parts(text).count, messages, sms.part_price, sms.currency)


SMS = ChannelSpec(
    name=NAME,
    title="SMS",
    build=_build,
    enabled=_enabled,
    capabilities=Capabilities(
        max_text=1000, buttons=False, link_buttons=True, edit_in_place=False, address="phone"
    ),
    pace=pace,
    table=SmsTable,
    text_cost=text_cost,
    explain=explain,
    check=_check,
)
