"""One request for many receivers: rows that carry the same message leave together.

A mailing whose text uses no personal variables renders the same message for every client of
one language; its outbox rows get the same ``batch_key`` (:func:`batch_key`). A channel that
can send one message to many receivers at once (Viber ``broadcast_message``, up to 300) offers
a :class:`BatchSender`; the delivery worker then turns a claimed row with a batch key into a
group (:meth:`Batching.gather`): the rows of the same key it claimed, topped up with more
pending rows of that key under the SAME claim token (storage/batch_claims.py).

:meth:`Batching.deliver` sends the group part by part. Right before each request it takes a
slot of the channel's request rate (shared by every process through the limiter), then
confirms the claim of every row in one statement: only the rows still held under the token go
into the request, so a row whose claim was lost (re-claimed by another process after its lease
ran out, or cancelled) is never sent by this holder. Per-receiver failures come back from the
sender and are recorded on their rows the way the one-by-one path records them (unsubscribed /
blocked accounts are marked and their queue closed; others retry); the rest are sent.
Receivers are not paced per chat (one message each) and Viber's hourly per-user cap is not
checked here: a receiver Viber refuses for that comes back in the failed list and waits.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Protocol

from tortoise.expressions import F

from core import metrics
from core.contract import ChannelName, Reply
from core.delivery import DeliveryWorker, reply_from_json, wall_now
from core.pacing import CHANNEL_WAIT
from core.ratelimit import Limit, Rate
from core.sending import Outcome, SendResult
from storage.batch_claims import batch_keys, claim_batch, confirm_batch
from storage.models import MessengerAccount, OutboxMessage, OutboxStatus

log = logging.getLogger(__name__)

MAX_KEY = 48  # outbox.batch_key


def batch_key(scope: str, body: dict[str, Any]) -> str:
    """The key of rows that may leave together: same ``scope`` (a mailing) and same body."""
    digest = hashlib.sha256(
        json.dumps(body, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
    return f"{scope}:{digest}"[:MAX_KEY]


@dataclass(frozen=True, slots=True)
class BatchResult:
    """The verdict on one request: ``result`` for the request as a whole (SENT when it went
    through), ``failed`` for the receivers it did not reach (by user id)."""

    result: SendResult
    failed: dict[str, SendResult] = field(default_factory=dict)


class BatchSender(Protocol):
    """A channel's way to send one message to many receivers per request (lives in bots/)."""

    @property
    def channel(self) -> ChannelName: ...

    @property
    def max_receivers(self) -> int: ...

    @property
    def rate(self) -> Rate:
        """Requests the platform allows (one slot per request, shared by every process)."""
        ...

    def parts(self, reply: Reply) -> int:
        """How many requests ``reply`` needs (a long text or a picture may need more than one)."""
        ...

    async def send_part(self, receivers: Sequence[str], reply: Reply, index: int) -> BatchResult:
        """Send part ``index`` of ``reply`` to ``receivers``; classify, never raise."""
        ...


def rate_key(channel: str) -> str:
    return f"{channel}:batch"


