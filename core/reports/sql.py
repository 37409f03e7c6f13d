"""Small SQL pieces both databases understand differently: hour buckets in UTC.

Grouping by the local day in SQL would need the time-zone database inside SQLite; instead rows
are counted per UTC hour in SQL (at most 24 groups a day, whatever the row count) and the
hours are folded into the agency's local days here. Time zones with half-hour offsets would
need 30-minute buckets; the agencies we serve are on whole hours.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from tortoise import connections
from tortoise.expressions import RawSQL


def hour_bucket(column: str) -> RawSQL:
    """An expression giving ``"YYYY-MM-DD HH"`` (UTC) of a timestamp column."""
    if connections.get("default").capabilities.dialect == "postgres":
        return RawSQL(f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')")
    return RawSQL(f"strftime('%Y-%m-%d %H', {column})")


def local_day(bucket: str, tz: ZoneInfo) -> date:
    moment = datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=UTC)
    return moment.astimezone(tz).date()
