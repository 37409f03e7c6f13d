"""Fenced claims for a group of outbox rows that leave in one request (core/batching.py).

A group shares one claim token. :func:`claim_batch` adds pending rows of one batch key to a
group (the same ``FOR UPDATE SKIP LOCKED`` discipline as :func:`storage.claims.claim_outbox`);
:func:`confirm_batch` is the check made right before the request: it extends the lease of the
rows still held under the token and returns exactly those, so a row whose claim was lost is
never part of the request.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.claims import _Sql


async def batch_keys(ids: Sequence[int], channels: Sequence[str]) -> list[tuple[int, str]]:
    """(row id, batch key) of the rows among ``ids`` that may leave in a group."""
    if not ids or not channels:
        return []
    q = _Sql()
    sql = (
        f"SELECT id, batch_key FROM outbox WHERE id {q.many(ids)} AND batch_key IS NOT NULL "
        f"AND parts_sent = 0 AND channel {q.many(channels)}"
    )
    return [(int(r["id"]), str(r["batch_key"])) for r in await q.rows(sql)]


async def claim_batch(
    worker: str,
    token: str,
    batch_key: str,
    *,
    now: datetime,
    wall_now: datetime,
    lease_until: datetime,
    limit: int,
) -> list[int]:
    """Claim up to ``limit`` more due rows of ``batch_key`` under ``token``."""
    if limit <= 0:
        return []
    q = _Sql()
    head = (
        f"UPDATE outbox SET status = 'sending', claimed_by = {q.p(worker)}, "
        f"claim_token = {q.p(token)}, lease_until = {q.p(lease_until)}, attempts = attempts + 1 "
    )
    where = (
        f"status = 'pending' AND batch_key = {q.p(batch_key)} AND parts_sent = 0 "
        f"AND not_before <= {q.p(now)} "
        f"AND (paced_until IS NULL OR paced_until <= {q.p(wall_now)})"
    )
    pick = f"SELECT id FROM outbox WHERE {where} ORDER BY not_before, id LIMIT {q.p(limit)}"
    sql = f"{head} WHERE {q.picked(pick)} RETURNING id"
    return sorted(int(r["id"]) for r in await q.rows(sql))


async def confirm_batch(
    ids: Sequence[int], token: str, lease_until: datetime, parts_sent: int
) -> list[int]:
    """Still ours? Extend the lease and note the parts sent; returns the rows still held."""
    if not ids:
        return []
    q = _Sql()
    sql = (
        f"UPDATE outbox SET lease_until = {q.p(lease_until)}, parts_sent = {q.p(parts_sent)} "
        f"WHERE status = 'sending' AND claim_token = {q.p(token)} AND id {q.many(ids)} "
        "RETURNING id"
    )
    return sorted(int(r["id"]) for r in await q.rows(sql))
