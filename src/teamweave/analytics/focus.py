"""Focus fragmentation: how long a person's working day runs without an interaction."""

from __future__ import annotations

from typing import Final

import duckdb
import pyarrow as pa

from teamweave.analytics.queries import load_query
from teamweave.analytics.windows import check_period

BLOCK_HOURS: Final = 2.0


def focus_table(
    con: duckdb.DuckDBPyConnection,
    *,
    period: str,
    work_day_start: int = 8,
    work_day_end: int = 19,
    block_hours: float = BLOCK_HOURS,
) -> pa.Table:
    """Per person and window: ``focus_hours``, ``focus_blocks`` and ``working_days``.

    A *working day* is a Monday-Friday day (in the person's own time zone) with at least one interaction
    starting between ``work_day_start`` and ``work_day_end``. Every interaction the person took part in,
    with people or tools, is an interruption; a meeting or call keeps them busy for its duration (30 minutes
    when unknown). On each working day the interruptions split the working hours into uninterrupted
    stretches: ``focus_hours`` is the mean over the window's working days of the longest stretch (unit:
    hours), ``focus_blocks`` the mean number of stretches of at least ``block_hours`` (2) hours per day
    (unit: blocks per day). The window of a day is the week, month or quarter of its local date. Fragmented days
    cost speed and raise stress (Mark et al. 2008); protected quiet time restores output (Perlow 1999).
    Call ``ties.load_participants`` first.

    References
    ----------
    .. [1] Perlow, L. A. (1999). The time famine: toward a sociology of work time. Administrative Science
       Quarterly 44(1), 57-81. https://doi.org/10.2307/2667031
    .. [2] Mark, G., Gudith, D. & Klocke, U. (2008). The cost of interrupted work: more speed and stress.
       CHI '08, 107-110. https://doi.org/10.1145/1357054.1357072

    Examples
    --------
    One Monday 08:00-19:00 in UTC: a message at 09:00, a one-hour meeting at 13:00, a message at 17:30.
    Stretches: 1 h (08-09), 4 h (09-13), 3.5 h (14-17:30), 1.5 h (17:30-19): longest 4, two of >= 2 hours.

    >>> from datetime import datetime, timezone
    >>> from teamweave.analytics.ties import load_participants, people_table
    >>> def at(h, m=0): return datetime(2024, 1, 8, h, m, tzinfo=timezone.utc)
    >>> con = duckdb.connect()
    >>> events = con.from_arrow(pa.table({
    ...     "event_id": ["1", "2", "3"], "ts": [at(9), at(13), at(17, 30)], "kind": ["message", "meeting", "message"],
    ...     "source": ["slack", "calendar", "slack"], "in_person": [False] * 3, "duration_s": [None, 3600, None],
    ...     "actor": ["a", "b", "b"], "targets": [["b"], ["a"], ["a"]], "audience": [1, 1, 1],
    ...     "by_bot": [False] * 3, "via_ai": [False] * 3}))
    >>> _ = load_participants(con, events, people=people_table([("a", 1, "UTC"), ("b", 1, "UTC")]))
    >>> [(r["person"], r["focus_hours"], r["focus_blocks"]) for r in focus_table(con, period="week").to_pylist()]
    [('a', 4.0, 2.0), ('b', 4.0, 2.0)]
    """
    check_period(period)
    load_focus_days(con, work_day_start=work_day_start, work_day_end=work_day_end, block_hours=block_hours)
    return con.sql(load_query("focus"), params={"period": period}).to_arrow_table()


def load_focus_days(
    con: duckdb.DuckDBPyConnection, *, work_day_start: int, work_day_end: int, block_hours: float = BLOCK_HOURS
) -> None:
    """Build ``tw_focus_days`` (``sql/focus_days.sql``: per person and working day, the longest stretch and the
    stretches of at least ``block_hours``) from ``tw_participants``, unless it was built from them already with
    these settings: the day figures serve every period (and a month's people piece, ``analytics.quarters``)."""
    key = f"{work_day_start} {work_day_end} {block_hours!r}"
    if _cached_key(con) != key:
        params = {"work_day_start": work_day_start, "work_day_end": work_day_end, "block_hours": block_hours}
        con.execute(load_query("focus_days"), params)
        con.execute("CREATE OR REPLACE TEMP TABLE tw_focus_key AS SELECT $key AS key", {"key": key})


def _cached_key(con: duckdb.DuckDBPyConnection) -> str | None:
    """The settings ``tw_focus_days`` was computed with (``ties.load_participants`` drops it), or None."""
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name IN ('tw_focus_days', 'tw_focus_key') AND temporary"
    ).fetchall()[0][0]
    if found < 2:
        return None
    key: str = con.execute("SELECT key FROM tw_focus_key").fetchall()[0][0]
    return key
