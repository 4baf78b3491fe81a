"""Quiet hours, ISO weeks and backoff in the recipient's own zone, including across daylight-saving changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from teamweave.notify import rules

CHICAGO = ZoneInfo("America/Chicago")
AUCKLAND = ZoneInfo("Pacific/Auckland")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 11, 24, 3, tzinfo=UTC), datetime(2026, 11, 24, 14, tzinfo=UTC)),  # 21:00 CST -> 08:00 CST
        (datetime(2026, 11, 24, 12, tzinfo=UTC), datetime(2026, 11, 24, 14, tzinfo=UTC)),  # 06:00 CST
        (datetime(2026, 11, 24, 15, tzinfo=UTC), None),  # 09:00 CST
        # the night of the spring change (8 March 2026): 08:00 CDT is 13:00 UTC, no longer 14:00
        (datetime(2026, 3, 8, 4, tzinfo=UTC), datetime(2026, 3, 8, 13, tzinfo=UTC)),
    ],
)
def test_quiet_hours_end_in_the_recipients_zone(now: datetime, expected: datetime | None) -> None:
    assert rules.quiet_hours_end(now, zone=CHICAGO, start=20, end=8) == expected


def test_quiet_hours_that_do_not_wrap() -> None:
    assert rules.quiet_hours_end(datetime(2026, 11, 24, 13, tzinfo=UTC), zone=ZoneInfo("UTC"), start=12, end=14) == (
        datetime(2026, 11, 24, 14, tzinfo=UTC)
    )
    assert rules.quiet_hours_end(datetime(2026, 11, 24, 3, tzinfo=UTC), zone=ZoneInfo("UTC"), start=0, end=0) is None


def test_an_iso_week_starts_on_a_local_monday() -> None:
    # Sunday 23 Nov 2026 20:00 UTC is already Monday 23 Nov 09:00 in Auckland (UTC+13)
    start, end = rules.iso_week_bounds(datetime(2026, 11, 22, 20, tzinfo=UTC), zone=AUCKLAND)
    assert start == datetime(2026, 11, 22, 11, tzinfo=UTC)
    assert end - start == timedelta(days=7)


def test_unknown_zones_fall_back_to_utc() -> None:
    assert rules.zone_of("Mars/Olympus") == ZoneInfo("UTC")
    assert rules.zone_of("") == ZoneInfo("UTC")


def test_backoff_doubles() -> None:
    assert [rules.retry_delay(n, first_seconds=30).total_seconds() for n in range(1, 6)] == [30, 60, 120, 240, 480]
