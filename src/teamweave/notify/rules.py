"""When a push may reach a person: quiet hours and the weekly cap, both in the person's own time zone.

Pure functions of times and settings values, so they are tested (and doctested) without a database.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone_of(name: str | None) -> ZoneInfo:
    """The person's zone; UTC when it is empty or unknown (an HR file may carry anything)."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def in_quiet_hours(hour: int, *, start: int, end: int) -> bool:
    """Whether a local ``hour`` falls in quiet hours [start, end), which may wrap past midnight.

    ``start == end`` means no quiet hours.

    >>> [in_quiet_hours(h, start=20, end=8) for h in (7, 8, 19, 20, 23)]
    [True, False, False, True, True]
    >>> in_quiet_hours(3, start=0, end=0)
    False
    """
    if start == end:
        return False
    if start < end:
        return start <= hour < end
    return hour >= start or hour < end


def quiet_hours_end(now: datetime, *, zone: ZoneInfo, start: int, end: int) -> datetime | None:
    """When the quiet hours that ``now`` falls in end (UTC), or None when ``now`` is not in quiet hours.

    >>> lisbon = ZoneInfo("Europe/Lisbon")
    >>> quiet_hours_end(datetime(2026, 11, 23, 22, tzinfo=UTC), zone=lisbon, start=20, end=8)
    datetime.datetime(2026, 11, 24, 8, 0, tzinfo=datetime.timezone.utc)
    >>> quiet_hours_end(datetime(2026, 11, 23, 12, tzinfo=UTC), zone=lisbon, start=20, end=8) is None
    True
    """
    local = now.astimezone(zone)
    if not in_quiet_hours(local.hour, start=start, end=end):
        return None
    day = local.date()
    if start > end and local.hour >= start:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, end, tzinfo=zone).astimezone(UTC)


def iso_week_bounds(now: datetime, *, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The ISO week (Monday 00:00 to the next Monday 00:00, local) that ``now`` falls in, in UTC.

    >>> start, end = iso_week_bounds(datetime(2026, 11, 25, 12, tzinfo=UTC), zone=ZoneInfo("UTC"))
    >>> (start.isoformat(), end.isoformat())
    ('2026-11-23T00:00:00+00:00', '2026-11-30T00:00:00+00:00')
    """
    local = now.astimezone(zone)
    monday = local.date() - timedelta(days=local.weekday())
    following = monday + timedelta(days=7)
    start = datetime(monday.year, monday.month, monday.day, tzinfo=zone)
    end = datetime(following.year, following.month, following.day, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def retry_delay(attempts: int, *, first_seconds: int) -> timedelta:
    """Exponential backoff: the wait after the ``attempts``-th failed attempt (1st: ``first_seconds``).

    >>> [retry_delay(n, first_seconds=60).total_seconds() for n in (1, 2, 3)]
    [60.0, 120.0, 240.0]
    """
    return timedelta(seconds=first_seconds * 2 ** max(0, attempts - 1))
