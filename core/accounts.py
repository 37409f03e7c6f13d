"""Messenger accounts: found or created on every incoming event, and their reachability."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from core.clock import Clock
from core.contract import Address, Incoming
from storage.identity import account_with_links, insert_account
from storage.models import Client, MessengerAccount, Staff

# How stale ``last_inbound_at`` may get before an incoming event writes it again. Every reader
# is fine with a minute: the reminders' "most recently active account" and the lost-clients
# report work in days, and Viber's hourly window (counted from the user's last message) only
# gets more careful when the time it starts from is a little early.
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(slots=True)
class Identity:
    """Who an incoming event is from: the account, and the client and the active staff member
    it is linked to."""

    account: MessengerAccount
    client: Client | None
    staff: Staff | None


async def touch(incoming: Incoming, clock: Clock) -> Identity:
    """The account this event came from (created on first contact), with its client and staff.

    A user who writes to us is reachable again (Viber: a message re-subscribes; Telegram: a
    user who blocked the bot cannot write, so a message means unblocked). The account row is
    written only when something changed or ``last_inbound_at`` is more than
    :data:`TOUCH_EVERY` old, so a busy conversation costs one read per event, not a write.
    """
    channel = incoming.channel
    found = await account_with_links(channel, incoming.user_id)  # one query for all three
    now = clock.now()
    if found is None:
        return Identity(await _create(incoming, now), None, None)
    account, client, staff = found
    changes: dict[str, object] = {}
    if not account.subscribed:
        changes["subscribed"] = True
    if account.blocked:
        changes["blocked"] = False
    if incoming.user_name and incoming.user_name[:128] != account.name:
        changes["name"] = incoming.user_name[:128]
    if incoming.language and incoming.language != account.language:
        changes["language"] = incoming.language
    last = account.last_inbound_at
    if changes or last is None or not timedelta(0) <= now - last < TOUCH_EVERY:
        changes["last_inbound_at"] = now
        await MessengerAccount.filter(id=account.id).update(**changes)
        for name, value in changes.items():
            setattr(account, name, value)
    return Identity(account, client, staff)


async def _create(incoming: Incoming, now: datetime) -> MessengerAccount:
    channel = incoming.channel
    name = (incoming.user_name or "")[:128]
    created = await insert_account(channel, incoming.user_id, name, incoming.language, now)
    if created is not None:
        return created
    # another process created it a moment ago
    account = await MessengerAccount.get(channel=channel, external_id=incoming.user_id)
    account.last_inbound_at = now
    account.subscribed = True
    account.blocked = False
    await account.save(update_fields=["last_inbound_at", "subscribed", "blocked"])
    return account


async def find(address: Address) -> MessengerAccount | None:
    return await MessengerAccount.get_or_none(channel=address.channel, external_id=address.user_id)


async def mark(
    address: Address, *, subscribed: bool | None = None, blocked: bool | None = None
) -> None:
    """Record what the platform told us about a user (blocked the bot, unsubscribed, back)."""
    values: dict[str, bool] = {}
    if subscribed is not None:
        values["subscribed"] = subscribed
    if blocked is not None:
        values["blocked"] = blocked
    if values:
        await MessengerAccount.filter(channel=address.channel, external_id=address.user_id).update(
            **values
        )


async def subscribed(address: Address, *, name: str | None, language: str | None) -> None:
    """The platform says this user subscribed (Viber ``subscribed``): reachable from now on,
    the account created when this is the first we hear of them."""
    if await find(address) is None:
        with contextlib.suppress(IntegrityError):  # a parallel callback created it
            await MessengerAccount.create(
                channel=address.channel,
                external_id=address.user_id,
                name=(name or "")[:128],
                language=language,
            )
    await mark(address, subscribed=True, blocked=False)


async def unsubscribed(address: Address) -> None:
    """The platform says this user left (Viber ``unsubscribed``): write to them no more."""
    await mark(address, subscribed=False)
