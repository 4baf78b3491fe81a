"""Person metrics per window: ties (strong and weak), strength, cross-team share, and change over time."""

from __future__ import annotations

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from teamweave.analytics.load import activity_table
from teamweave.analytics.queries import load_query, load_table
from teamweave.analytics.shares import column, share, to_arrow
from teamweave.analytics.ties import PEOPLE_SCHEMA, strong_threshold, with_teams
from teamweave.analytics.windows import check_period


def cross_team_share(
    cross_weight: npt.ArrayLike, strength: npt.ArrayLike, *, has_team: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Share of a person's tie weight that goes to people of other teams. Unit: share, 0..1.

    Undefined (NaN) for a person with no ties or no team. A tie to someone without a team counts as
    cross-team. Measures how much a person bridges their team to the rest of the organisation.

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises: an
       experimental simulation. Social Psychology Quarterly 51(2), 123-140. https://doi.org/10.2307/2786835

    Examples
    --------
    A star whose centre (team 1) has four ties of weight 1, two of them to team 2; the leaves each have
    one tie:

    >>> cross_team_share([2, 0, 0, 1, 1], [4, 1, 1, 1, 1], has_team=[True] * 5).tolist()
    [0.5, 0.0, 0.0, 1.0, 1.0]
    """
    result = share(cross_weight, strength)
    result[~np.asarray(has_team, dtype=bool)] = np.nan
    return result


def person_tie_stats(con: duckdb.DuckDBPyConnection, ties: pa.Table, *, people: pa.Table, period: str) -> pa.Table:
    """Per person and window: ``ties, strong_ties, weak_ties, strength, cross_team_share``.

    ``ties`` is a :func:`teamweave.analytics.ties.tie_table` (``window_start, a, b, weight, reciprocated``);
    ``people`` gives each person's team. A tie is strong when it is reciprocated and its weight reaches
    :func:`teamweave.analytics.ties.strong_threshold` for ``period``; every other tie is weak. Strength is
    the sum of the person's tie weights (tie units).

    Examples
    --------
    A star: centre ``c`` with four leaves, every tie reciprocated, two of them strong in a week.

    >>> from datetime import date
    >>> from teamweave.analytics.ties import people_table
    >>> people = people_table([(p, 1, "UTC") for p in "cwxyz"])
    >>> ties = pa.table({"window_start": [date(2024, 1, 1)] * 4, "a": ["c"] * 4, "b": list("wxyz"),
    ...                  "weight": [2.0, 3.0, 1.0, 0.5], "reciprocated": [True] * 4})
    >>> stats = person_tie_stats(duckdb.connect(), ties, people=people, period="week").to_pylist()
    >>> {row["person"]: (row["ties"], row["strong_ties"], row["weak_ties"], row["strength"]) for row in stats}
    {'c': (4, 2, 2, 6.5), 'w': (1, 1, 0, 2.0), 'x': (1, 1, 0, 3.0), 'y': (1, 0, 1, 1.0), 'z': (1, 0, 1, 0.5)}
    """
    load_table(con, "tw_ties", with_teams(ties, people=people.cast(PEOPLE_SCHEMA)))
    params = {"strong_weight": strong_threshold(period=period)}
    table = con.sql(load_query("person_ties"), params=params).to_arrow_table()
    weak = pa.compute.subtract(table.column("ties"), table.column("strong_ties"))
    cross = cross_team_share(
        column(table, "cross_weight"),
        column(table, "strength"),
        has_team=table.column("has_team").to_numpy(zero_copy_only=False),
    )
    table = table.append_column("weak_ties", weak).append_column("cross_team_share", to_arrow(cross))
    return table.select(["window_start", "person", "ties", "strong_ties", "weak_ties", "strength", "cross_team_share"])


def person_metrics(con: duckdb.DuckDBPyConnection, ties: pa.Table, *, people: pa.Table, period: str) -> pa.Table:
    """Every person metric per window (the columns of ``network.models.PersonMetric``).

    Joins :func:`person_tie_stats` with ``load.activity_table`` (so call
    ``ties.load_participants`` first) and adds ``ties_change`` and ``strength_change`` against the previous
    window of the same period: a person absent from that window counts as 0 there; in the first window of
    the data both are null. One row per person who took part in anything in the window.
    """
    check_period(period)
    load_table(con, "tw_tie_stats", person_tie_stats(con, ties, people=people, period=period))
    load_table(con, "tw_activity", activity_table(con, period=period))
    return con.sql(load_query("person_changes"), params={"period": period}).to_arrow_table()
