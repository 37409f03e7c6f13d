"""Messenger accounts: found or created on every incoming event, and their reachability."""

from __future__ import annotations

import contextlib

from tortoise.exceptions import IntegrityError

from core.clock import Clock
from core.contract import Address, Incoming
from storage.models import MessengerAccount


async def touch(incoming: Incoming, clock: Clock) -> MessengerAccount:
    """The account this event came from, created on first contact.

    A user who writes to us is reachable again (Viber: a message re-subscribes; Telegram: a
    user who blocked the bot cannot write, so a message means unblocked).
    """
    channel = incoming.channel
    account = await MessengerAccount.get_or_none(channel=channel, external_id=incoming.user_id)
    if account is None:
        try:
            account = await MessengerAccount.create(
                channel=channel,
                external_id=incoming.user_id,
                name=(incoming.user_name or "")[:128],
                language=incoming.language,
            )
        except IntegrityError:  # another process created it a moment ago
            account = await MessengerAccount.get(channel=channel, external_id=incoming.user_id)
    account.last_inbound_at = clock.now()
    account.subscribed = True
    account.blocked = False
    fields = ["last_inbound_at", "subscribed", "blocked"]
    if incoming.user_name and incoming.user_name[:128] != account.name:
        account.name = incoming.user_name[:128]
        fields.append("name")
    if incoming.language and incoming.language != account.language:
        account.language = incoming.language
        fields.append("language")
    await account.save(update_fields=fields)
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
