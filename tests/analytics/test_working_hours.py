"""Shared working hours across time zones (analytics/working_hours.py), by hand."""

from __future__ import annotations

from datetime import date

import pytest

from teamweave.analytics.working_hours import overlap_hours
from teamweave.errors import TeamweaveError

WINTER = date(2024, 1, 10)  # any day of the week of Monday 2024-01-08
SPRING_GAP = date(2024, 3, 13)  # the US is on daylight time (from 10 March), Europe not yet (31 March)


def test_one_zone_is_the_whole_working_day_on_weekdays_only() -> None:
    hours = overlap_hours(["UTC"], week_of=WINTER)
    assert hours == {"Mon": 11.0, "Tue": 11.0, "Wed": 11.0, "Thu": 11.0, "Fri": 11.0, "Sat": 0.0, "Sun": 0.0}
    assert overlap_hours(["UTC", "UTC", "Etc/GMT"], week_of=WINTER) == hours  # duplicates change nothing


def test_half_hour_zones_and_custom_days() -> None:
    # Kolkata is UTC+5:30: 09:00-17:00 there is 03:30-11:30 UTC; London 09:00-17:00 is 09:00-17:00 UTC
    hours = overlap_hours(["Asia/Kolkata", "Europe/London"], week_of=WINTER, work_day_start=9, work_day_end=17)
    assert hours["Thu"] == pytest.approx(2.5)


def test_daylight_saving_is_that_weeks() -> None:
    # Lisbon UTC+0 and Chicago UTC-6 in January: 14:00-19:00 UTC shared, 5 hours; in mid-March Chicago is UTC-5
    assert overlap_hours(["Europe/Lisbon", "America/Chicago"], week_of=WINTER)["Tue"] == 5.0
    assert overlap_hours(["Europe/Lisbon", "America/Chicago"], week_of=SPRING_GAP)["Tue"] == 6.0


def test_no_overlap_and_no_zones() -> None:
    # Sydney (UTC+11 in January) 08-19 = 21:00-08:00 UTC; Sao Paulo (UTC-3) 08-19 = 11:00-22:00 UTC; 1 hour on
    # UTC Monday..Thursday (Sao Paulo's 18:00 is Sydney's next-day 08:00), none on Friday (Sydney's Saturday)
    hours = overlap_hours(["Australia/Sydney", "America/Sao_Paulo"], week_of=WINTER)
    assert (hours["Mon"], hours["Fri"]) == (1.0, 0.0)
    assert overlap_hours(["UTC", "Asia/Tokyo"], week_of=WINTER, work_day_end=12) == dict.fromkeys(
        ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), 0.0
    )
    # UTC+14 and UTC-11 are 25 hours apart: the same clock hour on different days still overlaps (3 hours)
    assert overlap_hours(["Pacific/Kiritimati", "Pacific/Pago_Pago"], week_of=WINTER, work_day_end=12)["Tue"] == 3.0
    assert sum(overlap_hours([], week_of=WINTER).values()) == 0.0


def test_bad_input_is_refused() -> None:
    with pytest.raises(TeamweaveError, match="time zone"):
        overlap_hours(["Mars/Olympus"], week_of=WINTER)
    with pytest.raises(TeamweaveError, match="range of hours"):
        overlap_hours(["UTC"], week_of=WINTER, work_day_start=19, work_day_end=8)
