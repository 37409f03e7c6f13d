"""One delivery path for every message that is not a direct reply.

:meth:`Outbox.enqueue` persists the message first (the outbox is also the message history), in
one of two lanes: ``direct`` (receipts, staff alerts, relay) always leaves ahead of ``bulk``
(reminders, mailings). :class:`DeliveryWorker` is the engine:

- claims are fenced (storage/claims.py): a row is claimed with a token and a lease, the lease
  is extended while the row is worked on, and every write of the holder — including the check
  made right before each part is sent — names the token, so a holder that lost its claim never
  sends and never records;
- several sends are in flight at once (``concurrency``); a row whose chat is not ready is put
  back with ``paced_until`` (that chat's next allowed time, wall clock) and the worker takes
  another, so one busy chat never holds up the others; the channel's global rate is shared by
  all processes through the limiter (Redis when configured);
- 429 waits ``retry_after`` (the chat's, or the channel's) without spending an attempt; blocked
  and deactivated accounts are marked and their pending rows cancelled; other failures back off
  through :mod:`core.backoff`;
- a message split into parts records how many went out, and a retry resumes from there;
- :meth:`DeliveryWorker.run` is the long-running loop of a process (woken early by
  :meth:`Outbox.enqueue`); :meth:`DeliveryWorker.stop` lets in-flight sends finish and releases
  whatever is still claimed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal, cast

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.functions import Count

from core import metrics, replacing
from core.backoff import DEFAULT as DEFAULT_BACKOFF
from core.backoff import BackoffConfig
from core.clock import Clock
from core.coalesce import Coalescer
from core.contract import Address, AnyButton, Button, Card, ChannelName, LinkButton, Media, Reply
from core.gate import Gate
from core.pacing import CHANNEL_WAIT, ChannelPace, in_flight
from core.ratelimit import Limit, Limiter, MemoryLimiter, Reservation
from core.sending import (
    EditSender,
    LostClaim,
    Outcome,
    PartSender,
    Scope,
    SendContext,
    Sender,
    SendResult,
)
from core.settle import Progress
from core.stillness import Stillness
from core.ticks import Ticks
from storage.claims import (
    claim_outbox_rows,
    confirm_outbox_many,
    extend_outbox_many,
    new_token,
    reap_outbox,
    record_sent_many,
    unreachable_accounts,
)
from storage.models import MessengerAccount, OutboxMessage, OutboxStatus
from storage.savepoint import savepoint

if TYPE_CHECKING:
    from core.batching import Batching

log = logging.getLogger(__name__)

Lane = Literal["direct", "bulk"]
OnBlocked = Callable[[OutboxMessage], Awaitable[object]]
LANES: tuple[Lane, ...] = ("direct", "bulk")  # in order of priority
BULK_KINDS = ("reminder", "mailing")  # kinds that go to the bulk lane when no lane is given
UNSENT = (OutboxStatus.PENDING, OutboxStatus.SENDING)
LONG_WAIT = 30.0  # seconds; a longer pause moves the row's due time instead of pacing it
# seconds a request may leave after its tick (core/ticks.py: at most a tick after its booked
# slot) before it takes a new slot; the platform tolerates about 0.1 s against its cap, shared
# by a tick's burst (core.ticks.GRID), this and a pause (core.stillness.THRESHOLD)
LATE = 0.03
# a send confirms its claim this long before its slot at most (the check's usual time, learnt:
# Lead); a process killed in between leaves that send marked as on its way (closed unsent).
# Idle, a check takes a few ms and so does the lead; a process sending 1000/s on a busy box
# waited 70-110 ms for its checks (measured): with at most 50 ms, two sends in three left late
# and took a second slot, the first wasted (paid, one process: 550/s; 0.1 s: 814/s)
LEAD_MAX = 0.1
LEAD_SAMPLES = 64
# seconds a busy coalesced round trip (claim check, sent record, slot) waits for company: at
# 1000 sends a second, flushes of one or two calls each spent the process's time in socket
# writes; an idle one leaves at once (core/coalesce.py)
LINGER = 0.004
CLAIM_STEP = 16  # at most this many free send slots before the worker claims again


def _button_json(b: AnyButton) -> dict[str, str]:
    if isinstance(b, LinkButton):
        return {"label": b.label, "url": b.url}
    return {"label": b.label, "payload": b.payload}


def _button_from_json(b: dict[str, str]) -> AnyButton:
    return LinkButton(b["label"], b["url"]) if "url" in b else Button(b["label"], b["payload"])


def reply_to_json(reply: Reply) -> dict[str, Any]:
    body: dict[str, Any] = {
        "text": reply.text,
        "buttons": [[_button_json(b) for b in row] for row in reply.buttons],
        "request_phone": reply.request_phone,
        "phone_label": reply.phone_label,
        "media": asdict(reply.media) if reply.media else None,
    }
    if reply.cards:
        body["cards"] = [
            {
                "text": c.text,
                "media": asdict(c.media) if c.media else None,
                "buttons": [_button_json(b) for b in c.buttons],
            }
            for c in reply.cards
        ]
    return body


def reply_from_json(body: dict[str, Any]) -> Reply:
    rows = tuple(tuple(_button_from_json(b) for b in row) for row in body.get("buttons") or [])
    media = Media(**body["media"]) if body.get("media") else None
    cards = tuple(
        Card(
            c["text"],
            Media(**c["media"]) if c.get("media") else None,
            tuple(_button_from_json(b) for b in c["buttons"]),
        )
        for c in body.get("cards") or []
    )
    return Reply(
        text=body.get("text", ""),
        buttons=rows,
        request_phone=bool(body.get("request_phone")),
        phone_label=body.get("phone_label"),
        media=media,
        cards=cards,
    )


class Lead:
    """How long a claim check usually takes, learnt from the last :data:`LEAD_SAMPLES` checks
    (their 90th percentile, at most :data:`LEAD_MAX`): a send confirms its claim that long
    before its slot, so that the request leaves at the slot rather than a round trip after it
    (which under load made one send in five late enough to need a new slot, its own wasted)."""

    def __init__(self) -> None:
        self.ahead = 0.0
        self._seen: list[float] = []

    def took(self, seconds: float) -> None:
        self._seen.append(seconds)
        if len(self._seen) >= LEAD_SAMPLES:
            ranked = sorted(self._seen)
            self.ahead = min(ranked[len(ranked) * 9 // 10], LEAD_MAX)
            self._seen.clear()


class _ChatBusy(Exception):
    def __init__(self, wait: float) -> None:
        super().__init__(f"chat busy for {wait:.2f}s")
        self.wait = wait


def lane_for(kind: str, lane: str | None) -> Lane:
    if lane is None:
        return "bulk" if kind.startswith(BULK_KINDS) else "direct"
    if lane not in LANES:
        raise ValueError(f"unknown lane {lane!r}: use 'direct' or 'bulk'")
    return lane


def wall_now() -> datetime:
    """Pacing is about the platform's physics: real time, never the (testable) services clock."""
    return datetime.now(UTC)


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
        lane: Lane | None = None,
        batch_key: str | None = None,
        replaces: str | None = None,
    ) -> OutboxMessage | None:
        """Persist one message for ``account``; returns None when ``dedupe_key`` was used before.

        ``lane``: ``"direct"`` (default: receipts, staff alerts, relay) or ``"bulk"`` (reminders,
        mailings; the default for kinds starting with "reminder" or "mailing").
        ``batch_key``: rows with the same key carry the same message and may leave in one
        request where the channel can (core/batching.py).
        ``replaces``: a stable key of ONE message this row updates in place where the channel
        can edit (a live progress message); older unsent rows of the key are dropped
        (core/replacing.py).
        """
        try:
            async with savepoint():  # the key may be taken; the caller's transaction lives on
                row = await OutboxMessage.create(
                    channel=account.channel,
                    external_id=account.external_id,
                    account_id=account.id,
                    client_id=account.client_id,
                    staff_id=account.staff_id,
                    kind=kind,
                    lane=lane_for(kind, lane),
                    body=reply_to_json(reply),
                    dedupe_key=dedupe_key,
                    not_before=not_before or self.clock.now(),
                    meta=meta or {},
                    batch_key=batch_key,
                    replace_key=replaces,
                )
        except IntegrityError:
            if dedupe_key is None:
                raise
            return None
        if replaces is not None:
            await replacing.supersede_older(row)
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
            client_id=account.client_id,
            staff_id=account.staff_id,
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