class Batching:
    """The delivery worker's hook for grouped rows (one instance per worker)."""

    def __init__(self, senders: dict[ChannelName, BatchSender]) -> None:
        self.senders = senders
        self.groups: dict[int, list[int]] = {}  # lead row id -> every row of its group

    # ---- claiming ------------------------------------------------------------------------------

    async def gather(
        self, worker: DeliveryWorker, claimed: list[tuple[int, str]]
    ) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """Turn claimed rows with a batch key into groups; returns (work items, rows held).

        A group is worked on as one item (its lead row); every row of it is held by the worker
        (its lease extended by the heartbeat) under the token of the claim."""
        channels = list(self.senders)
        keyed = await batch_keys([row_id for row_id, _ in claimed], channels)
        if not keyed:
            return claimed, claimed
        tokens = dict(claimed)
        members: dict[tuple[str, str], list[int]] = {}
        for row_id, key in sorted(keyed):
            members.setdefault((key, tokens[row_id]), []).append(row_id)
        grouped = {row_id for row_id, _ in keyed}
        work = [(row_id, token) for row_id, token in claimed if row_id not in grouped]
        held = list(work)
        for (key, token), ids in members.items():
            size = self.size
            now = worker.clock.now()
            extra = await claim_batch(
                worker.worker_id,
                token,
                key,
                now=now,
                wall_now=wall_now(),
                lease_until=now + worker.lease,
                limit=size - len(ids),
            )
            every = ids + extra
            for start in range(0, len(every), size):
                group = every[start : start + size]
                self.groups[group[0]] = group
                work.append((group[0], token))
            held += [(row_id, token) for row_id in every]
        return work, held

    @property
    def size(self) -> int:
        return max(1, min((s.max_receivers for s in self.senders.values()), default=1))

    def take(self, row_id: int) -> list[int]:
        """The rows the work item ``row_id`` stands for (itself alone when not a group)."""
        return self.groups.pop(row_id, None) or [row_id]

    # ---- sending ---------------------------------------------------------------------------------

    async def deliver(self, worker: DeliveryWorker, ids: list[int], token: str) -> None:
        rows = await OutboxMessage.filter(
            id__in=ids, claim_token=token, status=OutboxStatus.SENDING
        ).order_by("id")
        if not rows:
            return
        channel = rows[0].channel
        sender = self.senders.get(channel)
        if sender is None:  # cannot happen: gather only groups channels with a batch sender
            for row in rows:
                await worker._deliver(row, token)
            return
        rows = await self._reachable(worker, rows, token)
        if not rows:
            return
        reply = reply_from_json(rows[0].body)
        parts = sender.parts(reply)
        for index in range(rows[0].parts_sent, parts):
            rows = await self._slot_then_confirm(worker, sender, rows, token, index)
            if not rows:
                return
            try:
                verdict = await sender.send_part([r.external_id for r in rows], reply, index)
            except Exception as exc:  # a sender bug must not kill the worker
                log.exception("batch sender %s crashed", channel)
                verdict = BatchResult(
                    SendResult(Outcome.RETRY, error=f"{type(exc).__name__}: {exc}")
                )
            rows = await self._record(worker, sender, rows, token, index, parts, verdict)
            if not rows:
                return

    async def _reachable(
        self, worker: DeliveryWorker, rows: list[OutboxMessage], token: str
    ) -> list[OutboxMessage]:
        """Close the rows of accounts that are gone; one row per receiver in a request."""
        account_ids = [r.account_id for r in rows if r.account_id is not None]
        gone = set(
            await MessengerAccount.filter(id__in=account_ids)
            .filter(blocked=True)
            .values_list("id", flat=True)
        ) | set(
            await MessengerAccount.filter(id__in=account_ids, subscribed=False).values_list(
                "id", flat=True
            )
        )
        kept: list[OutboxMessage] = []
        seen: set[str] = set()
        for row in rows:
            if row.account_id in gone:
                if await worker._close(
                    row, token, OutboxStatus.BLOCKED, "recipient blocked or unsubscribed"
                ):
                    await worker._blocked([row])
            elif row.external_id in seen:  # the same person twice: the second waits its turn
                await _release(row, token)
            else:
                seen.add(row.external_id)
                kept.append(row)
        return kept

    async def _slot_then_confirm(
        self,
        worker: DeliveryWorker,
        sender: BatchSender,
        rows: list[OutboxMessage],
        token: str,
        index: int,
    ) -> list[OutboxMessage]:
        """A slot of the channel's request rate, then — right before the request — the rows
        still held under ``token`` (a row whose claim was lost never goes out)."""
        channel = rows[0].channel
        reservation = await worker.limiter.reserve(
            [Limit(rate_key(channel), sender.rate)], max_wait=CHANNEL_WAIT
        )
        if not reservation.granted:
            until = wall_now() + timedelta(seconds=max(reservation.wait, 0.001))
            for row in rows:
                await _release(row, token, paced_until=until)
            return []
        if reservation.wait > 0:
            await asyncio.sleep(reservation.wait)
        held = set(
            await confirm_batch(
                [r.id for r in rows], token, worker.clock.now() + worker.lease, index
            )
        )
        lost = [r for r in rows if r.id not in held]
        if lost:
            log.warning(
                "outbox rows %s: claim lost (re-claimed or cancelled); not in the batch",
                [r.id for r in lost],
            )
            metrics.OUTBOX.labels(channel, "lost_claim").inc(len(lost))
        kept = [r for r in rows if r.id in held]
        for row in kept:
            row.parts_sent = index
        return kept

    async def _record(
        self,
        worker: DeliveryWorker,
        sender: BatchSender,
        rows: list[OutboxMessage],
        token: str,
        index: int,
        parts: int,
        verdict: BatchResult,
    ) -> list[OutboxMessage]:
        """Record what the request did; returns the rows that go on to the next part."""
        channel = rows[0].channel
        whole = verdict.result
        if whole.outcome is not Outcome.SENT:
            if whole.outcome is Outcome.THROTTLED:
                await worker.limiter.block(rate_key(channel), whole.retry_after or 1.0)
            for row in rows:
                await _record_one(worker, row, token, whole, index)
            return []
        ok: list[OutboxMessage] = []
        for row in rows:
            failure = verdict.failed.get(row.external_id)
            if failure is None:
                ok.append(row)
            else:
                await _record_one(worker, row, token, failure, index)
        if index < parts - 1:
            return ok
        now = worker.clock.now()
        done = await OutboxMessage.filter(
            id__in=[r.id for r in ok], claim_token=token, status=OutboxStatus.SENDING
        ).update(
            status=OutboxStatus.SENT,
            sent_at=now,
            platform_message_id=whole.message_id,
            error=None,
            lease_until=None,
            parts_sent=parts,
        )
        if ok:
            metrics.OUTBOX.labels(channel, Outcome.SENT.value).inc(len(ok))
            metrics.SENT.labels(channel, ok[0].lane).inc(done)
        return []


async def _record_one(
    worker: DeliveryWorker, row: OutboxMessage, token: str, result: SendResult, index: int
) -> None:
    account = (
        await MessengerAccount.get_or_none(id=row.account_id)
        if row.account_id is not None
        else None
    )
    row.parts_sent = index
    await worker._record(row, token, account, result)


async def _release(row: OutboxMessage, token: str, **values: Any) -> None:
    """Back to the queue, no attempt spent (the row was not tried)."""
    await OutboxMessage.filter(id=row.id, claim_token=token, status=OutboxStatus.SENDING).update(
        status=OutboxStatus.PENDING,
        claim_token=None,
        claimed_by=None,
        lease_until=None,
        attempts=F("attempts") - 1,
        **values,
    )
