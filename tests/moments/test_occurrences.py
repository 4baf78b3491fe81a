"""Yearly days in a window: 29 February, the first anniversary, windows across the new year."""

from __future__ import annotations

from datetime import date

import pytest

from teamweave.moments.occurrences import anniversary_in, birthday_in, in_year, iso_week_label, iso_week_start


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2025, date(2025, 2, 28)), (2027, date(2027, 2, 28)), (2028, date(2028, 2, 29)), (2100, date(2100, 2, 28))],
)
def test_29_february_falls_on_28_february_in_common_years(year: int, expected: date) -> None:
    assert in_year(date(2024, 2, 29), year) == expected


def test_a_leap_day_starter_has_an_anniversary_every_year() -> None:
    start = date(2024, 2, 29)
    assert anniversary_in(start, first=date(2025, 2, 27), days=3) == (date(2025, 2, 28), 1)
    assert anniversary_in(start, first=date(2025, 3, 1), days=7) is None
    assert anniversary_in(start, first=date(2028, 2, 28), days=2) == (date(2028, 2, 29), 4)
    assert anniversary_in(start, first=date(2028, 2, 28), days=1) is None


def test_the_first_anniversary_is_one_full_year_after_the_start() -> None:
    start = date(2026, 11, 25)
    assert anniversary_in(start, first=date(2026, 11, 20), days=14) is None  # the start day itself
    assert anniversary_in(start, first=date(2027, 11, 20), days=14) == (date(2027, 11, 25), 1)
    assert anniversary_in(date(2027, 3, 1), first=date(2026, 11, 20), days=200) is None  # not started yet


def test_the_window_includes_its_first_day_and_excludes_the_day_after_its_last() -> None:
    start = date(2020, 6, 10)
    assert anniversary_in(start, first=date(2026, 6, 10), days=1) == (date(2026, 6, 10), 6)
    assert anniversary_in(start, first=date(2026, 6, 3), days=7) is None
    assert anniversary_in(start, first=date(2026, 6, 3), days=8) == (date(2026, 6, 10), 6)
    assert anniversary_in(start, first=date(2026, 6, 3), days=0) is None


def test_a_window_across_the_new_year_finds_next_years_day() -> None:
    assert birthday_in(date(2000, 1, 2), first=date(2026, 12, 30), days=7) == date(2027, 1, 2)
    assert anniversary_in(date(2021, 1, 2), first=date(2026, 12, 30), days=7) == (date(2027, 1, 2), 6)
    assert birthday_in(date(2000, 12, 29), first=date(2026, 12, 30), days=7) is None


def test_a_leap_day_birthday_is_celebrated_on_28_february_in_common_years() -> None:
    assert birthday_in(date(2000, 2, 29), first=date(2027, 2, 22), days=7) == date(2027, 2, 28)
    assert birthday_in(date(2000, 2, 29), first=date(2028, 2, 22), days=8) == date(2028, 2, 29)


def test_iso_weeks() -> None:
    assert iso_week_start(date(2027, 1, 10)) == date(2027, 1, 4)
    assert iso_week_start(date(2027, 1, 4)) == date(2027, 1, 4)
    assert iso_week_label(date(2027, 1, 10)) == "2027-W01"
    assert iso_week_label(date(2026, 12, 31)) == "2026-W53"
