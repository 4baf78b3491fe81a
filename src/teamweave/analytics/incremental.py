"""Incremental analysis: which windows new events can change, and which events recomputing them needs.

When events are appended (a new week), only some windows' metrics can change: the windows holding the new
days, and the window after each (its changes and tie turnover compare with the window before it). A person's
local day can be the UTC day before or after (focus counts local working days), so the new days are widened
by one day either side. Recomputing a window needs its events and those of the window before it (changes,
turnover), again widened by a day; nothing else. The recomputed rows equal those of a full recompute:
``tests/network/test_incremental.py`` checks it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc

from teamweave.analytics.windows import check_period, next_window, previous_window, windows_between

MARGIN = timedelta(days=1)
INTEGRATION_REACH = timedelta(days=92)  # a newcomer's first 90 local days, and a day either side


def changed_windows(first_new: date, last_new: date, *, period: str) -> list[date]:
    """The windows of ``period`` whose metrics events on the UTC days ``first_new`` .. ``last_new`` can change.

    Examples
    --------
    A new week, Monday 8 to Sunday 14 January 2024: the weeks of 1, 8 and 15 January (a day either side),
    and the week after each; the month of January and the month after it.

    >>> changed_windows(date(2024, 1, 8), date(2024, 1, 14), period="week")
    [datetime.date(2024, 1, 1), datetime.date(2024, 1, 8), datetime.date(2024, 1, 15), datetime.date(2024, 1, 22)]
    >>> changed_windows(date(2024, 1, 8), date(2024, 1, 14), period="month")
    [datetime.date(2024, 1, 1), datetime.date(2024, 2, 1)]
    """
    touched = windows_between(first_new - MARGIN, last_new + MARGIN, period=check_period(period))
    return sorted(set(touched) | {next_window(w, period=period) for w in touched})


def needed_span(windows: Iterable[date], *, period: str) -> tuple[datetime, datetime]:
    """The UTC instants ``[from, to)`` of the events that recomputing ``windows`` needs: from a day before the
    window preceding the first to a day after the last.

    Examples
    --------
    >>> needed_span([date(2024, 1, 8), date(2024, 1, 15)], period="week")[0].date()
    datetime.date(2023, 12, 31)
    """
    chosen = sorted(windows)
    first = previous_window(chosen[0], period=period) - MARGIN
    end = next_window(chosen[-1], period=period) + MARGIN
    return datetime(first.year, first.month, first.day, tzinfo=UTC), datetime(end.year, end.month, end.day, tzinfo=UTC)


def plan(
    first_new: date, last_new: date, *, periods: Iterable[str]
) -> tuple[dict[str, list[date]], datetime, datetime]:
    """For new events on the UTC days ``first_new`` .. ``last_new``: the windows to recompute per period
    (:func:`changed_windows`) and one UTC span ``[from, to)`` of events that covers them all (loaded once:
    a new week's weekly span lies inside its monthly one).

    Examples
    --------
    >>> keep, start, end = plan(date(2026, 1, 5), date(2026, 1, 11), periods=["week", "month"])
    >>> keep["month"], start.date(), end.date()
    ([datetime.date(2026, 1, 1), datetime.date(2026, 2, 1)], datetime.date(2025, 11, 30), datetime.date(2026, 3, 2))
    """
    keep = {p: changed_windows(first_new, last_new, period=p) for p in periods}
    spans = [needed_span(windows, period=p) for p, windows in keep.items()]
    return keep, min(s for s, _ in spans), max(e for _, e in spans)


def keep_windows(table: pa.Table, windows: Iterable[date]) -> pa.Table:
    """The rows of ``table`` whose ``window_start`` is one of ``windows``.

    Examples
    --------
    >>> t = pa.table({"window_start": [date(2024, 1, 1), date(2024, 1, 8)], "x": [1, 2]})
    >>> keep_windows(t, [date(2024, 1, 8)]).column("x").to_pylist()
    [2]
    """
    wanted = pa.array(sorted(set(windows)), type=pa.date32())
    return table.filter(pc.is_in(table.column("window_start").cast(pa.date32()), value_set=wanted))
