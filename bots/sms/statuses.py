"""Delivery statuses of the SMS we sent, asked from the gateway every few minutes.

Rows sent in the last day with a gateway message id and no delivery time yet are asked about,
a hundred at a time; what the gateway knows is written through :mod:`core.receipts` (the first
delivery time is kept; an undeliverable message turns failed). Asking twice changes nothing,
so several processes may do it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bots.sms.gateway import Delivery, SmsGateway
from core import receipts
from core.contract import ChannelName
from core.receipts import Receipt
from core.services import Services
from storage.models import OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

BATCH = 100
WINDOW = timedelta(days=1)


async def check_statuses(services: Services, channel: ChannelName, gateway: SmsGateway) -> int:
    """One round; returns how many messages got a final status."""
    now = services.clock.now()
    ids = await (
        OutboxMessage.filter(
            channel=channel,
            status=OutboxStatus.SENT,
            platform_message_id__isnull=False,
            delivered_at__isnull=True,
            sent_at__gte=now - WINDOW,
        )
        .order_by("sent_at")
        .limit(BATCH)
        .values_list("platform_message_id", flat=True)
    )
    settled = 0
    for answer in await gateway.statuses([str(i) for i in ids]):
        if answer.state is Delivery.DELIVERED:
            await receipts.record(channel, answer.message_id, Receipt.DELIVERED, now)
        elif answer.state is Delivery.FAILED:
            error = f"{gateway.name}: {answer.detail or 'not delivered'}"[:500]
            await receipts.record(channel, answer.message_id, Receipt.FAILED, now, error=error)
        else:
            continue
        settled += 1
    return settled


async def poll_forever(
    services: Services, channel: ChannelName, gateway: SmsGateway, every: float
) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            await check_statuses(services, channel, gateway)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("checking sms statuses failed")
