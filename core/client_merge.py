"""Merging two client records into one: staff say two records are the same person.

Every row that belonged to the merged client (messenger accounts, orders, requests, ledger
entries, payment intents, messages, …) is re-pointed at the client kept; nothing is copied or
re-written, so the kept client's balances are exactly the sum of both. The merged record is
then deleted. Audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.transactions import in_transaction

from core.audit import audit
from core.errors import InvalidInput, NotFound
from storage.merge import repoint_client
from storage.models import ClaimStatus, Client, PhoneClaim, Referral, Staff

# Personal fields the kept client takes from the merged one when its own are empty.
FILLED = ("first_name", "last_name", "birthday", "gender", "lead_source", "manager_id")


@dataclass(frozen=True, slots=True)
class Merged:
    client: Client
    moved: dict[str, int]


async def merge_clients(from_id: int, into_id: int, *, actor: str | Staff) -> Merged:
    """Fold client ``from_id`` into ``into_id``; :class:`NotFound` / :class:`InvalidInput`."""
    if from_id == into_id:
        raise InvalidInput("identity-merge-same")
    async with in_transaction():
        # Lock both rows in id order (the order every merge takes), so two merges cannot
        # deadlock and a payment cannot write to the merged client half-way.
        locked = await Client.filter(id__in=[from_id, into_id]).select_for_update().order_by("id")
        by_id = {c.id: c for c in locked}
        if from_id not in by_id or into_id not in by_id:
            raise NotFound("identity-merge-not-found")
        source, target = by_id[from_id], by_id[into_id]
        # claims between the two are moot once they are one client
        await (
            PhoneClaim.filter(claimant_id__in=[from_id, into_id], target_id__in=[from_id, into_id])
            .filter(status=ClaimStatus.PENDING)
            .update(status=ClaimStatus.CLOSED, code_hash=None)
        )
        moved = await repoint_client(from_id, into_id)
        # one person cannot have invited themselves: an invitation between the two, not yet
        # rewarded, goes; a rewarded one stays as the record of bonuses already given
        await Referral.filter(
            inviter_id=into_id, friend_id=into_id, rewarded_at__isnull=True
        ).delete()
        updates: dict[str, object] = {}
        for name in FILLED:
            if not getattr(target, name) and getattr(source, name):
                updates[name] = getattr(source, name)
        if target.marketing_consent is None and source.marketing_consent is not None:
            updates["marketing_consent"] = source.marketing_consent
        if source.bonus_points:
            updates["bonus_points"] = target.bonus_points + source.bonus_points
        unique_moves = {
            name: getattr(source, name)
            for name in ("phone", "card_number")
            if not getattr(target, name) and getattr(source, name)
        }
        await Client.filter(id=from_id).delete()  # frees its unique phone / card number
        updates.update(unique_moves)
        if updates:
            await Client.filter(id=into_id).update(**updates)
        await audit(
            actor,
            "clients-merged",
            subject=f"client:{into_id}",
            details={"from": from_id, "into": into_id, "moved": moved},
        )
    return Merged(await Client.get(id=into_id), moved)
