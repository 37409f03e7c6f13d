"""One delivery path for every message that is not a direct reply.

:meth:`Outbox.enqueue` persists the message first (the outbox is also the message history);
:class:`DeliveryWorker` claims due rows, hands each to its channel's :class:`Sender` and records
the outcome: sent, retried with backoff, or closed for good (blocked, unsubscribed, failed).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from core import metrics
from core.clock import Clock
from core.contract import Address, Button, Channel, LinkButton, Media, Reply
from core.sending import Outcome, Sender, SendResult
from storage.claims import claim_outbox
from storage.models import MessengerAccount, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

BACKOFF_BASE = 5.0  # seconds; doubled per attempt
BACKOFF_MAX = 3600.0


def reply_to_json(reply: Reply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "buttons": [
            [
                {"label": b.label, "url": b.url}
                if isinstance(b, LinkButton)
                else {"label": b.label, "payload": b.payload}
                for b in row
            ]
            for row in reply.buttons
        ],
        "request_phone": reply.request_phone,
        "phone_label": reply.phone_label,
        "media": asdict(reply.media) if reply.media else None,
    }


def reply_from_json(body: dict[str, Any]) -> Reply:
    rows = tuple(
        tuple(
            LinkButton(b["label"], b["url"]) if "url" in b else Button(b["label"], b["payload"])
            for b in row
        )
        for row in body.get("buttons") or []
    )
    media = Media(**body["media"]) if body.get("media") else None
    return Reply(
        text=body.get("text", ""),
        buttons=rows,
        request_phone=bool(body.get("request_phone")),
        phone_label=body.get("phone_label"),
        media=media,
    )


class Outbox:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.wakeup = asyncio.Event()

    async def enqueue(
        self,
        account: MessengerAccount,
        reply: Reply,
        *,
        kind: str = "notification",
        dedupe_key: str | None = None,
        not_before: datetime | None = None,
        meta: dict[str, Any] | None = None,
    ) -> OutboxMessage | None:
        """Persist one message for ``account``; returns None when ``dedupe_key`` was used before."""
        try:
            row = await OutboxMessage.create(
                channel=account.channel,
                external_id=account.external_id,
                account_id=account.id,
                client_id=account.client_id,  # type: ignore[attr-defined]
                staff_id=account.staff_id,  # type: ignore[attr-defined]
                kind=kind,
                body=reply_to_json(reply),
                dedupe_key=dedupe_key,
                not_before=not_before or self.clock.now(),
                meta=meta or {},
            )
        except IntegrityError:
            if dedupe_key is None:
                raise
            return None
        self.wakeup.set()
        return row

    async def record_inbound(
        self, account: MessengerAccount, text: str, *, kind: str = "inbound"
    ) -> OutboxMessage:
        """Keep a message the user sent (relayed to staff) in the same history."""
        return await OutboxMessage.create(
            channel=account.channel,
            external_id=account.external_id,
            account_id=account.id,
            client_id=account.client_id,  # type: ignore[attr-defined]
            staff_id=account.staff_id,  # type: ignore[attr-defined]
            direction="in",
            kind=kind,
            body={"text": text},
            status=OutboxStatus.RECEIVED,
            not_before=self.clock.now(),
        )

    async def cancel(self, dedupe_prefix: str) -> int:
        """Cancel unsent messages whose dedupe key starts with ``dedupe_prefix``."""
        return await OutboxMessage.filter(
            dedupe_key__startswith=dedupe_prefix, status=OutboxStatus.PENDING
        ).update(status=OutboxStatus.CANCELLED)


def backoff(attempts: int) -> float:
    return float(min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_MAX))


class DeliveryWorker:
    """Claims due outbox rows and sends them; safe to run in many processes at once."""

    def __init__(
        self,
        clock: Clock,
        senders: dict[Channel, Sender],
        worker_id: str,
        *,
        max_attempts: int = 8,
        lease: timedelta = timedelta(seconds=60),
        batch: int = 50,
    ) -> None:
        self.clock = clock
        self.senders = senders
        self.worker_id = worker_id
        self.max_attempts = max_attempts
        self.lease = lease
        self.batch = batch

    async def run_once(self) -> int:
        """Deliver one batch of due messages; returns how many rows were claimed."""
        ids = await claim_outbox(self.worker_id, self.clock.now(), self.lease, self.batch)
        rows = await OutboxMessage.filter(id__in=ids, claimed_by=self.worker_id).order_by("id")
        for row in rows:
            await self._deliver(row)
        return len(ids)

    async def drain(self, rounds: int = 100) -> int:
        """Run until nothing is due (tests, shutdown)."""
        total = 0
        for _ in range(rounds):
            claimed = await self.run_once()
            total += claimed
            if not claimed:
                break
        return total

    async def _deliver(self, row: OutboxMessage) -> None:
        account = await MessengerAccount.get_or_none(id=row.account_id)  # type: ignore[attr-defined]
        if account is not None and not account.reachable:
            await self._close(row, OutboxStatus.BLOCKED, "recipient blocked or unsubscribed")
            return
        sender = self.senders.get(Channel(row.channel))
        if sender is None:
            await self._retry(row, SendResult(Outcome.RETRY, error="channel not running"))
            return
        address = Address(Channel(row.channel), row.external_id)
        try:
            result = await sender.send(address, reply_from_json(row.body))
        except Exception as exc:  # a sender bug must not kill the worker
            log.exception("sender %s crashed on outbox row %s", row.channel, row.id)
            result = SendResult(Outcome.RETRY, error=f"{type(exc).__name__}: {exc}")
        await self._record(row, account, result)

    async def _record(
        self, row: OutboxMessage, account: MessengerAccount | None, result: SendResult
    ) -> None:
        metrics.OUTBOX.labels(row.channel, result.outcome.value).inc()
        if result.outcome is Outcome.SENT:
            row.status = OutboxStatus.SENT
            row.sent_at = self.clock.now()
            row.platform_message_id = result.message_id  # type: ignore[assignment]
            row.error = None  # type: ignore[assignment]
            row.lease_until = None
            await row.save()
        elif result.outcome is Outcome.RETRY:
            await self._retry(row, result)
        elif result.outcome is Outcome.DEFER:
            await self._defer(row, result)
        elif result.outcome in (Outcome.BLOCKED, Outcome.UNSUBSCRIBED):
            if account is not None:
                if result.outcome is Outcome.BLOCKED:
                    account.blocked = True
                else:
                    account.subscribed = False
                await account.save(update_fields=["blocked", "subscribed"])
            await self._close(row, OutboxStatus.BLOCKED, result.error or result.outcome.value)
        else:
            await self._close(row, OutboxStatus.FAILED, result.error or "failed")

    async def _retry(self, row: OutboxMessage, result: SendResult) -> None:
        if row.attempts >= self.max_attempts:
            await self._close(row, OutboxStatus.FAILED, f"gave up: {result.error}")
            return
        delay = result.retry_after if result.retry_after is not None else backoff(row.attempts)
        row.status = OutboxStatus.PENDING
        row.not_before = self.clock.now() + timedelta(seconds=delay)
        row.error = result.error  # type: ignore[assignment]
        row.lease_until = None
        await row.save()

    async def _defer(self, row: OutboxMessage, result: SendResult) -> None:
        """Our own limits said "later": wait, without spending one of the row's attempts."""
        row.status = OutboxStatus.PENDING
        row.attempts = max(row.attempts - 1, 0)
        row.not_before = self.clock.now() + timedelta(seconds=result.retry_after or 1.0)
        row.error = result.error  # type: ignore[assignment]
        row.lease_until = None
        await row.save()

    async def _close(self, row: OutboxMessage, status: OutboxStatus, error: str) -> None:
        row.status = status
        row.error = error
        row.lease_until = None
        await row.save()
