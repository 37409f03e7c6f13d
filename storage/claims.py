"""Fenced claims: several processes never hold the same row, and a holder that lost its claim
can no longer write (or send).

A claim stamps the rows with a fresh ``claim_token`` and a lease. Every later write of the
holder (extend the lease, record an outcome) is ``UPDATE … WHERE id = ? AND claim_token = ?``:
once the lease ran out and another process re-claimed the row, the old holder's statements
change nothing, and the caller learns so from the row count.

PostgreSQL: ``FOR UPDATE SKIP LOCKED`` inside an ``UPDATE … RETURNING``, so a row is either
claimed by exactly one worker or skipped. SQLite has a single writer, so the same ``UPDATE``
without the locking clause is already atomic. Expired leases are released by a separate
statement (:func:`reap_outbox`, :func:`reap_jobs`) so that the claim itself is one index range.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise import connections


def new_token() -> str:
    return uuid.uuid4().hex


def _iso(value: datetime) -> str:
    # tortoise stores aware datetimes in SQLite as ISO text with offset, so compare likewise
    # exactly as tortoise writes them (microseconds only when there are any), so a value this
    # module writes compares equal to the same moment written by the ORM
    return value.astimezone(UTC).isoformat(sep=" ")


class _Sql:
    """Numbered ($1) placeholders on PostgreSQL, ? on SQLite, values bound in order."""

    def __init__(self) -> None:
        self.conn = connections.get("default")
        self.pg = self.conn.capabilities.dialect == "postgres"
        self.values: list[Any] = []

    def p(self, value: Any) -> str:
        if isinstance(value, datetime) and not self.pg:
            value = _iso(value)
        self.values.append(value)
        return f"${len(self.values)}" if self.pg else "?"

    def many(self, values: Sequence[Any]) -> str:
        if self.pg:
            self.values.append(list(values))
            return f"= ANY(${len(self.values)})"
        return "IN (" + ", ".join(self.p(v) for v in values) + ")"

    @property
    def lock(self) -> str:
        return "FOR UPDATE SKIP LOCKED" if self.pg else ""

    def picked(self, pick: str) -> str:
        """``id`` is one of the rows ``pick`` (a SELECT of ids) chooses, free ones locked.

        On PostgreSQL the choice is one array, made once: as ``id IN (pick)`` the planner,
        with statistics taken while the table was small (a mailing had just queued 20,000
        rows), ran the pick once per row of the table, 0.5-5 s a claim (auto_explain)."""
        if self.pg:
            return f"id = ANY(ARRAY({pick} {self.lock}))"
        return f"id IN ({pick})"

    async def rows(self, sql: str) -> list[dict[str, Any]]:
        # execute_query_dict always fetches (execute_query drops RETURNING rows of an UPDATE)
        return list(await self.conn.execute_query_dict(sql, self.values))

    async def run(self, sql: str) -> int:
        count, _ = await self.conn.execute_query(sql, self.values)
        return int(count or 0)


async def claim_outbox(
    worker: str,
    token: str,
    *,
    lane: str,
    now: datetime,
    wall_now: datetime,
    lease_until: datetime,
    limit: int,
    channels: Sequence[str] | None = None,
) -> list[int]:
    """Claim up to ``limit`` due rows of ``lane`` (oldest first) whose chat is not paced."""
    rows = await claim_outbox_rows(
        worker,
        token,
        lane=lane,
        now=now,
        wall_now=wall_now,
        lease_until=lease_until,
        limit=limit,
        channels=channels,
        returning="id",
    )
    return [int(r["id"]) for r in rows]


async def claim_outbox_rows(
    worker: str,
    token: str,
    *,
    lane: str,
    now: datetime,
    wall_now: datetime,
    lease_until: datetime,
    limit: int,
    channels: Sequence[str] | None = None,
    returning: str = "*",
) -> list[dict[str, Any]]:
    """:func:`claim_outbox` that returns the claimed rows' columns (``returning``), by id: the
    delivery engine reads what it sends in the claim itself, not in a second statement."""
    if limit <= 0 or (channels is not None and not channels):
        return []
    q = _Sql()
    head = (
        f"UPDATE outbox SET status = 'sending', claimed_by = {q.p(worker)}, "
        f"claim_token = {q.p(token)}, lease_until = {q.p(lease_until)}, attempts = attempts + 1 "
    )
    where = (
        f"status = 'pending' AND lane = {q.p(lane)} AND not_before <= {q.p(now)} "
        f"AND (paced_until IS NULL OR paced_until <= {q.p(wall_now)})"
    )
    if channels is not None:
        where += f" AND channel {q.many(channels)}"
    pick = f"SELECT id FROM outbox WHERE {where} ORDER BY not_before, id LIMIT {q.p(limit)}"
    sql = f"{head} WHERE {q.picked(pick)} RETURNING {returning}"
    return sorted(await q.rows(sql), key=lambda r: int(r["id"]))


IN_FLIGHT_LOST = "in flight when its sender stopped: not sent again (it may have arrived)"


async def reap_outbox(now: datetime, in_flight_grace: timedelta = timedelta(0)) -> int:
    """Release rows whose holder's lease ran out (it died or stalled); its token dies with it.

    A row whose request was on its way (``sending_part`` set) may have reached the user: a bulk
    row (a mailing, a reminder) is closed as failed rather than sent twice; a direct one (a
    receipt, a staff alert) goes out again from that part — a repeat beats a loss there.

    Closing a bulk row in flight is final, and nothing waits for it (it is never sent again),
    so it is closed only ``in_flight_grace`` after its lease ran out: a holder that is slow
    (a loaded machine, a slow answer) but alive records the answer it got instead of seeing
    a message that did arrive closed as lost."""
    q = _Sql()
    uncertain = "sending_part IS NOT NULL AND lane = 'bulk'"
    sql = (
        f"UPDATE outbox SET status = CASE WHEN {uncertain} THEN 'failed' ELSE 'pending' END, "
        f"error = CASE WHEN {uncertain} THEN {q.p(IN_FLIGHT_LOST)} ELSE error END, "
        "claim_token = NULL, claimed_by = NULL, lease_until = NULL, sending_part = NULL "
        f"WHERE status = 'sending' AND lease_until < {q.p(now)} "
        f"AND NOT ({uncertain} AND lease_until >= {q.p(now - in_flight_grace)})"
    )
    return await q.run(sql)


async def extend_outbox_many(held: Sequence[tuple[int, str]], lease_until: datetime) -> int:
    """:func:`extend_outbox` for rows held under several tokens (row id, token) at once: one
    statement on PostgreSQL, so that a heartbeat is one round trip however many claims it
    covers (a late heartbeat loses leases)."""
    if not held:
        return 0
    q = _Sql()
    if not q.pg:
        by_token: dict[str, list[int]] = {}
        for row_id, token in held:
            by_token.setdefault(token, []).append(row_id)
        return sum([await extend_outbox(ids, t, lease_until) for t, ids in by_token.items()])
    # A row another statement holds right now (its claim check or sent record, which set or
    # end the lease themselves) is skipped, not waited for: waiting, the heartbeat's hundreds
    # of row locks and a batch's few deadlocked (PostgreSQL's 1 s detection, then an error)
    held = sorted(held)
    sql = (
        f"UPDATE outbox AS o SET lease_until = {q.p(lease_until)} FROM (SELECT x.id "
        f"FROM outbox AS x JOIN unnest({q.p([i for i, _ in held])}::int[], "
        f"{q.p([t for _, t in held])}::text[]) AS v(id, token) "
        "ON x.id = v.id AND x.claim_token = v.token WHERE x.status = 'sending' "
        "ORDER BY x.id FOR UPDATE OF x SKIP LOCKED) AS h WHERE o.id = h.id"
    )
    return await q.run(sql)


async def extend_outbox(ids: Sequence[int], token: str, lease_until: datetime) -> int:
    """Push the lease of rows still held under ``token``; returns how many still are."""
    if not ids:
        return 0
    q = _Sql()
    sql = (
        f"UPDATE outbox SET lease_until = {q.p(lease_until)} WHERE status = 'sending' "
        f"AND claim_token = {q.p(token)} AND id {q.many(ids)}"
    )
    return await q.run(sql)


async def claim_jobs(
    worker: str, token: str, now: datetime, lease_until: datetime, limit: int
) -> list[int]:
    q = _Sql()
    head = (
        f"UPDATE jobs SET status = 'running', claimed_by = {q.p(worker)}, "
        f"claim_token = {q.p(token)}, lease_until = {q.p(lease_until)}, attempts = attempts + 1"
    )
    pick = (
        f"SELECT id FROM jobs WHERE status = 'pending' AND run_at <= {q.p(now)} "
        f"ORDER BY run_at, id LIMIT {q.p(limit)}"
    )
    sql = f"{head} WHERE {q.picked(pick)} RETURNING id"
    return sorted(int(r["id"]) for r in await q.rows(sql))


async def reap_jobs(now: datetime) -> int:
    q = _Sql()
    sql = (
        "UPDATE jobs SET status = 'pending', claim_token = NULL, claimed_by = NULL, "
        f"lease_until = NULL WHERE status = 'running' AND lease_until < {q.p(now)}"
    )
    return await q.run(sql)


async def extend_jobs(token: str, lease_until: datetime) -> int:
    q = _Sql()
    sql = (
        f"UPDATE jobs SET lease_until = {q.p(lease_until)} "
        f"WHERE status = 'running' AND claim_token = {q.p(token)}"
    )
    return await q.run(sql)


async def finish_jobs(job_ids: Sequence[int], token: str, now: datetime) -> int:
    """Mark jobs done — only those still held under ``token`` (per 500 in one statement)."""
    done = 0
    for start in range(0, len(job_ids), 500):
        q = _Sql()
        chunk = job_ids[start : start + 500]
        sql = (
            f"UPDATE jobs SET status = 'done', finished_at = {q.p(now)}, lease_until = NULL, "
            f"error = NULL WHERE status = 'running' AND claim_token = {q.p(token)} "
            f"AND id {q.many(chunk)}"
        )
        done += await q.run(sql)
    return done


async def finish_job(job_id: int, token: str, now: datetime) -> bool:
    return await finish_jobs([job_id], token, now) == 1


async def confirm_outbox(row_id: int, token: str, lease_until: datetime, parts_sent: int) -> bool:
    """Right before a part is sent: still held under ``token``? Extend the lease, note the
    parts already sent and mark part ``parts_sent`` as on its way, in one statement."""
    return row_id in await confirm_outbox_many([(row_id, token, parts_sent)], lease_until)


async def confirm_outbox_many(
    items: Sequence[tuple[int, str, int]], lease_until: datetime
) -> set[int]:
    """:func:`confirm_outbox` for many rows (row id, token, parts sent) at once: the ids still
    held. One statement on PostgreSQL (the delivery hot path of many concurrent sends)."""
    if not items:
        return set()
    q = _Sql()
    if q.pg:
        items = sorted(items)  # rows locked in id order, as every batch statement does
        sql = (
            f"UPDATE outbox AS o SET lease_until = {q.p(lease_until)}, parts_sent = v.p, "
            "sending_part = v.p FROM unnest("
            f"{q.p([i for i, _, _ in items])}::int[], {q.p([t for _, t, _ in items])}::text[], "
            f"{q.p([n for _, _, n in items])}::int[]) AS v(id, token, p) "
            "WHERE o.id = v.id AND o.claim_token = v.token AND o.status = 'sending' "
            "RETURNING o.id"
        )
        return {int(r["id"]) for r in await q.rows(sql)}
    held: set[int] = set()
    for row_id, token, parts_sent in items:  # SQLite: one writer anyway
        q = _Sql()
        sql = (
            f"UPDATE outbox SET lease_until = {q.p(lease_until)}, parts_sent = {q.p(parts_sent)}, "
            f"sending_part = {q.p(parts_sent)} WHERE id = {q.p(row_id)} "
            f"AND claim_token = {q.p(token)} AND status = 'sending'"
        )
        if await q.run(sql) == 1:
            held.add(row_id)
    return held


async def record_sent(
    row_id: int, token: str, sent_at: datetime, message_id: str | None, parts_sent: int
) -> bool:
    """The row was sent — only if ``token`` still holds it (the delivery hot path)."""
    return row_id in await record_sent_many([(row_id, token, sent_at, message_id, parts_sent)])


async def record_sent_many(
    items: Sequence[tuple[int, str, datetime, str | None, int]],
) -> set[int]:
    """:func:`record_sent` for many rows (row id, token, sent at, message id, parts sent): the
    ids recorded. One statement on PostgreSQL."""
    if not items:
        return set()
    q = _Sql()
    if q.pg:
        # rows locked in id order, as every batch statement does (else two batches can
        # deadlock: PostgreSQL finds it after 1 s and fails one of them)
        items = sorted(items, key=lambda item: item[0])
        sql = (
            "UPDATE outbox AS o SET status = 'sent', sent_at = v.at, platform_message_id = v.m, "
            "error = NULL, lease_until = NULL, parts_sent = v.p, sending_part = NULL "
            f"FROM unnest({q.p([i[0] for i in items])}::int[], "
            f"{q.p([i[1] for i in items])}::text[], {q.p([i[2] for i in items])}::timestamptz[], "
            f"{q.p([i[3] for i in items])}::text[], {q.p([i[4] for i in items])}::int[]) "
            "AS v(id, token, at, m, p) "
            "WHERE o.id = v.id AND o.claim_token = v.token AND o.status = 'sending' "
            "RETURNING o.id"
        )
        return {int(r["id"]) for r in await q.rows(sql)}
    done: set[int] = set()
    for row_id, token, sent_at, message_id, parts_sent in items:
        q = _Sql()
        sql = (
            f"UPDATE outbox SET status = 'sent', sent_at = {q.p(sent_at)}, "
            f"platform_message_id = {q.p(message_id)}, error = NULL, lease_until = NULL, "
            f"parts_sent = {q.p(parts_sent)}, sending_part = NULL "
            f"WHERE id = {q.p(row_id)} AND claim_token = {q.p(token)} AND status = 'sending'"
        )
        if await q.run(sql) == 1:
            done.add(row_id)
    return done


async def unreachable_accounts(ids: Sequence[int]) -> set[int]:
    """Those of the messenger accounts ``ids`` that blocked the bot or unsubscribed (one
    statement, no model objects: the delivery hot path needs one flag per claimed row)."""
    if not ids:
        return set()
    q = _Sql()
    sql = (
        f"SELECT id FROM messenger_accounts WHERE id {q.many(ids)} AND (blocked OR NOT subscribed)"
    )
    return {int(r["id"]) for r in await q.rows(sql)}
