"""The delivery fallback: a client message that cannot reach a messenger goes another way.

``[delivery] fallback`` names channels that reach a client by a field of the client record
(their capability's ``address``: ``"email"``, ``"phone"``), in order. When a message to a
client fails as blocked on a messenger, the same message is queued once more on the first of
those channels (after the one that failed) that can reach the client: the channel is enabled
in this deployment, the client has the field it names, and its account there is not opted out.
The copy's dedupe key is derived from the failed row, so however often the worker runs it is
queued once. Payment messages to a client with no messenger account at all use the same order.

Channels are opaque names here: what a channel reaches a client by is read from its
capabilities (``Services.channels``), never from its name.

Every message to a client picks its account here, by one rule (:func:`reach`): the client's
most recently active reachable *messenger* account, else the first fallback channel reaching
them. Relay answers, notices, payment links, reminders and mailings (:func:`reach_many`, in
batches; :func:`reach_channels`, read-only for a preview) all go through it; an account on an
address channel is only ever used through the fallback order, never because it was the newest.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError

from core.channels import ChannelDirectory
from core.contract import ChannelName, Reply
from core.delivery import lane_for, reply_from_json
from core.errors import ConfigError
from core.i18n import T
from core.payments.intents import with_pay_links
from core.rules import Rules
from core.services import Services
from storage.models import Client, MessengerAccount, OutboxMessage
from storage.savepoint import savepoint

log = logging.getLogger(__name__)

MAILING = "mailing"  # kinds starting with this need marketing consent on a fallback channel
DIRECT_KINDS = ("reminder", "payment")  # bulk kinds that fall back besides the direct lane
MAX_EXTERNAL_ID = 64  # messenger_accounts.external_id
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def order(services: Services) -> tuple[ChannelName, ...]:
    """The configured fallback channels that are on in this deployment and reach by a field."""
    return tuple(
        name
        for name in services.rules.delivery.fallback
        if services.channels.reaching_by(name) is not None
    )


def check_order(rules: Rules, channels: ChannelDirectory) -> None:
    """A ``[delivery] fallback`` entry that is no channel, or a messenger, is a typo."""
    for name in rules.delivery.fallback:
        info = channels.get(name)
        if info is None:
            raise ConfigError(f"[delivery] fallback: {name!r}: no such channel")
        if info.capabilities.address is None:
            raise ConfigError(
                f"[delivery] fallback: {name!r} is a messenger; only channels that reach a "
                "client by phone or e-mail can be fallbacks"
            )


def falls_back(row: OutboxMessage) -> bool:
    """Whether a blocked message of this kind and lane goes to the next channel."""
    if row.direction != "out" or row.client_id is None:
        return False
    return row.lane == "direct" or row.kind.startswith(DIRECT_KINDS) or row.kind.startswith(MAILING)


def could_reach(services: Services, client: Client) -> bool:
    """Whether a fallback channel may reach ``client`` (it has the field one names); whether
    the person opted out there is known when the message is made (:func:`first_reachable`)."""
    if client.forget_requested_at is not None:
        return False
    for name in order(services):
        field = services.channels.reaching_by(name)
        if field and getattr(client, field, None):
            return True
    return False


def address_of(services: Services, client: Client, channel: ChannelName) -> str | None:
    """The client's address on an enabled address channel (its ``external_id``), or None."""
    field = services.channels.reaching_by(channel)
    value = (getattr(client, field, None) or "").strip() if field else ""
    if not value or len(value) > MAX_EXTERNAL_ID:
        return None
    return value.lower() if field == "email" else value


def by_address(services: Services, channel: ChannelName) -> bool:
    """Whether ``channel`` reaches clients by a field (enabled or not): not a messenger."""
    info = services.channels.get(channel)
    return info is not None and info.capabilities.address is not None


async def account_on(
    services: Services, client: Client, channel: ChannelName
) -> MessengerAccount | None:
    """The client's reachable account on an address channel, made from the client record on
    demand; None when the client lacks the field, it is taken by another client, or the
    person opted out there."""
    value = address_of(services, client, channel)
    if value is None:
        return None
    account = await MessengerAccount.get_or_none(channel=channel, external_id=value)
    if account is None:
        try:
            async with savepoint():
                account = await MessengerAccount.create(
                    channel=channel,
                    external_id=value,
                    client_id=client.id,
                    language=client.locale,
                    name=client.display_name[:128],
                )
        except IntegrityError:  # made by a concurrent fallback
            account = await MessengerAccount.get_or_none(channel=channel, external_id=value)
    if account is None or account.client_id not in (None, client.id) or account.staff_id:
        return None
    if account.client_id is None:
        account.client_id = client.id
        await account.save(update_fields=["client_id"])
    return account if account.reachable else None


async def first_reachable(
    services: Services,
    client: Client,
    *,
    after: ChannelName | None = None,
    marketing: bool = False,
    channels: Collection[ChannelName] | None = None,
) -> MessengerAccount | None:
    """The first fallback channel (after ``after`` when it is one of them; among ``channels``
    when given) reaching ``client``; mailings (``marketing``) only with the client's marketing
    consent."""
    if marketing and client.marketing_consent is not True:
        return None
    if client.forget_requested_at is not None:
        return None
    found = order(services)
    if after in found:
        found = found[found.index(after) + 1 :]
    for channel in found:
        if channels is not None and channel not in channels:
            continue
        account = await account_on(services, client, channel)
        if account is not None:
            return account
    return None


def _latest(accounts: list[MessengerAccount]) -> MessengerAccount | None:
    """The most recently active of ``accounts``."""
    return max(accounts, key=lambda a: (a.last_inbound_at or _EPOCH, a.id)) if accounts else None


