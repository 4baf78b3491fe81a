"""Person metrics per window: ties (strong and weak), strength, cross-team and cross-site share, load, and
change over time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import duckdb
import numpy as np
import numpy.typing as npt
import pyarrow as pa

from teamweave.analytics.bridges import cut_points_loaded, team_links_loaded
from teamweave.analytics.focus import focus_table
from teamweave.analytics.load import activity_table
from teamweave.analytics.queries import load_query, load_table
from teamweave.analytics.shares import column, share, to_arrow
from teamweave.analytics.tie_store import load_ties
from teamweave.analytics.ties import CHANNELS, load_sites, strong_threshold
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


def cross_site_share(
    cross_weight: npt.ArrayLike, sited_weight: npt.ArrayLike, *, has_site: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Cross-site reach: share of a person's tie weight that goes to people of another site (office or
    location). Unit: share, 0..1.

    ``cross_weight`` is the weight of the person's ties to people of another site, ``sited_weight`` that of
    their ties to people whose site is known. Only ties whose both ends have a site count: a tie to someone
    of unknown site is neither cross-site nor same-site (unlike :func:`cross_team_share`, where no team
    counts as another team), so missing directory data does not read as reach. Undefined (NaN) for a person
    with no site, or no tie to anyone of known site. Distance cuts contact sharply (Allen 1977): ties that
    cross sites carry knowledge between places that rarely meet.

    References
    ----------
    .. [1] Allen, T. J. (1977). Managing the Flow of Technology. MIT Press.
    .. [2] Krackhardt, D. & Stern, R. N. (1988). Informal networks and organizational crises: an
       experimental simulation. Social Psychology Quarterly 51(2), 123-140. https://doi.org/10.2307/2786835

    Examples
    --------
    A star whose centre (site 1) has four ties of weight 1: two to site 2, one to site 1, one to a leaf of
    unknown site; that leaf has no share, nor has a person without a site:

    >>> cross_site_share([2, 1, 0, 1, 0], [3, 1, 1, 1, 0], has_site=[True, True, True, True, False]).tolist()
    [0.6666666666666666, 1.0, 0.0, 1.0, nan]
    """
    result = share(cross_weight, sited_weight)
    result[~np.asarray(has_site, dtype=bool)] = np.nan
    return result


