"""Who carries the bridges: cut points of the tie network and the single links between teams.

*What breaks if one person leaves.* A **cut point** (articulation point) is a person whose removal splits the
network: some people would lose their only path to others. A team's **thin links** are the other teams it
reaches through fewer than k of its members (at least 2): lose one or two people and the team loses touch.
A person is their team's **sole link** to another team when they alone carry every tie from the team to it.
"""

from __future__ import annotations

import duckdb
import igraph as ig
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.analytics.graph import edge_list, names
from teamweave.analytics.queries import load_query
from teamweave.analytics.tie_store import load_ties, tie_ids


def cut_points(graph: ig.Graph) -> set[str]:
    """The people whose removal disconnects part of ``graph``: its articulation points. Unit: people.

    Computed with Hopcroft & Tarjan's depth-first search (igraph ``articulation_points``), linear in the
    number of ties.

    References
    ----------
    .. [1] Hopcroft, J. & Tarjan, R. (1973). Algorithm 447: efficient algorithms for graph manipulation.
       Communications of the ACM 16(6), 372-378. https://doi.org/10.1145/362248.362272
    .. [2] Burt, R. S. (1992). Structural Holes. Harvard University Press. https://doi.org/10.4159/9780674029095

    Examples
    --------
    Two triangles joined through one bridge person ``x``; a path ``p - q - r`` hangs off nobody:

    >>> from teamweave.analytics.graph import edge_graph
    >>> g = edge_graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "x"), ("x", "d"),
    ...                 ("d", "e"), ("e", "f"), ("d", "f"), ("p", "q"), ("q", "r")])
    >>> sorted(cut_points(g))
    ['c', 'd', 'q', 'x']
    >>> cut_points(edge_graph([("a", "b"), ("b", "c"), ("a", "c")]))
    set()
    """
    labels = names(graph)
    return {labels[i] for i in graph.articulation_points()}


def cut_point_table(ties: pa.Table) -> pa.Table:
    """Per window, the people who are cut points of that window's tie network: ``window_start, person``.

    Pseudonyms are numbered once for all windows (vectorised) so each window's graph is built from integer
    pairs: ~5x faster than building a named graph per window.

    Examples
    --------
    >>> from datetime import date
    >>> w = date(2024, 1, 1)
    >>> ties = pa.table({"window_start": [w] * 3, "a": ["a", "b", "c"], "b": ["b", "c", "d"], "weight": [1.0] * 3})
    >>> sorted(cut_point_table(ties).column("person").to_pylist())
    ['b', 'c']
    """
    kind = ties.schema.field("window_start").type
    ordered = ties.sort_by([("window_start", "ascending")])
    vocabulary = pc.unique(pa.concat_arrays([ordered.column(end).combine_chunks() for end in ("a", "b")]))
    ends = np.column_stack(
        [pc.index_in(ordered.column(end), value_set=vocabulary).to_numpy() for end in ("a", "b")]
    ).astype(np.int64)
    days = ordered.column("window_start").combine_chunks().to_numpy(zero_copy_only=False)
    cuts = [0, *(np.flatnonzero(np.diff(days)) + 1).tolist(), len(days)]  # one slice per window, no rescans
    labels = vocabulary.to_pylist()
    windows: list[object] = []
    people: list[str] = []
    for begin, end in zip(cuts[:-1], cuts[1:], strict=True):
        if end == begin:
            continue
        graph = ig.Graph(n=len(labels), edges=edge_list(ends[begin:end]))
        found = sorted(labels[i] for i in graph.articulation_points())
        windows.extend([ordered.column("window_start")[begin].as_py()] * len(found))
        people.extend(found)
    return pa.table({"window_start": pa.array(windows, type=kind), "person": pa.array(people, pa.string())})


def team_links(con: duckdb.DuckDBPyConnection, ties: pa.Table, *, people: pa.Table) -> pa.Table:
    """Per window, team and other team: ``carriers``, the team's members with a tie to that other team, and
    ``sole_carrier``, the one member when there is exactly one (else null). Unit: people.

    Examples
    --------
    Team 1 (a, b) reaches team 2 (c, d) through a and b, and team 3 (e) through b alone:

    >>> from datetime import date
    >>> from teamweave.analytics.ties import people_table
    >>> people = people_table([("a", 1, "UTC"), ("b", 1, "UTC"), ("c", 2, "UTC"), ("d", 2, "UTC"), ("e", 3, "UTC")])
    >>> ties = pa.table({"window_start": [date(2024, 1, 1)] * 4, "a": ["a", "a", "b", "b"],
    ...                  "b": ["c", "d", "c", "e"], "weight": [1.0] * 4})
    >>> for r in team_links(duckdb.connect(), ties, people=people).to_pylist():
    ...     print(r["team_id"], r["other_team"], r["carriers"], r["sole_carrier"])
    1 2 2 None
    1 3 1 b
    2 1 2 None
    3 1 1 e
    """
    load_ties(con, ties.select(["window_start", "a", "b"]), people=people)
    return team_links_loaded(con)


def team_links_loaded(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """:func:`team_links` of the tie table already in DuckDB (``tw_ties``, see ``analytics.tie_store``)."""
    return con.sql(load_query("team_links")).to_arrow_table()


def cut_points_loaded(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """:func:`cut_point_table` of the tie table already in DuckDB (``tw_ties``): the same rows, built from the
    integer ids DuckDB holds, without fetching or numbering the pseudonyms of every tie."""
    ends, days, labels = tie_ids(con)
    cuts = [0, *(np.flatnonzero(np.diff(days)) + 1).tolist(), len(days)]
    windows: list[int] = []
    people: list[str] = []
    for begin, end in zip(cuts[:-1], cuts[1:], strict=True):
        if end == begin:
            continue
        graph = ig.Graph(n=len(labels), edges=edge_list(ends[begin:end]))
        found = sorted(graph.articulation_points())  # ids are numbered in name order
        windows.extend([int(days[begin])] * len(found))
        people.extend(labels[i] for i in found)
    starts = pa.array(windows, type=pa.int32()).cast(pa.date32())
    return pa.table({"window_start": starts, "person": pa.array(people, pa.string())})