async def cancel_unsent(*, staff_id: int | None = None, account_ids: Iterable[int] = ()) -> int:
    """Cancel every message not yet sent to a staff member / these accounts: pending, waiting
    for a retry, and claimed by a worker right now (its holder's next check finds the claim
    gone, so no further part is sent)."""
    ids = list(account_ids)
    cancelled = 0
    if staff_id is not None:
        cancelled += await OutboxMessage.filter(
            staff_id=staff_id, direction="out", status__in=UNSENT
        ).update(status=OutboxStatus.CANCELLED, claim_token=None)
    if ids:
        cancelled += await OutboxMessage.filter(
            account_id__in=ids, direction="out", status__in=UNSENT
        ).update(status=OutboxStatus.CANCELLED, claim_token=None)
    return cancelled


class DeliveryWorker:
    """Claims due outbox rows and sends them; safe to run in many processes at once."""

    def __init__(
        self,
        clock: Clock,
        senders: dict[ChannelName, Sender],
        worker_id: str,
        *,
        max_attempts: int = 8,
        lease: timedelta = timedelta(seconds=60),
        batch: int = 50,
        concurrency: int | None = None,
        pacing: dict[ChannelName, ChannelPace] | None = None,
        limiter: Limiter | None = None,
        retry: BackoffConfig = DEFAULT_BACKOFF,
        poll_seconds: float = 1.0,
        wakeup: asyncio.Event | None = None,
        batching: Batching | None = None,
        on_blocked: OnBlocked | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.clock = clock
        self.senders = senders
        self.worker_id = worker_id
        self.max_attempts = max_attempts
        self.lease = lease
        self.batch = batch
        self.pacing = pacing or {}
        # None: derived from the channels' rates (core.pacing.in_flight)
        self.concurrency = max(1, concurrency or in_flight(self.pacing.values()))
        self.limiter: Limiter = limiter or MemoryLimiter()
        self.retry = retry
        self.poll_seconds = poll_seconds
        self.wakeup = wakeup or asyncio.Event()
        self.batching = batching  # rows with a batch key leave in groups (core/batching.py)
        # called with each client row closed as blocked (the delivery fallback, core/fallback.py)
        self.on_blocked = on_blocked
        # ticked after each row worked on (core/settle.py: the scripted demo waits on it)
        self.progress = progress
        self._held: dict[int, str] = {}  # row id -> claim token, while this worker holds it
        # rows as their claim returned them, and whether their account may be written to
        # (read in one statement after the claim), by row id
        self._rows: dict[int, OutboxMessage] = {}
        self._reachable: dict[int, bool] = {}
        # a mailing's rows carry one body (their batch key says so): decoded once
        self._replies: dict[str, Reply] = {}
        # which sender protocols a sender implements (a runtime Protocol check costs ~0.2 ms)
        self._kinds: dict[type[Any], tuple[bool, bool]] = {}
        # claim when this many slots are free: several rows a statement, but never so many
        # that a receipt due now waits for a hundred sends to finish first (paid broadcast)
        self._claim_step = max(1, min(self.concurrency // 4, CLAIM_STEP))
        self._bulk_gates: dict[ChannelName, Gate] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        # set when a send finishes: waiting for a free slot is one Event, not a wait() that
        # hooks a callback onto every task in flight (hundreds at paid broadcast rates)
        self._finished = asyncio.Event()
        self._stopping = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._last_reap = 0.0
        self._last_depth = 0.0
        # metric children by their labels (core/metrics.py), looked up once
        self._outcome_children: dict[tuple[str, str], Any] = {}
        self._sent_children: dict[tuple[str, str], tuple[Any, Any]] = {}
        # how long before its slot a send confirms its claim (the confirmation's usual time)
        self._lead = Lead()
        # pauses of this process (core/stillness.py): a send whose slot falls in the hold that
        # follows one takes a new slot, and the channels' shared limits are pushed back
        self._still = Stillness(self._paused)
        # sends wait for their slots on a shared grid of ticks: those of one tick leave in one
        # loop turn (core/ticks.py)
        self._ticks = Ticks()
        # the per-message round trips of concurrent sends, each coalesced into one statement
        # (or one Redis script) per flush: the claim check before a part, the sent record after
        # it, the slot of the pace (core/coalesce.py)
        self._confirms: Coalescer[tuple[int, str, int], bool] = Coalescer(
            self._confirm_many, linger=LINGER
        )
        self._sents: Coalescer[tuple[int, str, datetime, str | None, int], bool] = Coalescer(
            self._record_sent_many, linger=LINGER
        )
        self._slots: Coalescer[tuple[list[Limit], float | None], Reservation] = Coalescer(
            self._reserve_many, linger=LINGER
        )

    async def _confirm_many(self, items: list[tuple[int, str, int]]) -> list[bool]:
        held = await confirm_outbox_many(items, self._lease_until())
        return [row_id in held for row_id, _, _ in items]

    async def _record_sent_many(
        self, items: list[tuple[int, str, datetime, str | None, int]]
    ) -> list[bool]:
        done = await record_sent_many(items)
        return [item[0] in done for item in items]

    async def _reserve_many(
        self, requests: list[tuple[list[Limit], float | None]]
    ) -> list[Reservation]:
        return await self.limiter.reserve_many(requests)

    # ---- claiming --------------------------------------------------------------------------

    def _lease_until(self) -> datetime:
        return self.clock.now() + self.lease

    async def _claim(self, limit: int) -> list[tuple[int, str]]:
        """Up to ``limit`` due rows, the direct lane first; each with its claim token."""
        if time.monotonic() - self._last_reap > min(self.lease.total_seconds() / 4, 5.0):
            self._last_reap = time.monotonic()
            await reap_outbox(self.clock.now(), in_flight_grace=self.lease)
        claimed: list[tuple[int, str]] = []
        channels = list(self.senders)
        rows: list[OutboxMessage] = []
        for lane in LANES:
            left = limit - len(claimed)
            if left <= 0:
                break
            token = new_token()
            found = await claim_outbox_rows(
                self.worker_id,
                token,
                lane=lane,
                now=self.clock.now(),
                wall_now=wall_now(),
                lease_until=self._lease_until(),
                limit=left,
                channels=channels,
            )
            rows += [OutboxMessage._init_from_db(**r) for r in found]
            claimed += [(int(r["id"]), token) for r in found]
        held = claimed
        await self._prefetch(rows)
        if self.batching is not None and any(
            r.batch_key and r.parts_sent == 0 and r.channel in self.batching.senders for r in rows
        ):
            claimed, held = await self.batching.gather(self, claimed)
        for row_id, token in held:
            self._held[row_id] = token
        return claimed

    async def _prefetch(self, rows: list[OutboxMessage]) -> None:
        """Keep the claimed rows, and read whether their accounts are reachable in one
        statement (not one per row; an account object is read only when it must be written)."""
        if not rows:
            return
        gone = await unreachable_accounts(
            sorted({r.account_id for r in rows if r.account_id is not None})
        )
        for row in rows:
            self._rows[row.id] = row
            self._reachable[row.id] = row.account_id not in gone

    async def _heartbeat(self) -> None:
        """Extend the lease of every held row while it is worked on."""
        period = max(self.lease.total_seconds() / 3, 0.05)
        while True:
            await asyncio.sleep(period)
            try:
                await extend_outbox_many(list(self._held.items()), self._lease_until())
            except Exception:
                log.exception("extending outbox leases failed")

    # ---- the three ways to run -------------------------------------------------------------

    async def run_once(self) -> int:
        """Claim one batch of due rows and deliver them (``concurrency`` at a time); returns how
        many rows were claimed."""
        claimed = await self._claim(self.batch)
        if not claimed:
            return 0
        gate = Gate(self.concurrency)

        async def one(row_id: int, token: str) -> None:
            async with gate:
                await self._work(row_id, token)

        beat = asyncio.create_task(self._heartbeat())
        try:
            await asyncio.gather(*(one(i, t) for i, t in claimed))
        finally:
            beat.cancel()
        return len(claimed)

    async def drain(self, rounds: int = 100, *, max_pace_wait: float = 10.0) -> int:
        """Run until nothing is due (tests, one-shot CLI); waits out short pacing pauses."""
        total = 0
        for _ in range(rounds):
            claimed = await self.run_once()
            total += claimed
            if claimed:
                continue
            wait = await self._next_paced_in()
            if wait is None or wait > max_pace_wait:
                break
            await asyncio.sleep(wait + 0.01)
        return total

    async def _next_paced_in(self) -> float | None:
        row = (
            await OutboxMessage.filter(
                status=OutboxStatus.PENDING,
                not_before__lte=self.clock.now(),
                paced_until__isnull=False,
                channel__in=list(self.senders),
            )
            .order_by("paced_until")
            .first()
        )
        if row is None or row.paced_until is None:
            return None
        return max((row.paced_until - wall_now()).total_seconds(), 0.0)

    def start(self) -> None:
        """Start the long-running loop of this process (pair with :meth:`stop`)."""
        if self._loop_task is None:
            self._stopping.clear()
            self._loop_task = asyncio.create_task(self.run(), name=f"delivery:{self.worker_id}")

    async def run(self) -> None:
        """Keep up to ``concurrency`` sends in flight; sleep only when nothing is due."""
        beat = asyncio.create_task(self._heartbeat())
        still = asyncio.create_task(self._still.run()) if self.pacing else None
        try:
            while not self._stopping.is_set():
                self._finished.clear()
                free = self.concurrency - len(self._tasks)
                claimed: list[tuple[int, str]] = []
                if free >= self._claim_step or (free > 0 and not self._tasks):
                    try:
                        claimed = await self._claim(free)
                    except Exception:
                        log.exception("claiming outbox rows failed")
                elif free > 0:  # claim several at once: wait for a few more free slots
                    await self._wait_for_slot()
                    continue
                for row_id, token in claimed:
                    task = asyncio.create_task(self._work(row_id, token))
                    self._tasks.add(task)
                    task.add_done_callback(self._done)
                if claimed and len(claimed) == free:
                    await self._wait_for_slot()
                elif not claimed:
                    await self._idle()
                metrics.OUTBOX_INFLIGHT.set(len(self._tasks))
                if time.monotonic() - self._last_depth > 5.0:
                    self._last_depth = time.monotonic()
                    await self._measure_depth()
        finally:
            beat.cancel()
            if still is not None:
                still.cancel()

    async def _paused(self, seconds: float) -> None:
        """This process stood still for ``seconds``: what it let go meanwhile left as a burst,
        so every process leaves as long a gap on the channels' shared limits."""
        metrics.OUTBOX_PAUSES.inc()
        for pace in self.pacing.values():
            for key in pace.shared_keys:
                await self.limiter.block(key, seconds)

    async def _measure_depth(self) -> None:
        try:
            rows = (
                await OutboxMessage.filter(status=OutboxStatus.PENDING)
                .annotate(n=Count("id"))
                .group_by("lane", "channel")
                .values_list("lane", "channel", "n")
            )
        except Exception:
            log.exception("measuring the outbox queue failed")
            return
        for lane, channel, n in rows:
            metrics.QUEUE_DEPTH.labels(lane, channel).set(n)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        self._finished.set()

    async def _wait_for_slot(self) -> None:
        """Until a send in flight finishes (or one did since the loop's turn began)."""
        if self._tasks:
            await self._finished.wait()

    async def _idle(self) -> None:
        """Nothing claimable: wait for a finished send, an enqueue, or the next poll."""
        waiters: set[asyncio.Future[Any]] = {
            asyncio.ensure_future(self.wakeup.wait()),
            asyncio.ensure_future(self._stopping.wait()),
        }
        if self._tasks:
            waiters |= {asyncio.ensure_future(asyncio.wait(set(self._tasks)))}
        timeout = self.poll_seconds
        paced = await self._next_paced_in()
        if paced is not None:
            timeout = min(timeout, paced + 0.005)
        try:
            await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for w in waiters:
                w.cancel()
        self.wakeup.clear()

    async def stop(self, grace: float = 30.0) -> None:
        """Graceful: claim nothing more, let in-flight sends finish, release what is left."""
        self._stopping.set()
        self.wakeup.set()
        if self._loop_task is not None:
            await asyncio.wait({self._loop_task}, timeout=grace)
            self._loop_task = None
        if self._tasks:
            _, late = await asyncio.wait(set(self._tasks), timeout=grace)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late)
        await self.release_all()

    async def release_all(self) -> int:
        """Hand every row still held back to the queue (no attempt spent)."""
        released = 0
        for row_id, token in list(self._held.items()):
            released += await self._fenced(
                row_id,
                token,
                status=OutboxStatus.PENDING,
                claim_token=None,
                claimed_by=None,
                lease_until=None,
                refund=True,
            )
            self._held.pop(row_id, None)
        self._rows.clear()
        self._reachable.clear()
        return released

    # ---- one row ---------------------------------------------------------------------------

    async def _work(self, row_id: int, token: str) -> None:
        group = self.batching.take(row_id) if self.batching is not None else [row_id]
        try:
            if self.batching is not None and len(group) > 1:
                await self.batching.deliver(self, group, token)
                return
            row = self._rows.pop(row_id, None)
            if row is None:
                row = await OutboxMessage.get_or_none(id=row_id, claim_token=token)
            if row is not None and row.claim_token == token and row.status == OutboxStatus.SENDING:
                await self._deliver(row, token)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("delivering outbox row %s failed", row_id)
        finally:
            for held in group:
                self._held.pop(held, None)
                self._rows.pop(held, None)
                self._reachable.pop(held, None)
            if self.progress is not None:
                self.progress.tick()

    async def _fenced(self, row_id: int, token: str, *, refund: bool = False, **values: Any) -> int:
        """Write ``values`` only while ``token`` still holds the row (one statement)."""
        query = OutboxMessage.filter(id=row_id, claim_token=token, status=OutboxStatus.SENDING)
        values["sending_part"] = None  # an outcome is known (or nothing left): not in flight
        if refund:
            values["attempts"] = F("attempts") - 1
        return int(await query.update(**values))

    async def _deliver(self, row: OutboxMessage, token: str) -> None:
        account: MessengerAccount | None = None
        reachable = self._reachable.pop(row.id, None)
        if reachable is None and row.account_id is not None:
            account = await MessengerAccount.get_or_none(id=row.account_id)
            reachable = account is None or account.reachable
        if reachable is False:
            if await self._close(
                row, token, OutboxStatus.BLOCKED, "recipient blocked or unsubscribed"
            ):
                await self._blocked([row])
            return
        sender = self.senders.get(row.channel)
        if sender is None:
            await self._retry(row, token, SendResult(Outcome.RETRY, error="channel not running"))
            return
        edit_of: str | None = None
        if row.replace_key is not None:
            step = await replacing.plan(row)
            if step.superseded:
                await self._close(row, token, OutboxStatus.CANCELLED, replacing.SUPERSEDED)
                return
            if step.wait:
                await self._pace(row, token, step.wait)
                return
            edit_of = step.edit_of if self._kind(sender)[1] else None
        pace = self.pacing.get(row.channel)
        address = Address(row.channel, row.external_id)
        reply = self._reply(row)
        before = self._before_part(row, token, pace)
        result = await self._send(row, token, sender, address, reply, before, edit_of)
        if result is not None:
            await self._record(row, token, account, result)

    def _reply(self, row: OutboxMessage) -> Reply:
        """The row's message; decoded once for all the rows of one batch key (a mailing)."""
        key = row.batch_key
        if key is None:
            return reply_from_json(row.body)
        reply = self._replies.get(key)
        if reply is None:
            if len(self._replies) >= 64:
                self._replies.clear()
            reply = self._replies[key] = reply_from_json(row.body)
        return reply

    def _kind(self, sender: Sender) -> tuple[bool, bool]:
        """(sends parts, edits) for ``sender``, checked once per sender class."""
        kind = self._kinds.get(type(sender))
        if kind is None:
            kind = (isinstance(sender, PartSender), isinstance(sender, EditSender))
            self._kinds[type(sender)] = kind
        return kind

    def _gate(self, row: OutboxMessage, pace: ChannelPace) -> Any:
        """Bulk sends of a channel in this process that may hold a booked slot of its rate at
        once, from the booking to the slot's time (see :data:`core.pacing.BULK_AHEAD`); direct
        messages pass. Held only while the slot is ahead: a request on its way no longer
        delays anyone, and holding the gate through the platform's answer would cap the rate
        at gate / latency (8 sends at 30/s: below the cap as soon as an answer takes 0.27 s)."""
        if row.lane != "bulk":
            return contextlib.nullcontext()
        gate = self._bulk_gates.get(row.channel)
        if gate is None:
            gate = self._bulk_gates[row.channel] = Gate(pace.bulk_in_flight())
        return gate

    async def _slot(
        self, row: OutboxMessage, limits: list[Limit], max_wait: float | None, lead: float = 0.0
    ) -> float:
        """Book a slot under ``limits`` and wait until ``lead`` seconds before it; returns its
        time (``time.monotonic``). Raises :class:`_ChatBusy` when refused."""
        async with self._gate(row, self.pacing[row.channel]):
            reservation = await self._slots((limits, max_wait))
            if not reservation.granted:
                raise _ChatBusy(reservation.wait)
            at = time.monotonic() + reservation.wait
            if reservation.wait > lead:  # the check starts by its lead, not a tick later
                await self._ticks.by(at - lead)
        return at

    async def _send(
        self,
        row: OutboxMessage,
        token: str,
        sender: Sender,
        address: Address,
        reply: Reply,
        before: Any,
        edit_of: str | None,
    ) -> SendResult | None:
        """One attempt through the channel's sender; None when there is nothing to record."""
        parts, edits = self._kind(sender)
        try:
            if edit_of is not None and edits:
                result = await cast(EditSender, sender).edit(
                    address,
                    edit_of,
                    reply,
                    SendContext(row.lane, row.parts_sent, before, row.kind, row.account_id),
                )
            elif parts:
                result = await cast(PartSender, sender).send_parts(
                    address,
                    reply,
                    SendContext(row.lane, row.parts_sent, before, row.kind, row.account_id),
                )
            else:
                await before(row.parts_sent)
                result = await sender.send(address, reply)
        except _ChatBusy as busy:
            await self._pace(row, token, busy.wait)
            return None
        except LostClaim:
            log.warning("outbox row %s: claim lost (re-claimed or cancelled); not sending", row.id)
            metrics.OUTBOX.labels(row.channel, "lost_claim").inc()
            return None
        except Exception as exc:  # a sender bug must not kill the worker
            log.exception("sender %s crashed on outbox row %s", row.channel, row.id)
            return SendResult(Outcome.RETRY, error=f"{type(exc).__name__}: {exc}")
        return result

    def _before_part(self, row: OutboxMessage, token: str, pace: ChannelPace | None) -> Any:
        """Right before part ``index`` goes out: take a slot of the chat's pace and the
        channel's rate and wait for it, then confirm the claim (extending the lease and marking
        the part as on its way) — the request leaves at its slot. The first part needs its chat
        ready now (else :class:`_ChatBusy`: the row waits, the worker takes another); a message
        under way waits for its chat. The mark comes last so that a process killed while it
        waits for a slot leaves nothing marked: only requests on their way are — the check is
        made a usual check's time (:class:`Lead`, at most :data:`LEAD_MAX`) before the slot,
        so that the request leaves at its slot and not a round trip after it.

        A request that leaves late (the confirmation was slow, the process was busy) would
        arrive right before the ones booked after it, a burst the platform counts against its
        cap (Telegram, and the bench's fake, tolerate 0.1 s): later than :data:`LATE` after its
        slot it books a new slot of the channel's rate (not of its chat's: that one it has) and
        leaves at that one instead; so does a request whose slot falls in the hold after this
        process stood still (:class:`~core.stillness.Stillness`)."""

        async def before(index: int) -> None:
            if pace is None:
                await self._check(row, token, index)
                return
            first = index == row.parts_sent
            limits = pace.limits(row.external_id, row.lane, chat_ready_now=first)
            at = await self._slot(row, limits, CHANNEL_WAIT if first else None, self._lead.ahead)
            asked = time.monotonic()
            await self._check(row, token, index)
            now = time.monotonic()
            self._lead.took(now - asked)
            leave = self._ticks.tick_of(at)
            if leave > now:  # confirmed ahead of the tick: leave at it
                await self._ticks.until(at)
                now = time.monotonic()
            if now - leave > LATE or self._still.holds(at):
                self._counted(row.channel, "late_slot").inc()
                await self._slot(
                    row, [lim for lim in limits if lim.key != pace.chat_key(row.external_id)], None
                )

        return before

    async def _check(self, row: OutboxMessage, token: str, parts_sent: int) -> None:
        """Right before a part goes out: still ours? Extend the lease, note the parts sent and
        that part ``parts_sent`` is on its way."""
        if not await self._confirms((row.id, token, parts_sent)):
            raise LostClaim(row.id)
        row.parts_sent = parts_sent

    async def _pace(self, row: OutboxMessage, token: str, wait: float) -> None:
        """The chat is not ready: put the row (and its chat's other due rows) back until it is;
        no attempt spent."""
        until = wall_now() + timedelta(seconds=max(wait, 0.001))
        await self._fenced(
            row.id,
            token,
            refund=True,
            status=OutboxStatus.PENDING,
            paced_until=until,
            claim_token=None,
            claimed_by=None,
            lease_until=None,
        )
        await (
            OutboxMessage.filter(
                channel=row.channel,
                external_id=row.external_id,
                status=OutboxStatus.PENDING,
                lane=row.lane,
            )
            .filter(paced_until__isnull=True)
            .update(paced_until=until)
        )
        await OutboxMessage.filter(
            channel=row.channel,
            external_id=row.external_id,
            status=OutboxStatus.PENDING,
            lane=row.lane,
            paced_until__lt=until,
        ).update(paced_until=until)
        metrics.OUTBOX.labels(row.channel, "paced").inc()

    async def _record(
        self,
        row: OutboxMessage,
        token: str,
        account: MessengerAccount | None,
        result: SendResult,
    ) -> None:
        self._counted(row.channel, result.outcome.value).inc()
        if result.parts_sent is not None:
            row.parts_sent = result.parts_sent
        if result.outcome is Outcome.SENT:
            now = self.clock.now()
            if await self._sents((row.id, token, now, result.message_id, row.parts_sent)):
                sent, lag = self._sent_metrics(row.channel, row.lane)
                sent.inc()
                lag.observe(max((now - row.not_before).total_seconds(), 0.0))
        elif result.outcome is Outcome.RETRY:
            await self._retry(row, token, result)
        elif result.outcome in (Outcome.THROTTLED, Outcome.DEFER):
            await self._throttled(row, token, result)
        elif result.outcome in (Outcome.BLOCKED, Outcome.UNSUBSCRIBED):
            if account is None and row.account_id is not None:  # read only when written
                account = await MessengerAccount.get_or_none(id=row.account_id)
            if account is not None:
                if result.outcome is Outcome.BLOCKED:
                    account.blocked = True
                else:
                    account.subscribed = False
                await account.save(update_fields=["blocked", "subscribed"])
                pending = OutboxMessage.filter(
                    account_id=account.id, direction="out", status=OutboxStatus.PENDING
                )
                waiting = await pending.all() if self.on_blocked is not None else []
                await pending.update(status=OutboxStatus.BLOCKED, error=result.error or "blocked")
                closed = await OutboxMessage.filter(
                    id__in=[w.id for w in waiting], status=OutboxStatus.BLOCKED
                )
            else:
                closed = []
            if await self._close(row, token, OutboxStatus.BLOCKED, result.error or "blocked"):
                closed.insert(0, row)
            await self._blocked(closed)
        else:
            await self._close(row, token, OutboxStatus.FAILED, result.error or "failed")

    def _counted(self, channel: str, outcome: str) -> Any:
        """The outcome counter of ``channel`` (prometheus' ``labels()`` looks the child up
        under a lock and checks its labels every call: once per message at paid rates)."""
        child = self._outcome_children.get((channel, outcome))
        if child is None:
            child = self._outcome_children[(channel, outcome)] = metrics.OUTBOX.labels(
                channel, outcome
            )
        return child

    def _sent_metrics(self, channel: str, lane: str) -> tuple[Any, Any]:
        pair = self._sent_children.get((channel, lane))
        if pair is None:
            pair = (metrics.SENT.labels(channel, lane), metrics.LAG.labels(channel, lane))
            self._sent_children[(channel, lane)] = pair
        return pair

    async def _retry(self, row: OutboxMessage, token: str, result: SendResult) -> None:
        if row.attempts >= self.max_attempts:
            await self._close(row, token, OutboxStatus.FAILED, f"gave up: {result.error}")
            return
        delay = (
            result.retry_after if result.retry_after is not None else self.retry.delay(row.attempts)
        )
        await self._fenced(
            row.id,
            token,
            status=OutboxStatus.PENDING,
            not_before=self.clock.now() + timedelta(seconds=delay),
            error=result.error,
            lease_until=None,
            claim_token=None,
            parts_sent=row.parts_sent,
        )

    async def _throttled(self, row: OutboxMessage, token: str, result: SendResult) -> None:
        """The platform (429) or our own cap said "later": wait, without spending an attempt.
        For the whole channel when the platform says so; else only this chat waits."""
        wait = result.retry_after if result.retry_after is not None else 1.0
        if result.outcome is Outcome.THROTTLED:
            metrics.THROTTLED.labels(row.channel, result.scope.value).inc()
            pace = self.pacing.get(row.channel)
            if pace is not None and (wait <= LONG_WAIT or result.scope is Scope.CHANNEL):
                key = (
                    pace.global_key
                    if result.scope is Scope.CHANNEL
                    else pace.chat_key(row.external_id)
                )
                await self.limiter.block(key, wait)
        if result.outcome is Outcome.DEFER or wait > LONG_WAIT:
            # the sender's own cap (Viber's hourly window) or a long pause: due later
            await self._fenced(
                row.id,
                token,
                refund=True,
                status=OutboxStatus.PENDING,
                not_before=self.clock.now() + timedelta(seconds=wait),
                error=result.error,
                lease_until=None,
                claim_token=None,
                parts_sent=row.parts_sent,
            )
            return
        await self._fenced(
            row.id,
            token,
            refund=True,
            status=OutboxStatus.PENDING,
            paced_until=wall_now() + timedelta(seconds=wait),
            error=result.error,
            lease_until=None,
            claim_token=None,
            parts_sent=row.parts_sent,
        )

    async def _close(self, row: OutboxMessage, token: str, status: OutboxStatus, error: str) -> int:
        return await self._fenced(
            row.id, token, status=status, error=error, lease_until=None, parts_sent=row.parts_sent
        )

    async def _blocked(self, rows: list[OutboxMessage]) -> None:
        """Hand rows to a client that were closed as blocked to the fallback (if any)."""
        if self.on_blocked is None:
            return
        for row in rows:
            if row.client_id is None:
                continue
            try:
                await self.on_blocked(row)
            except Exception:
                log.exception("delivery fallback of outbox row %s failed", row.id)
