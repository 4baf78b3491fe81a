"""Working hours a distributed team shares: the time-zone overlap of its members' working days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from teamweave.errors import TeamweaveError

SLOT_MINUTES: Final = 15
WEEKDAYS: Final = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _zones(names: Iterable[str]) -> list[ZoneInfo]:
    zones = []
    for name in sorted(set(names)):
        try:
            zones.append(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise TeamweaveError(f"unknown time zone {name!r}", where="timezone") from exc
    return zones


def _working(moment: datetime, zone: ZoneInfo, start: int, end: int) -> bool:
    local = moment.astimezone(zone)
    return local.weekday() < 5 and start <= local.hour + local.minute / 60 < end


def overlap_hours(
    zones: Iterable[str], *, week_of: date, work_day_start: int = 8, work_day_end: int = 19
) -> dict[str, float]:
    """Hours per weekday (of the UTC calendar) in which every zone is inside its working day.

    Each member works Monday to Friday from ``work_day_start`` to ``work_day_end`` in their own IANA time
    zone; the week is the one starting on the Monday of ``week_of`` (daylight saving as in that week). The
    week is scanned in 15-minute UTC slots; a slot counts when it falls in every zone's working hours. Unit:
    hours per UTC weekday (keys ``Mon`` .. ``Sun``). Time separation cuts the synchronous time a team has
    to coordinate in (Espinosa & Carmel 2003); this is that window, measured.

    References
    ----------
    .. [1] Espinosa, J. A. & Carmel, E. (2003). The impact of time separation on coordination in global
       software teams: a conceptual foundation. Software Process: Improvement and Practice 8(4), 249-266.
       https://doi.org/10.1002/spip.185

    Examples
    --------
    Lisbon (UTC+0 in January) and Berlin (UTC+1), 08:00-19:00: 10 shared hours each weekday.

    >>> overlap_hours(["Europe/Lisbon", "Europe/Berlin"], week_of=date(2024, 1, 8))["Tue"]
    10.0
    >>> h = overlap_hours(["Europe/Lisbon", "America/Chicago"], week_of=date(2024, 1, 8))  # UTC-6
    >>> h["Mon"], h["Sat"]
    (5.0, 0.0)

    Tokyo (UTC+9) and Los Angeles (UTC-8) share 4 hours: LA's 15:00-19:00 is Tokyo's 08:00-12:00 next day.

    >>> overlap_hours(["Asia/Tokyo", "America/Los_Angeles"], week_of=date(2024, 1, 8))["Wed"]
    4.0
    """
    if not 0 <= work_day_start < work_day_end <= 24:
        raise TeamweaveError(f"work day {work_day_start}..{work_day_end} is not a range of hours", where="work_day")
    chosen = _zones(zones)
    monday = week_of - timedelta(days=week_of.weekday())
    start = datetime(monday.year, monday.month, monday.day, tzinfo=UTC)
    hours = dict.fromkeys(WEEKDAYS, 0.0)
    if not chosen:
        return hours
    for n in range(7 * 24 * 60 // SLOT_MINUTES):
        moment = start + timedelta(minutes=SLOT_MINUTES * n)
        if all(_working(moment, zone, work_day_start, work_day_end) for zone in chosen):
            hours[WEEKDAYS[moment.weekday()]] += SLOT_MINUTES / 60
    return hours
