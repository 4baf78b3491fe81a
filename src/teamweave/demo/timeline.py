"""The demo's 12 calendar months and vectorised timestamps in each person's own working hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import numpy as np

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
DAY_SECONDS = 86400
WEEKEND_SHARE_OF_AFTER_HOURS = 0.4


def _month_start(day: date, back: int) -> date:
    months = day.year * 12 + day.month - 1 - back
    return date(months // 12, months % 12 + 1, 1)


@dataclass(frozen=True)
class Window:
    """Days from the 1st of the month 11 months before ``end`` up to ``end`` (inclusive), in 12 months."""

    start: date
    end: date
    month_first: np.ndarray  # ordinal of each month's first day in the window
    month_last: np.ndarray  # ordinal of each month's last day in the window
    weekdays: np.ndarray  # ordinals of Monday..Friday days
    weekends: np.ndarray  # ordinals of Saturday/Sunday days
    offsets: np.ndarray  # [zone, day - start] UTC offset in seconds at local noon
    zones: tuple[str, ...]

    @property
    def months(self) -> int:
        return len(self.month_first)

    def month_of(self, ordinals: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.month_first, ordinals, side="right") - 1

    @property
    def first_ordinal(self) -> int:
        return int(self.month_first[0])


def build_window(end: date, months: int, zones: tuple[str, ...]) -> Window:
    start = _month_start(end, months - 1)
    firsts = [_month_start(end, months - 1 - m) for m in range(months)]
    lasts = [f.toordinal() - 1 for f in firsts[1:]] + [end.toordinal()]
    days = np.arange(start.toordinal(), end.toordinal() + 1)
    weekday = (days + 6) % 7  # date.weekday() for ordinals: Monday == 0
    offsets = np.zeros((len(zones), len(days)), dtype=np.int64)
    for z, name in enumerate(zones):
        zone = ZoneInfo(name)
        for i, ordinal in enumerate(days):
            noon = datetime.combine(date.fromordinal(int(ordinal)), time(12), tzinfo=zone)
            delta = noon.utcoffset()
            offsets[z, i] = int(delta.total_seconds()) if delta is not None else 0
    return Window(
        start=start,
        end=end,
        month_first=np.array([f.toordinal() for f in firsts]),
        month_last=np.array(lasts),
        weekdays=days[weekday < 5],
        weekends=days[weekday >= 5],
        offsets=offsets,
        zones=zones,
    )


def _pick_days(
    rng: np.random.Generator, pool: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """A uniform day of ``pool`` within [lo, hi] per row, and whether such a day existed."""
    a = np.searchsorted(pool, lo, side="left")
    b = np.searchsorted(pool, hi, side="right")
    ok = b > a
    pick = a + np.floor(rng.random(len(lo)) * np.maximum(b - a, 1)).astype(np.int64)
    return pool[np.minimum(pick, len(pool) - 1)], ok


def sample_times(
    rng: np.random.Generator,
    window: Window,
    *,
    lo: np.ndarray,
    hi: np.ndarray,
    zone: np.ndarray,
    after_hours: np.ndarray,
) -> np.ndarray:
    """Unix seconds (float) of acts on a day in [lo, hi] (ordinals), in each actor's local working hours.

    ``after_hours`` is each act's probability of falling outside 08:00-19:00 local time or on a weekend.
    """
    n = len(lo)
    after = rng.random(n) < after_hours
    weekend = after & (rng.random(n) < WEEKEND_SHARE_OF_AFTER_HOURS)
    day, _ = _pick_days(rng, window.weekdays, lo, hi)
    weekend_day, has_weekend = _pick_days(rng, window.weekends, lo, hi)
    weekend &= has_weekend
    day = np.where(weekend, weekend_day, day)
    hours = np.clip(rng.normal(13.0, 2.1, n), 8.4, 18.5)
    evening = np.where(rng.random(n) < 0.8, rng.uniform(19.3, 23.2, n), rng.uniform(6.0, 7.7, n))
    hours = np.where(after & ~weekend, evening, hours)
    hours = np.where(weekend, rng.uniform(10.0, 18.0, n), hours)
    index = np.clip(day - window.first_ordinal, 0, window.offsets.shape[1] - 1)
    offset = window.offsets[zone, index]
    result: np.ndarray = (day - EPOCH_ORDINAL) * DAY_SECONDS + hours * 3600.0 - offset
    return result


def local_hours(window: Window, ts: np.ndarray, zone: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Local hour (float) and local weekday (Monday == 0) of unix seconds in the given zones."""
    utc_day = np.floor(ts / DAY_SECONDS).astype(np.int64) + EPOCH_ORDINAL
    index = np.clip(utc_day - window.first_ordinal, 0, window.offsets.shape[1] - 1)
    local = ts + window.offsets[zone, index]
    local_day = np.floor(local / DAY_SECONDS).astype(np.int64) + EPOCH_ORDINAL
    hour = (local - (local_day - EPOCH_ORDINAL) * DAY_SECONDS) / 3600.0
    return hour, (local_day + 6) % 7
