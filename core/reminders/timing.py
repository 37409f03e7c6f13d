"""Local time for reminders: "10:00 on the 3rd" means 10:00 in the agency's time zone, on either
side of a DST change; quiet hours push non-urgent client messages to their end."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from core.rules import QuietHours


def local_at(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of wall-clock ``at`` on ``day`` in ``tz``.

    A time that does not exist (the hour skipped in spring) moves forward by the gap; a time
    that happens twice (the hour repeated in autumn) is its first occurrence.
    """
    # fold=0 (PEP 495): in a gap the offset before the change applies, which lands after it
    return datetime.combine(day, at.replace(tzinfo=None), tzinfo=tz).astimezone(UTC)


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[start, end) of a local day as UTC instants (23 or 25 hours long around DST)."""
    return local_at(day, time(0, 0), tz), local_at(day + timedelta(days=1), time(0, 0), tz)


def after_quiet_hours(moment: datetime, quiet: QuietHours, tz: ZoneInfo) -> datetime:
    """``moment`` itself, or the end of the quiet hours it falls into."""
    if not quiet.enabled or quiet.start == quiet.end:
        return moment
    local = moment.astimezone(tz)
    now = local.time().replace(tzinfo=None)
    start, end = quiet.start.replace(tzinfo=None), quiet.end.replace(tzinfo=None)
    if start < end:  # e.g. 13:00-15:00, within one day
        if start <= now < end:
            return local_at(local.date(), end, tz)
        return moment
    if now >= start:  # e.g. 21:00-09:00, across midnight: evening part
        return local_at(local.date() + timedelta(days=1), end, tz)
    if now < end:  # morning part
        return local_at(local.date(), end, tz)
    return moment


def birthday_in(birthday: date, year: int) -> date:
    """The day a birthday is celebrated in ``year``: 29 February is 28 February in common years."""
    if birthday.month == 2 and birthday.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return birthday.replace(year=year)


def slot_start(moment: datetime, minutes: int) -> datetime:
    """The start of the ``minutes``-long slot (counted from the epoch) that ``moment`` is in."""
    step = minutes * 60
    seconds = int(moment.timestamp()) // step * step
    return datetime.fromtimestamp(seconds, UTC)
