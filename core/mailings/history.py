"""A client's mailing history: the mailings they were in and what became of each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.models import MailingRecipient, OutboxMessage, OutboxStatus, RecipientOutcome

SHOWN = 5


@dataclass(frozen=True, slots=True)
class Received:
    mailing_id: int
    at: datetime  # when it left (sent), else when the client was taken into the audience
    outcome: str  # a RecipientOutcome value


def _outcome(recipient: MailingRecipient, message: OutboxMessage | None) -> str:
    """The recipient's outcome, or what its message's outbox row already says (the mailing's
    own copy is brought up to date only when its report is made)."""
    if recipient.outcome is not RecipientOutcome.PENDING or message is None:
        return recipient.outcome.value
    if message.seen_at:
        return RecipientOutcome.SEEN.value
    if message.delivered_at:
        return RecipientOutcome.DELIVERED.value
    final = {
        OutboxStatus.SENT: RecipientOutcome.SENT,
        OutboxStatus.FAILED: RecipientOutcome.FAILED,
        OutboxStatus.BLOCKED: RecipientOutcome.BLOCKED,
        OutboxStatus.CANCELLED: RecipientOutcome.CANCELLED,
    }
    return final.get(message.status, RecipientOutcome.PENDING).value


async def received(client_id: int, limit: int = SHOWN) -> list[Received]:
    """The client's last ``limit`` mailings, newest first."""
    rows = await MailingRecipient.filter(client_id=client_id).order_by("-id").limit(limit)
    outbox_ids = [r.outbox_id for r in rows if r.outbox_id]
    messages = {o.id: o for o in await OutboxMessage.filter(id__in=outbox_ids)}
    out = []
    for r in rows:
        message = messages.get(r.outbox_id or 0)
        at = (message.sent_at if message else None) or r.created_at
        out.append(Received(r.mailing_id, at, _outcome(r, message)))
    return out
