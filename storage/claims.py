"""Claiming due rows so that several processes never take the same one.

PostgreSQL: ``FOR UPDATE SKIP LOCKED`` inside an ``UPDATE … RETURNING``, so a row is either
claimed by exactly one worker or skipped. SQLite has a single writer, so the same ``UPDATE``
without the locking clause is already atomic. A row whose lease ran out (its worker died) is
claimable again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise import connections

_CLAIM = """
UPDATE {table} SET status = 'sending_or_running', claimed_by = {p1}, lease_until = {p2},
       attempts = attempts + 1
WHERE id IN (
    SELECT id FROM {table}
    WHERE (status = 'pending' AND {due} <= {p3})
       OR (status = 'sending_or_running' AND lease_until < {p3})
    ORDER BY {due}, id
    LIMIT {p4}
    {lock}
)
RETURNING id
"""


async def _claim(
    table: str, due: str, busy: str, worker: str, now: datetime, lease: timedelta, limit: int
) -> list[int]:
    conn = connections.get("default")
    pg = conn.capabilities.dialect == "postgres"
    params = ("$1", "$2", "$3", "$4") if pg else ("?", "?", "?", "?")
    sql = _CLAIM.replace("sending_or_running", busy).format(
        table=table,
        due=due,
        p1=params[0],
        p2=params[1],
        p3=params[2],
        p4=params[3],
        lock="FOR UPDATE SKIP LOCKED" if pg else "",
    )
    if pg:
        values: list[object] = [worker, now + lease, now, limit]
    else:
        # SQLite: the positional markers are bound in order of appearance.
        values = [worker, _iso(now + lease), _iso(now), _iso(now), limit]
    # execute_query_dict always fetches (execute_query drops RETURNING rows of an UPDATE)
    rows = await conn.execute_query_dict(sql, values)
    return sorted(int(r["id"]) for r in rows)


def _iso(value: datetime) -> str:
    # tortoise stores aware datetimes in SQLite as ISO text with offset, so compare likewise
    return value.astimezone(UTC).isoformat(sep=" ", timespec="microseconds")


async def claim_outbox(worker: str, now: datetime, lease: timedelta, limit: int) -> list[int]:
    return await _claim("outbox", "not_before", "sending", worker, now, lease, limit)


async def claim_jobs(worker: str, now: datetime, lease: timedelta, limit: int) -> list[int]:
    return await _claim("jobs", "run_at", "running", worker, now, lease, limit)


_FINISH = (
    "UPDATE jobs SET status = 'done', finished_at = {p1}, lease_until = NULL, error = NULL "
    "WHERE id = {p2} AND claimed_by = {p3}"
)


async def finish_job(job_id: int, worker: str, now: datetime) -> None:
    """Mark a job done — only while ``worker`` still holds it (one plain statement: this runs
    once per job, so it skips the ORM's query building)."""
    conn = connections.get("default")
    stamp: datetime | str = now
    if conn.capabilities.dialect == "postgres":
        sql = _FINISH.format(p1="$1", p2="$2", p3="$3")
    else:
        sql, stamp = _FINISH.format(p1="?", p2="?", p3="?"), _iso(now)
    await conn.execute_query(sql, [stamp, job_id, worker])


async def finish_jobs(job_ids: list[int], worker: str, now: datetime) -> None:
    """:func:`finish_job` for many jobs in one statement (per 500)."""
    conn = connections.get("default")
    pg = conn.capabilities.dialect == "postgres"
    for start in range(0, len(job_ids), 500):
        chunk = job_ids[start : start + 500]
        if pg:
            sql = (
                "UPDATE jobs SET status = 'done', finished_at = $1, lease_until = NULL, "
                "error = NULL WHERE claimed_by = $2 AND id = ANY($3::int[])"
            )
            await conn.execute_query(sql, [now, worker, chunk])
        else:
            marks = ", ".join("?" for _ in chunk)
            sql = (
                "UPDATE jobs SET status = 'done', finished_at = ?, lease_until = NULL, "
                f"error = NULL WHERE claimed_by = ? AND id IN ({marks})"
            )
            await conn.execute_query(sql, [_iso(now), worker, *chunk])
