"""When a yearly day (a work anniversary, a birthday) falls in a window of days. Pure date arithmetic.

A yearly day on 29 February is kept on 28 February in years that have no 29th: it stays in its month and
comes before, not after, the day it stands for.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def in_year(day: date, year: int) -> date:
    """``day``'s month and day in ``year``; 29 February becomes 28 February in a common year.

    >>> in_year(date(2020, 2, 29), 2023)
    datetime.date(2023, 2, 28)
    >>> in_year(date(2020, 2, 29), 2024)
    datetime.date(2024, 2, 29)
    """
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, day.month, day.day)


def next_occurrence(day: date, *, on_or_after: date) -> date:
    """The first day on or after ``on_or_after`` that has ``day``'s month and day (see :func:`in_year`).

    >>> next_occurrence(date(2000, 1, 3), on_or_after=date(2026, 12, 30))
    datetime.date(2027, 1, 3)
    """
    this_year = in_year(day, on_or_after.year)
    return this_year if this_year >= on_or_after else in_year(day, on_or_after.year + 1)


def anniversary_in(start_date: date, *, first: date, days: int) -> tuple[date, int] | None:
    """The work anniversary in the ``days`` days from ``first`` (inclusive) and its number of years, or None.

    The first anniversary is one full year after the start date; the start date itself is not one.

    >>> anniversary_in(date(2023, 11, 25), first=date(2026, 11, 23), days=7)
    (datetime.date(2026, 11, 25), 3)
    >>> anniversary_in(date(2026, 11, 25), first=date(2026, 11, 23), days=7) is None
    True
    """
    if days <= 0:
        return None
    day = next_occurrence(start_date, on_or_after=first)
    years = day.year - start_date.year
    if years < 1 or day >= first + timedelta(days=days):
        return None
    return day, years


def birthday_in(birthday: date, *, first: date, days: int) -> date | None:
    """The birthday (month and day only) in the ``days`` days from ``first`` (inclusive), or None."""
    if days <= 0:
        return None
    day = next_occurrence(birthday, on_or_after=first)
    return day if day < first + timedelta(days=days) else None


def iso_week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week.

    >>> iso_week_start(date(2026, 11, 26))
    datetime.date(2026, 11, 23)
    """
    return day - timedelta(days=day.weekday())


def iso_week_label(day: date) -> str:
    """``day``'s ISO week as YYYY-Www (the ISO year, which can differ from the calendar year).

    >>> iso_week_label(date(2027, 1, 1))
    '2026-W53'
    """
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