def channel_shares(channel_weight: npt.ArrayLike, strength: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Share of a person's tie weight carried by one channel (chat, email, meeting, code review, in person).
    Unit: share, 0..1; the five shares of a person sum to 1. Undefined (NaN) with no ties.

    The channel mix tells whether contact is rich (meetings, in person) or lean (chat, e-mail): media
    richness theory ranks face-to-face contact richest (Daft & Lengel 1986).

    References
    ----------
    .. [1] Daft, R. L. & Lengel, R. H. (1986). Organizational information requirements, media richness and
       structural design. Management Science 32(5), 554-571. https://doi.org/10.1287/mnsc.32.5.554

    Examples
    --------
    A star whose centre has chat weight 3 of strength 4; an inactive leaf has none:

    >>> channel_shares([3.0, 1.0, 0.0], [4.0, 1.0, 0.0]).tolist()
    [0.75, 1.0, nan]
    """
    return share(channel_weight, strength)


def person_tie_stats(con: duckdb.DuckDBPyConnection, ties: pa.Table, *, people: pa.Table, period: str) -> pa.Table:
    """Per person and window: ``ties, strong_ties, weak_ties, strength, cross_team_share, cross_site_share``
    (:func:`cross_site_share`) and the channel mix ``chat_share, email_share, meeting_share,
    code_review_share, in_person_share`` (:func:`channel_shares`).

    ``ties`` is a :func:`teamweave.analytics.ties.tie_table` (``window_start, a, b, weight, reciprocated``);
    ``people`` gives each person's team and site. A tie is strong when it is reciprocated and its weight reaches
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
    load_ties(con, ties, people=people)
    load_sites(con, people)
    return tie_stats_loaded(con, period=period)


def tie_stats_loaded(con: duckdb.DuckDBPyConnection, *, period: str) -> pa.Table:
    """:func:`person_tie_stats` of the tie table already in DuckDB (``tw_ties``, see ``analytics.tie_store``),
    with the people's sites in ``tw_sites`` (``ties.load_sites``; ``ties.load_participants`` loads them)."""
    params = {"strong_weight": strong_threshold(period=period)}
    table = con.sql(load_query("person_ties"), params=params).to_arrow_table()
    weak = pa.compute.subtract(table.column("ties"), table.column("strong_ties"))
    cross = cross_team_share(
        column(table, "cross_weight"),
        column(table, "strength"),
        has_team=table.column("has_team").to_numpy(zero_copy_only=False),
    )
    sites = cross_site_share(
        column(table, "cross_site_weight"),
        column(table, "sited_weight"),
        has_site=table.column("has_site").to_numpy(zero_copy_only=False),
    )
    table = table.append_column("weak_ties", weak).append_column("cross_team_share", to_arrow(cross))
    table = table.append_column("cross_site_share", to_arrow(sites))
    shares = [f"{name}_share" for name in CHANNELS]
    for name in CHANNELS:
        mix = channel_shares(column(table, f"{name}_weight"), column(table, "strength"))
        table = table.append_column(f"{name}_share", to_arrow(mix))
    base = [
        "window_start",
        "person",
        "ties",
        "strong_ties",
        "weak_ties",
        "strength",
        "cross_team_share",
        "cross_site_share",
    ]
    return table.select(base + shares)


def person_metrics(
    con: duckdb.DuckDBPyConnection,
    ties: pa.Table,
    *,
    people: pa.Table,
    period: str,
    work_day_start: int = 8,
    work_day_end: int = 19,
) -> pa.Table:
    """Every person metric per window (the columns of ``network.models.PersonMetric``).

    Joins :func:`person_tie_stats` with ``load.activity_table`` (so call
    ``ties.load_participants`` first) and adds ``ties_change`` and ``strength_change`` against the previous
    window of the same period: a person absent from that window counts as 0 there; in the first window of
    the data both are null. Adds tie age and decay (:func:`tie_turnover`): ``new_ties`` and ``lost_ties``,
    null in the first window; and the bridges a person carries (:mod:`teamweave.analytics.bridges`):
    ``cut_point`` (their leaving would split the window's network) and ``sole_link_teams`` (the ids of the
    teams their team reaches through them alone, space-separated; null when none); and focus
    (:func:`teamweave.analytics.focus.focus_table` with the working day given): ``focus_hours`` and
    ``focus_blocks``, null without a working day in the window; and load (docs/metrics.md): ``messages_sent``
    (messages, replies, e-mails and review comments they sent to people) and ``meeting_hours`` (hours of
    meetings with a known duration that had another human; null when no meeting of the window, anyone's, had
    a known duration: the data has no calendar then, not zero hours). One row per person who took part in
    anything in the window.

    References
    ----------
    .. [1] Rogelberg, S. G., Leach, D. J., Warr, P. B. & Burnfield, J. L. (2006). "Not another meeting!" Are
       meeting time demands related to employee well-being? Journal of Applied Psychology 91(1), 83-96.
       https://doi.org/10.1037/0021-9010.91.1.83
    .. [2] Barley, S. R., Meyerson, D. E. & Grodal, S. (2011). E-mail as a source and symbol of stress.
       Organization Science 22(4), 887-906. https://doi.org/10.1287/orsc.1100.0573
    """
    check_period(period)
    load_ties(con, ties, people=people)
    load_sites(con, people)
    return person_metrics_loaded(con, period=period, work_day_start=work_day_start, work_day_end=work_day_end)


def person_metrics_loaded(
    con: duckdb.DuckDBPyConnection,
    *,
    period: str,
    work_day_start: int = 8,
    work_day_end: int = 19,
    first_window: date | None = None,
    keep: Sequence[date] | None = None,
    activity: pa.Table | None = None,
    focus: pa.Table | None = None,
) -> pa.Table:
    """:func:`person_metrics` of the tie table already in DuckDB (``tw_ties``, see ``analytics.tie_store``).

    ``first_window``: the first window of the whole data, when the participants hold a later part of it (a
    monthly pass, ``analytics.chunks``): changes and turnover are null in that window only (default: the
    first window of the participants). ``keep``: the windows whose metrics are wanted (an incremental run or
    a monthly pass; default: all). Once changes and turnover have their windows before, the ties of the
    other windows leave ``tw_ties`` (the bridges, team links and team metrics of those windows, partial or
    kept from an earlier run, would be thrown away), so their person rows hold no cut points or team links.

    ``activity`` and ``focus``: the tables ``load.activity_table`` and ``focus.focus_table`` give, when they come
    from elsewhere than the participants loaded (a quarter combined from its months, ``analytics.quarters``).

    Leaves the team links of the window in ``tw_team_links`` (``team_metrics_loaded`` reuses them)."""
    load_table(con, "tw_tie_stats", tie_stats_loaded(con, period=period))
    load_table(con, "tw_turnover", turnover_loaded(con, period=period))
    if keep is not None:
        con.execute(
            "DELETE FROM tw_ties WHERE window_start NOT IN (SELECT unnest($keep::DATE[]))", {"keep": list(keep)}
        )
    load_table(con, "tw_cut_points", cut_points_loaded(con))
    load_table(con, "tw_team_links", team_links_loaded(con))
    if focus is None:
        focus = focus_table(con, period=period, work_day_start=work_day_start, work_day_end=work_day_end)
    load_table(con, "tw_focus", focus)
    load_table(con, "tw_activity", activity if activity is not None else activity_table(con, period=period))
    params = {"period": period, "first_window": first_window}
    return con.sql(load_query("person_changes"), params=params).to_arrow_table()


def tie_turnover(con: duckdb.DuckDBPyConnection, ties: pa.Table, *, period: str) -> pa.Table:
    """Tie age and decay per person and window: ``window_start, person, new_ties, lost_ties``.

    ``new_ties`` counts the person's ties in the window that they did not have in the previous window of
    the same period (a tie is *new* when its pair had weight 0 the window before); ``lost_ties`` the ties
    of the previous window that have weight 0 in this one. Unit: ties (people). Granovetter (1973) and
    Burt (2000) show ties decay fast unless renewed; counting both flows tells churn from shrinkage.
    Windows after the last window of ``ties`` are not reported.

    References
    ----------
    .. [1] Burt, R. S. (2000). Decay functions. Social Networks 22(1), 1-28.
       https://doi.org/10.1016/S0378-8733(99)00015-5

    Examples
    --------
    A path a-b-c in week 1; in week 2 a-b remains, b-c is lost and c-d, d-e are new:

    >>> from datetime import date
    >>> w1, w2 = date(2024, 1, 1), date(2024, 1, 8)
    >>> ties = pa.table({"window_start": [w1, w1, w2, w2, w2], "a": ["a", "b", "a", "c", "d"],
    ...                  "b": ["b", "c", "b", "d", "e"]})
    >>> rows = tie_turnover(duckdb.connect(), ties, period="week").to_pylist()
    >>> {r["person"]: (r["new_ties"], r["lost_ties"]) for r in rows if r["window_start"] == w2}
    {'a': (0, 0), 'b': (0, 1), 'c': (1, 1), 'd': (2, 0), 'e': (1, 0)}
    """
    load_ties(con, ties.select(["window_start", "a", "b"]))
    return turnover_loaded(con, period=period)


def turnover_loaded(con: duckdb.DuckDBPyConnection, *, period: str) -> pa.Table:
    """:func:`tie_turnover` of the tie table already in DuckDB (``tw_ties``, see ``analytics.tie_store``)."""
    return con.sql(load_query("person_turnover"), params={"period": check_period(period)}).to_arrow_table()
