"""One message kept up to date: outbox rows that replace an earlier message in place.

``Outbox.enqueue(account, reply, replaces=key)`` writes a row whose ``replace_key`` names the
message it updates (a mailing's live progress in the admin's chat, say). The first row of a key
is sent as a new message; its platform message id is recorded on the row, in the database, so
any process — after a restart too — finds it and edits that message for every later row of the
key (a channel whose sender cannot edit gets a new message instead).

Updates coalesce: enqueueing a row cancels the older rows of its key that have not been claimed
yet, and a claimed row that finds a newer one is dropped unsent, so only the latest state is
ever shown. Order is kept: a row whose older sibling is still being sent by another worker
waits for it (otherwise an old state could overwrite a newer one).
"""

from __future__ import annotations

from dataclasses import dataclass

from storage.models import OutboxMessage, OutboxStatus

SUPERSEDED = "superseded by a newer update"
WAIT_FOR_OLDER = 0.5  # seconds a row waits while an older row of its key is being sent
MAX_KEY = 64  # outbox.replace_key


@dataclass(frozen=True, slots=True)
class Step:
    """What to do with a claimed row: drop it, wait, or send (editing ``edit_of`` if set)."""

    superseded: bool = False
    wait: float = 0.0
    edit_of: str | None = None


def _same_message(row: OutboxMessage) -> dict[str, object]:
    return {
        "replace_key": row.replace_key,
        "channel": row.channel,
        "external_id": row.external_id,
        "direction": "out",
    }


async def supersede_older(row: OutboxMessage) -> int:
    """Cancel the unclaimed rows of ``row``'s key written before it; returns how many."""
    return int(
        await OutboxMessage.filter(
            **_same_message(row), id__lt=row.id, status=OutboxStatus.PENDING
        ).update(status=OutboxStatus.CANCELLED, error=SUPERSEDED)
    )


async def plan(row: OutboxMessage) -> Step:
    """Decide for a claimed row with a replace key (a few indexed lookups)."""
    same = OutboxMessage.filter(**_same_message(row))
    newer = same.filter(
        id__gt=row.id,
        status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.SENT],
    )
    if await newer.exists():
        return Step(superseded=True)
    if await same.filter(id__lt=row.id, status=OutboxStatus.SENDING).exists():
        return Step(wait=WAIT_FOR_OLDER)
    shown = (
        await same.filter(
            id__lt=row.id, status=OutboxStatus.SENT, platform_message_id__isnull=False
        )
        .order_by("-id")
        .first()
        .values_list("platform_message_id", flat=True)
    )
    return Step(edit_of=str(shown) if shown else None)
