"""A full analysis one month of events at a time: which windows each monthly pass computes and which events it
loads, so that memory follows the size of a month, not of the whole history.

A window's metrics need its own events (a day either side: a person's local day can be the UTC day before or
after) and the complete ties of the window before it (changes, tie turnover), nothing else
(``analytics.incremental``). So a full run can go month by month, in time order: each pass loads the events of
the windows it owns and takes the ties of the window before its first one from the pass before
(``pipeline.period_tables(context=...)``). Every window is owned by exactly one pass: a month by itself, a week
by the month of its Monday (a week that runs into the next month is computed with the events of its last days,
loaded again by the next pass); windows before the first month or after the last (only a person's local day
can reach them) by the first or last pass. No pass owns a quarter: it is combined from the pieces of its months
(``analytics.quarters``), which the passes compute.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from teamweave.analytics.incremental import MARGIN
from teamweave.analytics.windows import check_period, next_window, windows_between
from teamweave.errors import TeamweaveError


@dataclass(frozen=True)
class Chunk:
    """One monthly pass of a full analysis."""

    month: date
    windows: dict[str, list[date]]
    """Per period, the windows this pass computes (and no other pass does), in order."""
    start: datetime
    """The events it loads: from this UTC instant..."""
    end: datetime
    """...to this one (excluded)."""


def month_chunks(first_day: date, last_day: date, *, periods: Iterable[str]) -> list[Chunk]:
    """The monthly passes of a full analysis of the events on the UTC days ``first_day`` .. ``last_day``.

    Examples
    --------
    Events from Wednesday 15 January to Monday 10 February 2025: two passes. January owns the month and the
    weeks of 13 January (a local day can reach 14 January) to 27 January, which runs to 2 February, so the
    January pass loads events up to 3 February, a day after.

    >>> jan, feb = month_chunks(date(2025, 1, 15), date(2025, 2, 10), periods=["week", "month"])
    >>> [w.isoformat() for w in jan.windows["week"]], [w.isoformat() for w in jan.windows["month"]]
    (['2025-01-13', '2025-01-20', '2025-01-27'], ['2025-01-01'])
    >>> jan.start.date().isoformat(), jan.end.date().isoformat(), feb.start.date().isoformat()
    ('2024-12-31', '2025-02-04', '2025-01-31')
    >>> [w.isoformat() for w in feb.windows["week"]]
    ['2025-02-03', '2025-02-10']
    """
    chosen = [check_period(p) for p in periods]
    if "quarter" in chosen:
        raise TeamweaveError("no monthly pass owns a quarter", where="periods", hint="combine it from its months")
    months = windows_between(first_day, last_day, period="month")
    owned: dict[date, dict[str, list[date]]] = {m: {p: [] for p in chosen} for m in months}
    for period in chosen:
        for window in windows_between(first_day - MARGIN, last_day + MARGIN, period=period):
            owner = min(max(window.replace(day=1), months[0]), months[-1])
            owned[owner][period].append(window)
    chunks = []
    for month in months:
        windows = {p: w for p, w in owned[month].items() if w}
        start = min(w[0] for w in windows.values()) - MARGIN
        end = max(next_window(w[-1], period=p) for p, w in windows.items()) + MARGIN
        chunks.append(Chunk(month, windows, _instant(start), _instant(end)))
    return chunks


def _instant(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