def messenger_among(
    services: Services, accounts: Collection[MessengerAccount]
) -> MessengerAccount | None:
    """Of one client's ``accounts``: the most recently active messenger account we may write
    to (subscribed, not blocked, not an address channel such as SMS or e-mail)."""
    return _latest(
        [
            a
            for a in accounts
            if a.subscribed and not a.blocked and not by_address(services, a.channel)
        ]
    )


async def messengers_of(
    services: Services,
    client_ids: Collection[int],
    channels: Collection[ChannelName] | None = None,
) -> dict[int, MessengerAccount]:
    """Each client's most recently active reachable messenger account (of ``channels``)."""
    if not client_ids:
        return {}
    query = MessengerAccount.filter(client_id__in=list(client_ids), subscribed=True, blocked=False)
    if channels is not None:
        query = query.filter(channel__in=list(channels))
    by_client: dict[int, list[MessengerAccount]] = {}
    for account in await query:
        if account.client_id is not None:
            by_client.setdefault(account.client_id, []).append(account)
    return {
        cid: a for cid, accounts in by_client.items() if (a := messenger_among(services, accounts))
    }


async def messenger(services: Services, client: Client) -> MessengerAccount | None:
    """The client's messenger account to write to (interactive messages: offers' cards)."""
    return (await messengers_of(services, [client.id])).get(client.id)


async def reach(
    services: Services,
    client: Client,
    *,
    marketing: bool = False,
    channels: Collection[ChannelName] | None = None,
) -> MessengerAccount | None:
    """THE account a message to ``client`` goes to: their most recently active reachable
    messenger account (among ``channels`` when given), else the first fallback channel that
    reaches them; None when nothing does."""
    found = (await messengers_of(services, [client.id], channels)).get(client.id)
    if found is not None:
        return found
    return await first_reachable(services, client, marketing=marketing, channels=channels)


async def reach_many(
    services: Services,
    clients: Collection[Client],
    *,
    marketing: bool = False,
    channels: Collection[ChannelName] | None = None,
) -> dict[int, MessengerAccount]:
    """:func:`reach` for a batch (a mailing's audience): one query for the messengers, the
    fallback account (made on demand) only for clients without one."""
    found = await messengers_of(services, [c.id for c in clients], channels)
    for client in clients:
        if client.id not in found:
            account = await first_reachable(
                services, client, marketing=marketing, channels=channels
            )
            if account is not None:
                found[client.id] = account
    return found


async def reach_channels(
    services: Services,
    clients: Collection[Client],
    *,
    channels: Collection[ChannelName] | None = None,
) -> dict[int, ChannelName]:
    """The channel :func:`reach_many` would pick for each client, read-only (a preview makes
    no accounts): an address someone opted out of, or another client's, does not count."""
    picked: dict[int, ChannelName] = {
        cid: a.channel
        for cid, a in (await messengers_of(services, [c.id for c in clients], channels)).items()
    }
    rest = [c for c in clients if c.id not in picked and c.forget_requested_at is None]
    for channel in order(services):
        if not rest or (channels is not None and channel not in channels):
            continue
        wanted = {c.id: v for c in rest if (v := address_of(services, c, channel))}
        known = {
            a.external_id: a
            for a in await MessengerAccount.filter(
                channel=channel, external_id__in=sorted(set(wanted.values()))
            )
        }
        for client in rest:
            value = wanted.get(client.id)
            account = known.get(value) if value else None
            if value is None or (
                account is not None
                and (
                    not account.reachable
                    or account.staff_id
                    or account.client_id not in (None, client.id)
                )
            ):
                continue
            picked[client.id] = channel
        rest = [c for c in rest if c.id not in picked]
    return picked


async def tell_client(
    services: Services,
    client: Client,
    render: Callable[[T], Reply],
    *,
    kind: str,
    dedupe_key: str | None = None,
    meta: dict[str, Any] | None = None,
) -> OutboxMessage | None:
    """Queue ``render(t)`` in the client's language on the account :func:`reach` picks (a
    messenger, else a fallback channel); None when nothing reaches the client or
    ``dedupe_key`` was queued before. Every one-off message to a client comes through here."""
    account = await reach(services, client)
    if account is None:
        return None
    reply = render(services.translator(client.locale))
    return await services.outbox.enqueue(
        account, reply, kind=kind, dedupe_key=dedupe_key, meta=meta
    )


def fallback_key(row: OutboxMessage) -> str:
    return f"fallback:{row.id}"


async def fall_back(services: Services, row: OutboxMessage) -> OutboxMessage | None:
    """Queue a blocked client message again on the next channel that reaches the client;
    None when it does not fall back, nothing reaches the client, or it was queued before."""
    if not falls_back(row) or not order(services):
        return None
    client = await Client.get_or_none(id=row.client_id)
    if client is None:
        return None
    marketing = row.kind.startswith(MAILING)
    account = await first_reachable(services, client, after=row.channel, marketing=marketing)
    if account is None:
        return None
    reply = await with_pay_links(services, account.channel, reply_from_json(row.body))
    copy = await services.outbox.enqueue(
        account,
        reply,
        kind=row.kind,
        dedupe_key=fallback_key(row),
        meta={**(row.meta or {}), "fallback_of": row.id},
        lane=lane_for(row.kind, row.lane),
    )
    if copy is not None:
        log.info(
            "fallback row=%s from=%s to=%s new_row=%s",
            row.id,
            row.channel,
            account.channel,
            copy.id,
        )
    return copy
