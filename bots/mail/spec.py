"""E-mail as one channel of the composition root (see bots/channel.py)."""

from __future__ import annotations

from pydantic import Field

from bots.channel import ChannelAdapter, ChannelSpec, ChannelTable, Dispatch, table_of
from bots.mail.settings import configured, mail_settings
from core.channels import Capabilities
from core.pacing import ChannelPace, steady
from core.rules import Rules
from core.services import Services
from core.settings import Settings

NAME = "mail"


class MailTable(ChannelTable):
    """``[channels.mail]``: how fast e-mails leave (the SMTP relay's own limit)."""

    rate: float = Field(5.0, gt=0, le=1000)  # messages per second, for the whole channel


def _enabled(settings: Settings) -> bool:
    return mail_settings(settings).smtp_url is not None


def _build(services: Services, dispatcher: Dispatch) -> ChannelAdapter:
    from bots.mail.channel import MailChannel

    return MailChannel(services, NAME)


def _check(settings: Settings) -> None:
    configured(settings)  # a bad SMTP_URL / MAIL_FROM: one line naming the variable


def explain(settings: Settings) -> dict[str, str]:
    if not _enabled(settings):
        return {"reason": "SMTP_URL is not set"}
    target, _ = configured(settings)
    return {"mode": "smtp", "server": f"{target.hostname}:{target.port}"}


def pace(settings: Settings, rules: Rules) -> ChannelPace:
    return ChannelPace(NAME, global_rate=steady(table_of(rules, NAME, MailTable).rate))


MAIL = ChannelSpec(
    name=NAME,
    title="E-mail",
    build=_build,
    enabled=_enabled,
    capabilities=Capabilities(
        max_text=100_000, buttons=False, link_buttons=True, edit_in_place=False, address="email"
    ),
    pace=pace,
    table=MailTable,
    explain=explain,
    check=_check,
)
