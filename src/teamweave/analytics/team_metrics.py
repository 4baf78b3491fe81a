"""Team metrics per window: density, E-I index, external share, members without a strong tie, means."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.analytics.bridges import team_links_loaded
from teamweave.analytics.cohesion import density
from teamweave.analytics.queries import load_query, load_table
from teamweave.analytics.shares import column, share, to_arrow
from teamweave.analytics.silos import ei_index
from teamweave.analytics.tie_store import load_ties
from teamweave.analytics.ties import CHANNELS, as_people
from teamweave.analytics.windows import next_window

TEAM_COLUMNS = (
    "window_start",
    "team_id",
    "members",
    "density",
    "ei_index",
    "external_share",
    "no_strong_tie",
    "human_share",
    "after_hours_share",
    "mean_ties",
    "mean_new_ties",
    "mean_lost_ties",
    "cut_points",
    "thin_links",
    "focus_hours",
    "focus_blocks",
    *(f"{name}_share" for name in CHANNELS),
)
PERSON_OPTIONAL = ("new_ties", "lost_ties", "focus_hours", "focus_blocks", *(f"{name}_share" for name in CHANNELS))


def external_share(external_weight: npt.ArrayLike, internal_weight: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Share of the team members' tie weight that leaves the team: ``E_w / (E_w + 2 I_w)``. Unit: 0..1.

    The denominator is the sum of the members' strengths: an internal tie counts for both of its members.

    Examples
    --------
    Team {a, b, c} with internal ties of weight 1 and 1 and one tie of weight 2 to an outsider:

    >>> external_share([2.0], [2.0]).tolist()
    [0.3333333333333333]
    """
    e = np.asarray(external_weight, dtype=np.float64)
    return share(e, e + 2 * np.asarray(internal_weight, dtype=np.float64))


def team_metrics(
    con: duckdb.DuckDBPyConnection,
    ties: pa.Table,
    persons: pa.Table,
    *,
    people: pa.Table,
    windows: Sequence[date],
    period: str = "week",
    k: int | None = None,
) -> pa.Table:
    """Every team metric for every team of ``people`` in every window (``network.models.TeamMetric``).

    ``ties`` is a tie table; ``persons`` has ``window_start, person, ties, strong_ties, human_share,
    after_hours_share`` per active person (``person_metrics``). Members of a window are the people of
    ``people`` with that team who had started by the window's end (a null start date: always); inactive
    members count as having no ties. ``density`` and ``ei_index`` use tie counts, ``external_share`` tie
    weight; ``human_share`` and ``after_hours_share`` are means over the members for whom they are defined;
    ``mean_ties`` is the mean tie count over all members; ``mean_new_ties`` and ``mean_lost_ties`` the
    members' new and lost ties (``tie_turnover``) per member, null in the first window; ``chat_share`` ...
    ``in_person_share`` (the team's channel mix) the means of the members' channel shares, null under k
    members with ties. ``cut_points`` counts the members who are cut points of the window's network
    (``persons.cut_point``) and ``thin_links`` the other teams (of at least k members) the team reaches
    through fewer than k of its members, at least 2 (:mod:`teamweave.analytics.bridges`; without k: through
    one member). ``focus_hours`` and ``focus_blocks`` are the means of the members' focus (null under k
    members with a working day). Columns of ``persons`` it lacks (new and lost ties, channel shares, cut
    points, focus) count as unknown.

    With ``k``, a share that fewer than k members had a value for is null (a mean over fewer than k people
    must not be shown), and the external ties (of ``ei_index`` and ``external_share``) are only those to teams with at
    least k members in that window — the teams the organisation map shows; ties to smaller teams or to people
    in no team are left out, so the figures shown never count a group too small to show. Without ``k`` every
    external tie counts (the measure as published, for checks against reference tools).

    References
    ----------
    .. [1] Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises: an
       experimental simulation. Social Psychology Quarterly 51(2), 123-140. https://doi.org/10.2307/2786835

    Examples
    --------
    A star in one window: centre c and leaf w in team 1, leaves x, y, z in team 2, every tie of weight 1.

    >>> from datetime import date
    >>> from teamweave.analytics.person_metrics import person_tie_stats
    >>> from teamweave.analytics.ties import people_table
    >>> week = date(2024, 1, 1)
    >>> people = people_table([("c", 1, "UTC"), ("w", 1, "UTC"), ("x", 2, "UTC"), ("y", 2, "UTC"), ("z", 2, "UTC")])
    >>> ties = pa.table({"window_start": [week] * 4, "a": ["c"] * 4, "b": list("wxyz"),
    ...                  "weight": [1.0] * 4, "reciprocated": [True] * 4})
    >>> con = duckdb.connect()
    >>> persons = person_tie_stats(con, ties, people=people, period="week")
    >>> persons = persons.append_column("human_share", pa.nulls(5, pa.float64()))
    >>> persons = persons.append_column("after_hours_share", pa.nulls(5, pa.float64()))
    >>> for r in team_metrics(con, ties, persons, people=people, windows=[week]).to_pylist():
    ...     print(r["team_id"], r["members"], r["density"], r["ei_index"], r["external_share"], r["mean_ties"])
    1 2 1.0 0.5 0.6 2.5
    2 3 0.0 1.0 1.0 1.0

    With k = 3, team 1 (two members) is too small to show, so team 2's ties to it no longer count:

    >>> rows = team_metrics(con, ties, persons, people=people, windows=[week], k=3).to_pylist()
    >>> [(r["team_id"], r["ei_index"], r["external_share"]) for r in rows]
    [(1, 0.5, 0.6), (2, None, None)]
    """
    people = as_people(people)
    load_ties(con, ties, people=people)
    load_table(con, "tw_team_links", team_links_loaded(con))
    return team_metrics_loaded(con, persons, people=people, windows=windows, period=period, k=k)


