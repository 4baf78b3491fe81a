"""The whole aggregation of one period — ties, person metrics, team metrics, team ties — with the tie table
kept inside DuckDB from start to end.

The public functions of ``ties``, ``person_metrics`` and ``team_metrics`` take Arrow tie tables (easy to
build by hand, in tests); each copies its table back into DuckDB. Here the tie table is built once in DuckDB
(``ties.build_ties``) and every metric reads it there: the same queries, so the same results, without the
copies (at 5M events they held ~7 GiB of Arrow tie tables and cost ~1 s each).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.analytics.person_metrics import person_metrics_loaded
from teamweave.analytics.quarters import MonthPiece, combine_quarters, quarter_activity, quarter_focus
from teamweave.analytics.team_metrics import team_metrics_loaded, team_ties_loaded
from teamweave.analytics.tie_store import put_window_ties
from teamweave.analytics.ties import build_ties
from teamweave.analytics.windows import check_period, previous_window, windows_between
from teamweave.errors import TeamweaveError

DEFAULT_MEMORY_LIMIT = "2.5GB"
"""DuckDB's memory for an analysis (beyond it, joins and groupings spill to disk): with a month of events at a
time, 2.5 GB keeps a 100M-event analysis under 4 GiB of peak memory (the whole ``analyze`` 3.57 GiB, its
aggregation 3.59 GiB, quarters included; docs/performance.md, session 10) and spills less of a month's
participation table than 2 GB did: the bench's aggregation 525 s against 571 s on one quiet machine (session 8)."""


@dataclass(frozen=True)
class PeriodTables:
    """The metrics of one period (``network.models`` rows), and the size of its tie table."""

    persons: pa.Table
    teams: pa.Table
    team_ties: pa.Table
    windows: int
    ties: int
    pairs: int


def connect(
    *, spill_directory: Path | None = None, memory_limit: str = DEFAULT_MEMORY_LIMIT
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection for the aggregation: bounded memory (``memory_limit``; larger joins and groupings
    spill to ``spill_directory``) and no insertion order to preserve (every query that needs an order has an
    ORDER BY), so that DuckDB can stream and spill instead of holding everything."""
    config: dict[str, str | bool | int | float | list[str]] = {
        "memory_limit": memory_limit,
        "preserve_insertion_order": False,
    }
    if spill_directory is not None:
        config["temp_directory"] = str(spill_directory)
    return duckdb.connect(config=config)


def period_tables(
    con: duckdb.DuckDBPyConnection,
    *,
    people: pa.Table,
    period: str,
    k: int | None,
    work_day_start: int = 8,
    work_day_end: int = 19,
    context: Mapping[date, pa.Table | Path] | None = None,
    first_window: date | None = None,
    keep: Sequence[date] | None = None,
    months: Mapping[date, MonthPiece] | None = None,
) -> PeriodTables:
    """Person metrics, team metrics and team ties of every window of ``period`` (call
    ``ties.load_participants`` first, with the same ``people``); equal to ``person_metrics``,
    ``team_metrics`` and ``team_ties`` of ``ties.tie_table``. ``k`` as in ``team_metrics``.

    ``context``: the complete ties of windows whose events were not all loaded (an Arrow table of
    ``tie_store.CARRIED_COLUMNS``, or the file ``tie_store.save_window_ties`` wrote of them in an earlier
    run), put in place of what the loaded events give for them, so that the window after each compares with
    the whole of it (changes, turnover). The metrics of the context windows themselves are
    not complete: an incremental run keeps only those of the windows it recomputes. ``first_window``: the
    first window of the whole data when the loaded events are a later part of it (``analytics.chunks``).
    ``keep``: the windows whose metrics are wanted (an incremental run, a monthly pass): the tables hold
    the person rows of the other windows too, without their bridges, and the team rows and team ties of
    ``keep`` only; ``tw_ties`` keeps the ties of ``keep`` only, and ``pairs`` counts theirs.

    ``months`` (``period="quarter"`` only): the pieces of the months of the quarters (``analytics.quarters``; a
    month left out had no events), which give the quarters' ties, activity and focus instead of the participants
    (which then need only hold the people: ``tw_nodes``, ``tw_sites``)."""
    check_period(period)
    activity = focus = None
    if months is None:
        first, last = _built_windows(period, keep=keep, context=context)
        rows = build_ties(con, period=period, first=first, last=last)
    elif period == "quarter":
        rows = combine_quarters(con, months)
        activity, focus = quarter_activity(con), quarter_focus(con)
    else:
        raise TeamweaveError(f"a {period} is not combined from months", where="period", hint="use quarter")
    for window, ties in (context or {}).items():
        put_window_ties(con, window, ties)
    if first_window is None and context:  # a window of the data (kept: it had ties or activity), even without ties
        first_window = min(context)
    persons = person_metrics_loaded(
        con,
        period=period,
        work_day_start=work_day_start,
        work_day_end=work_day_end,
        first_window=first_window,
        keep=keep,
        activity=activity,
        focus=focus,
    )
    starts = persons.column("window_start")
    first, last = pc.min(starts).as_py(), pc.max(starts).as_py()
    windows = windows_between(first, last, period=period) if persons.num_rows else []
    if keep is not None:
        windows = sorted(set(windows) & set(keep))
    teams = team_metrics_loaded(con, persons, people=people, windows=windows, period=period, k=k)
    between = team_ties_loaded(con)
    pairs = con.execute("SELECT count(*) FROM (SELECT DISTINCT a_id, b_id FROM tw_ties)").fetchall()
    return PeriodTables(persons, teams, between, windows=len(windows), ties=rows, pairs=int(pairs[0][0]))


def _built_windows(
    period: str, *, keep: Sequence[date] | None, context: Mapping[date, pa.Table | Path] | None
) -> tuple[date | None, date | None]:
    """The first and last window whose ties :func:`period_tables` builds from the participants (None: no bound).

    With ``keep``: its windows and the window before the first of them, whose ties the first one's changes and
    turnover compare with, unless ``context`` gives that one. The rest (a monthly pass's partial windows at its
    ends, analytics.chunks) would be computed from some of their days and then thrown away.

    Examples
    --------
    >>> june = [date(2025, 6, 2), date(2025, 6, 9), date(2025, 6, 16), date(2025, 6, 23), date(2025, 6, 30)]
    >>> _built_windows("week", keep=june, context=None)
    (datetime.date(2025, 5, 26), datetime.date(2025, 6, 30))
    >>> _built_windows("week", keep=june, context={date(2025, 5, 26): Path("kept.parquet")})
    (datetime.date(2025, 6, 2), datetime.date(2025, 6, 30))
    >>> _built_windows("month", keep=None, context=None)
    (None, None)
    """
    if not keep:
        return None, None
    before = previous_window(min(keep), period=period)
    return (min(keep) if context and before in context else before), max(keep)
