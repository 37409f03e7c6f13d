"""What platforms report about messages we sent: delivered, seen, failed (Viber callbacks),
and how many we sent lately (Viber's hourly window). Adapters call these; they never write
outbox rows themselves."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import cast

from core.contract import Address, ChannelName
from storage.models import OutboxMessage, OutboxStatus


class Receipt(StrEnum):
    DELIVERED = "delivered"
    SEEN = "seen"
    FAILED = "failed"


async def record(
    channel: ChannelName,
    message_id: str,
    receipt: Receipt,
    at: datetime,
    *,
    user_id: str | None = None,
    error: str | None = None,
) -> None:
    """Apply one receipt to the message the platform knows as ``message_id`` (idempotent:
    the first delivered/seen time is kept). A broadcast's receivers share one message id, so
    the platform names the receiver (``user_id``) and only that receiver's row is touched."""
    rows = OutboxMessage.filter(channel=channel, platform_message_id=message_id)
    if user_id:
        rows = rows.filter(external_id=user_id)
    if receipt is Receipt.FAILED:
        await rows.update(status=OutboxStatus.FAILED, error=error or "failed")
        return
    await rows.filter(delivered_at__isnull=True).update(delivered_at=at)
    if receipt is Receipt.SEEN:
        await rows.filter(seen_at__isnull=True).update(seen_at=at)


async def sent_since(address: Address, since: datetime) -> list[datetime]:
    """When our messages to ``address`` were sent after ``since``, oldest first."""
    rows = (
        await OutboxMessage.filter(
            channel=address.channel,
            external_id=address.user_id,
            direction="out",
            status=OutboxStatus.SENT,
            sent_at__gt=since,
        )
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
    )
    return cast(list[datetime], rows)