def team_metrics_loaded(
    con: duckdb.DuckDBPyConnection,
    persons: pa.Table,
    *,
    people: pa.Table,
    windows: Sequence[date],
    period: str = "week",
    k: int | None = None,
) -> pa.Table:
    """:func:`team_metrics` of the tie table already in DuckDB (``tw_ties``) and its team links already in
    ``tw_team_links`` (as ``person_metrics_loaded`` leaves them: they are not computed twice)."""
    people = as_people(people)
    for name in PERSON_OPTIONAL:
        if name not in persons.column_names:
            persons = persons.append_column(name, pa.nulls(persons.num_rows, pa.float64()))
    if "cut_point" not in persons.column_names:
        persons = persons.append_column("cut_point", pa.nulls(persons.num_rows, pa.bool_()))
    load_table(con, "tw_persons", persons)
    load_table(con, "tw_people", people)
    starts = list(windows)
    load_table(
        con,
        "tw_windows",
        pa.table(
            {
                "window_start": pa.array(starts, type=pa.date32()),
                "window_next": pa.array([next_window(w, period=period) for w in starts], type=pa.date32()),
            }
        ),
    )
    min_team = 0 if k is None else k
    sums = con.sql(load_query("team_sums"), params={"min_team": min_team}).to_arrow_table()
    members = column(sums, "members")
    internal = column(sums, "internal_ties")
    out = {
        "window_start": sums.column("window_start"),
        "team_id": sums.column("team_id"),
        "members": sums.column("members"),
        "density": to_arrow(density(internal, members)),
        "ei_index": to_arrow(ei_index(column(sums, "external_ties"), internal)),
        "external_share": to_arrow(external_share(column(sums, "external_weight"), column(sums, "internal_weight"))),
        "no_strong_tie": pa.compute.subtract(sums.column("members"), sums.column("with_strong_tie")),
        "human_share": _counted_mean(sums, "human_share", "human_share_members", min_team),
        "after_hours_share": _counted_mean(sums, "after_hours_share", "after_hours_members", min_team),
        "mean_ties": to_arrow(share(column(sums, "tie_ends"), members)),
        "mean_new_ties": to_arrow(share(column(sums, "new_tie_ends"), members)),
        "mean_lost_ties": to_arrow(share(column(sums, "lost_tie_ends"), members)),
        "cut_points": sums.column("cut_points"),
        "thin_links": sums.column("thin_links"),
        "focus_hours": _counted_mean(sums, "focus_hours", "focus_members", min_team),
        "focus_blocks": _counted_mean(sums, "focus_blocks", "focus_members", min_team),
        **{f"{name}_share": _counted_mean(sums, f"{name}_share", "channel_members", min_team) for name in CHANNELS},
    }
    return pa.table(out)


def _counted_mean(sums: pa.Table, mean: str, count: str, min_count: int) -> pa.Array:
    """The column ``mean``, null where the column ``count`` (how many people it averages) is under ``min_count``."""
    values = sums.column(mean).cast(pa.float64())
    enough = pc.fill_null(pc.greater_equal(sums.column(count), min_count), False)
    return pc.if_else(enough, values, pa.scalar(None, pa.float64())).combine_chunks()


def team_ties(con: duckdb.DuckDBPyConnection, ties: pa.Table, *, people: pa.Table) -> pa.Table:
    """Ties between teams per window: ``window_start, team_a, team_b, weight, ties`` with ``team_a < team_b``.

    ``weight`` sums the person-to-person tie weights across the two teams (tie units); ``ties`` counts them.

    Examples
    --------
    >>> from datetime import date
    >>> from teamweave.analytics.ties import people_table
    >>> people = people_table([("a", 1, "UTC"), ("b", 1, "UTC"), ("c", 2, "UTC"), ("d", 2, "UTC"), ("e", 3, "UTC")])
    >>> ties = pa.table({"window_start": [date(2024, 1, 1)] * 4, "a": ["a", "a", "b", "c"],
    ...                  "b": ["b", "c", "d", "e"], "weight": [1.0, 2.0, 0.5, 1.0], "reciprocated": [True] * 4})
    >>> [(r["team_a"], r["team_b"], r["weight"], r["ties"]) for r in team_ties(duckdb.connect(), ties,
    ...  people=people).to_pylist()]
    [(1, 2, 2.5, 2), (2, 3, 1.0, 1)]
    """
    load_ties(con, ties, people=people)
    return team_ties_loaded(con)


def team_ties_loaded(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """:func:`team_ties` of the tie table already in DuckDB (``tw_ties``, see ``analytics.tie_store``)."""
    return con.sql(load_query("team_ties")).to_arrow_table()
