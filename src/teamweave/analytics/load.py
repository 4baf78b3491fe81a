"""Load: after-hours work and the human-versus-tool mix of each person's interactions, per window."""

from __future__ import annotations

from datetime import datetime

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from teamweave.analytics.queries import load_query
from teamweave.analytics.shares import column, share, to_arrow
from teamweave.analytics.windows import check_period


def is_after_hours(local: datetime, *, work_day_start: int = 8, work_day_end: int = 19) -> bool:
    """Whether a moment, in the person's own time zone, lies outside the working day or on a weekend.

    The working day is ``work_day_start:00`` (inclusive) to ``work_day_end:00`` (exclusive), Monday to
    Friday. ``sql/participants.sql`` applies the same rule with ``timezone(zone, ts)``.

    Examples
    --------
    >>> is_after_hours(datetime(2024, 1, 8, 18, 59)), is_after_hours(datetime(2024, 1, 8, 19, 0))
    (False, True)
    >>> is_after_hours(datetime(2024, 1, 6, 11, 0))  # a Saturday
    True
    """
    return local.hour < work_day_start or local.hour >= work_day_end or local.isoweekday() >= 6


def after_hours_share(after_hours_acts: npt.ArrayLike, acts: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Share of a person's own acts done after hours or on weekends. Unit: share, 0..1 (NaN: no acts).

    Measures the spread of work into evenings and weekends, an early sign of overload.

    References
    ----------
    .. [1] Sonnentag, S. (2012). Psychological detachment from work during leisure time. Current Directions
       in Psychological Science 21(2), 114-118. https://doi.org/10.1177/0963721412438011

    Examples
    --------
    Five people, each with four acts, of which 0, 1, 2, 3 and 4 after hours:

    >>> after_hours_share([0, 1, 2, 3, 4], [4, 4, 4, 4, 4]).tolist()
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """
    return share(after_hours_acts, acts)


def human_share(human_events: npt.ArrayLike, tool_events: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Share of a person's interactions that were human: ``human / (human + tool)``. Unit: share, 0..1.

    A tool interaction is one with a bot (its actor is a bot) or whose content came from an AI tool.

    Examples
    --------
    >>> human_share([3, 1, 0, 2, 0], [1, 1, 2, 0, 0]).tolist()
    [0.75, 0.5, 0.0, 1.0, nan]
    """
    human = np.asarray(human_events, dtype=np.float64)
    return share(human, human + np.asarray(tool_events, dtype=np.float64))


def activity_table(con: duckdb.DuckDBPyConnection, *, period: str) -> pa.Table:
    """Per person and window: ``human_events, tool_events, acts, after_hours_acts`` and the two shares.

    Reads ``tw_participants`` (see :func:`teamweave.analytics.ties.load_participants`).
    """
    return with_activity_shares(
        con.sql(load_query("activity"), params={"period": check_period(period)}).to_arrow_table()
    )


def with_activity_shares(table: pa.Table) -> pa.Table:
    """An activity table of counts (``human_events, tool_events, acts, after_hours_acts``, ...) with its two
    shares appended: ``human_share`` (:func:`human_share`) and ``after_hours_share`` (:func:`after_hours_share`)."""
    human = human_share(column(table, "human_events"), column(table, "tool_events"))
    late = after_hours_share(column(table, "after_hours_acts"), column(table, "acts"))
    table = table.append_column("human_share", to_arrow(human))
    return table.append_column("after_hours_share", to_arrow(late))
