"""Analysis windows: weeks starting Monday (UTC), calendar months and calendar quarters.

A window is named by its first day. Ties and metrics are computed per window so that a week and the week
before it (or a month and the month before it, a quarter and the quarter before it) can be compared.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final

from teamweave.errors import TeamweaveError

PERIODS: Final = ("week", "month", "quarter")
MONTHS_PER_QUARTER: Final = 3


def check_period(period: str) -> str:
    """Return ``period`` if it is ``"week"``, ``"month"`` or ``"quarter"``, else raise :class:`TeamweaveError`.

    Examples
    --------
    >>> check_period("week")
    'week'
    """
    if period not in PERIODS:
        raise TeamweaveError(f"unknown period {period!r}", where="period", hint="use week, month or quarter")
    return period


def window_start(moment: date | datetime, *, period: str) -> date:
    """The first day of the window that contains ``moment`` (a UTC datetime or a date).

    Parameters
    ----------
    moment : date or datetime
        A day, or a UTC timestamp (its UTC calendar day is used).
    period : {"week", "month", "quarter"}
        Weeks start on Monday (ISO 8601); months on the 1st; quarters on 1 January, 1 April, 1 July and
        1 October.

    Returns
    -------
    date
        The window's first day.

    Examples
    --------
    >>> window_start(date(2024, 1, 7), period="week")  # a Sunday
    datetime.date(2024, 1, 1)
    >>> window_start(date(2024, 2, 29), period="month")
    datetime.date(2024, 2, 1)
    >>> window_start(date(2024, 6, 30), period="quarter")
    datetime.date(2024, 4, 1)
    """
    day = moment.date() if isinstance(moment, datetime) else moment
    if check_period(period) == "week":
        return day - timedelta(days=day.weekday())
    if period == "quarter":
        return date(day.year, (day.month - 1) // MONTHS_PER_QUARTER * MONTHS_PER_QUARTER + 1, 1)
    return day.replace(day=1)


def _add_months(start: date, months: int) -> date:
    """The first day of the month ``months`` (may be negative) after the month of ``start``."""
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def next_window(start: date, *, period: str) -> date:
    """The first day of the window after the one starting on ``start``.

    Examples
    --------
    >>> next_window(date(2024, 12, 1), period="month")
    datetime.date(2025, 1, 1)
    >>> next_window(date(2024, 1, 1), period="week")
    datetime.date(2024, 1, 8)
    >>> next_window(date(2024, 10, 1), period="quarter")
    datetime.date(2025, 1, 1)
    """
    if check_period(period) == "week":
        return start + timedelta(days=7)
    return _add_months(start, MONTHS_PER_QUARTER if period == "quarter" else 1)


def window_name(start: date, *, period: str) -> str:
    """The window starting on ``start`` as people say it, to follow "in": a month by its name, a week by its
    Monday (``%B``: English month names, as in the rest of teamweave, which never sets a locale), a quarter
    as ``Q1`` .. ``Q4`` and its year.

    Examples
    --------
    >>> window_name(date(2026, 9, 1), period="month")
    'September 2026'
    >>> window_name(date(2026, 11, 16), period="week")
    'the week of 16 November 2026'
    >>> window_name(date(2026, 7, 1), period="quarter")
    'Q3 2026'
    """
    if check_period(period) == "quarter":
        return f"Q{(start.month - 1) // MONTHS_PER_QUARTER + 1} {start.year}"
    month = f"{start:%B} {start.year}"
    return month if period == "month" else f"the week of {start.day} {month}"


def previous_window(start: date, *, period: str) -> date:
    """The first day of the window before the one starting on ``start``.

    Examples
    --------
    >>> previous_window(date(2024, 1, 1), period="month")
    datetime.date(2023, 12, 1)
    >>> previous_window(date(2024, 1, 8), period="week")
    datetime.date(2024, 1, 1)
    >>> previous_window(date(2024, 1, 1), period="quarter")
    datetime.date(2023, 10, 1)
    """
    if check_period(period) == "week":
        return start - timedelta(days=7)
    return _add_months(start, -MONTHS_PER_QUARTER if period == "quarter" else -1)


def windows_between(first: date, last: date, *, period: str) -> list[date]:
    """Every window from the one containing ``first`` to the one containing ``last``, in order.

    Examples
    --------
    >>> windows_between(date(2024, 1, 15), date(2024, 3, 2), period="month")
    [datetime.date(2024, 1, 1), datetime.date(2024, 2, 1), datetime.date(2024, 3, 1)]
    >>> windows_between(date(2024, 3, 2), date(2024, 1, 15), period="month")
    []
    """
    current = window_start(first, period=period)
    end = window_start(last, period=period)
    out: list[date] = []
    while current <= end:
        out.append(current)
        current = next_window(current, period=period)
    return out


def months_of(quarter: date) -> list[date]:
    """The first days of the three months of the quarter starting on ``quarter``.

    Examples
    --------
    >>> [m.month for m in months_of(date(2024, 10, 1))]
    [10, 11, 12]
    """
    return [_add_months(quarter, n) for n in range(MONTHS_PER_QUARTER)]
