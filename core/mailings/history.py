"""A client's mailing history: the mailings they were in and what became of each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.models import MailingRecipient, OutboxMessage

SHOWN = 5


@dataclass(frozen=True, slots=True)
class Received:
    mailing_id: int
    at: datetime  # when it left (sent), else when the client was taken into the audience
    outcome: str  # a RecipientOutcome value


async def received(client_id: int, limit: int = SHOWN) -> list[Received]:
    """The client's last ``limit`` mailings, newest first."""
    rows = await MailingRecipient.filter(client_id=client_id).order_by("-id").limit(limit)
    outbox_ids = [r.outbox_id for r in rows if r.outbox_id]
    sent_at = {o.id: o.sent_at for o in await OutboxMessage.filter(id__in=outbox_ids) if o.sent_at}
    return [
        Received(r.mailing_id, sent_at.get(r.outbox_id or 0) or r.created_at, r.outcome.value)
        for r in rows
    ]
