"""Invite a friend: each client has an invite code (a messenger deep link opens the bot with
``/start r_<code>``); when the invited friend pays their first order, both get
``[loyalty] referral_bonus`` points, once (``referral:<id>:friend`` / ``:inviter``, written in
the transaction of that payment). A client cannot invite themselves, and who invited a client
is never changed once recorded (the friend's row is unique); a client who already paid an
order is no longer "new" and cannot be invited.
"""

from __future__ import annotations

import secrets
from enum import StrEnum

from tortoise.exceptions import IntegrityError

from core import ledger
from core.loyalty.earning import grant
from core.services import Services
from storage.models import Client, Order, PointsKind, Referral, ReferralCode
from storage.savepoint import savepoint

PREFIX = "r_"
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
CODE_LENGTH = 8


class Linked(StrEnum):
    LINKED = "linked"
    SELF = "self"  # their own code
    ALREADY = "already"  # invited before (by anyone): never re-linked
    NOT_NEW = "not-new"  # already a paying client
    UNKNOWN = "unknown"  # no such code


def code_in(param: str | None) -> str | None:
    """The invite code of a deep-link parameter ``r_<code>``; None for anything else."""
    value = (param or "").strip()
    if not value.startswith(PREFIX):
        return None
    code = value[len(PREFIX) :].lower()
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        return None
    return code


async def code_of(client: Client) -> str:
    """The client's invite code, made on first use (random; unique)."""
    for _ in range(5):
        found = await ReferralCode.get_or_none(client_id=client.id)
        if found is not None:
            return found.code
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        try:
            async with savepoint():
                await ReferralCode.create(client_id=client.id, code=code)
        except IntegrityError:
            continue  # a twin request made it first, or the code was taken: look again
    found = await ReferralCode.get(client_id=client.id)
    return found.code


async def link_for(services: Services, client: Client, channel: str) -> str | None:
    """The invite link in the client's own messenger, else any messenger's that has one."""
    param = PREFIX + await code_of(client)
    info = services.channels.get(channel)
    if info is not None and info.deep_link is not None:
        link = info.deep_link(services.rules, param)
        if link:
            return link
    return services.channels.deep_link(services.rules, param)


async def attach(services: Services, friend: Client, code: str) -> tuple[Linked, Client | None]:
    """Record that the owner of ``code`` invited ``friend`` (see the module's rules)."""
    owner = await ReferralCode.get_or_none(code=code)
    if owner is None:
        return Linked.UNKNOWN, None
    inviter = await Client.get(id=owner.client_id)
    if inviter.id == friend.id:
        return Linked.SELF, inviter
    if await Referral.exists(friend_id=friend.id):
        return Linked.ALREADY, inviter
    if await Order.filter(client_id=friend.id, paid__gt=0).exists():
        return Linked.NOT_NEW, inviter
    try:
        async with savepoint():
            await Referral.create(
                inviter_id=inviter.id, friend_id=friend.id, created_at=services.clock.now()
            )
    except IntegrityError:
        return Linked.ALREADY, inviter
    return Linked.LINKED, inviter


async def on_paid(services: Services, client_id: int, order: Order) -> bool:
    """Money landed on an order of ``client_id``: the first time, both get their bonus
    (client locked, in the payment's transaction). True when the bonus was given now."""
    bonus = services.rules.loyalty.referral_bonus
    if not services.rules.loyalty.enabled or bonus <= 0 or order.paid <= 0:
        return False
    referral = await Referral.get_or_none(friend_id=client_id, rewarded_at=None)
    if referral is None:
        return False
    now = services.clock.now()
    changed = await Referral.filter(id=referral.id, rewarded_at=None).update(rewarded_at=now)
    if not changed:
        return False
    reason = f"invited friend paid order {order.number}"
    await grant(
        services, client_id, bonus, PointsKind.REFERRAL, f"referral:{referral.id}:friend",
        order_id=order.id, reason=reason,
    )  # fmt: skip
    await ledger.lock_client(referral.inviter_id)  # its points mirror is written too
    await grant(
        services, referral.inviter_id, bonus, PointsKind.REFERRAL,
        f"referral:{referral.id}:inviter", reason=reason,
    )  # fmt: skip
    return True
