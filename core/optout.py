"""Opting out of marketing by a message: "STOP" texted to a channel that reaches clients by
phone (SMS), or a gateway reporting the number in its own stop list.

Either withdraws the client's marketing consent at once (the same as the Unsubscribe button of
a mailing: queued mailing messages are cancelled, later mailings skip the client); service
messages -- payment links, receipts, reminders -- still go. Channels are opaque names here.
"""

from __future__ import annotations

from core import fallback
from core.contract import ChannelName, Reply
from core.mailings.service import unsubscribe
from core.services import Services
from storage.models import Client, MessengerAccount

# what people text to opt out, compared case-insensitively without surrounding punctuation
STOP_WORDS = frozenset(
    {"stop", "стоп", "unsubscribe", "stopall", "відписатися", "відписатись", "отписаться"}
)


def is_stop(text: str) -> bool:
    return (text or "").strip().strip(".!,;:\"'").casefold() in STOP_WORDS


async def client_of(channel: ChannelName, phone: str) -> Client | None:
    """The client a number belongs to: its account on ``channel``, else the client record."""
    account = await MessengerAccount.get_or_none(channel=channel, external_id=phone)
    if account is not None and account.client_id is not None:
        return await Client.get_or_none(id=account.client_id)
    return await Client.get_or_none(phone=phone)


async def opt_out(services: Services, client: Client) -> bool:
    """Withdraw marketing consent; True when it was still given (idempotent)."""
    return await unsubscribe(services, client, None)


async def inbound(services: Services, channel: ChannelName, phone: str, text: str) -> bool:
    """A message ``phone`` sent us on ``channel``: kept in the client's history; a STOP
    withdraws marketing consent and is confirmed once. True when it opted someone out."""
    client = await client_of(channel, phone)
    if client is None:
        return False
    account = await fallback.account_on(services, client, channel)
    if account is not None:
        await services.outbox.record_inbound(account, text[:1000], kind="inbound")
    if not is_stop(text) or not await opt_out(services, client):
        return False
    if account is not None:
        t = services.translator(client.locale)
        await services.outbox.enqueue(account, Reply(t("sms-stopped")), kind="optout-confirm")
    return True
