"""The structure of one window's network: communities against the formal teams, and each person's place in it.

Two graphs of the same people (everyone with a tie in the window):

- the **whole network** (every tie, weighted by depth) is split into communities by Leiden (seeded), scored by
  modularity, and compared with the formal teams by normalised mutual information: do people work in the
  teams the org chart draws, or across them?
- the **strong-tie network** (reciprocated ties of at least the period's strong weight, docs/metrics.md) gives
  each person's brokerage (Burt's constraint and effective size, weighted), local clustering and betweenness.

Why strong ties for the person measures: Burt's structural holes are holes between a person's *working
relationships*; over every tie of a large org (one e-mail to a 40-person list is a tie to 40 people) nearly
everyone looks like a broker, and the cost of these measures grows with the square of degree (the yearly graph
of 50,000 synthetic people has 14M ties and 590M triangles; its strong ties are a small fraction of that).
Betweenness counts hops (an unweighted path through working relationships) and is exact up to
:data:`EXACT_LIMIT` people, else estimated from :data:`PIVOTS` sampled sources with the documented error
(:func:`teamweave.analytics.centrality.betweenness_error`).
"""

from __future__ import annotations

import math
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import igraph as ig
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.analytics.brokerage import constraint, effective_size
from teamweave.analytics.centrality import betweenness, betweenness_error, betweenness_sample
from teamweave.analytics.cohesion import local_clustering
from teamweave.analytics.communities import leiden, modularity, normalized_mutual_information
from teamweave.analytics.graph import edge_list, names, tie_graph
from teamweave.analytics.ties import strong_threshold

EXACT_LIMIT = 2_000
"""Up to this many people betweenness is exact (Brandes 2001); above, sampled from :data:`PIVOTS` sources."""
PIVOTS = 500
"""Sources drawn for sampled betweenness: error <= 0.061 (normalised, 95% confidence) at any size."""
SEED = 1
"""Seed of Leiden and of the pivot draw: equal input gives equal output."""
LEIDEN_ITERATIONS = 2
"""Leiden iterations per window (igraph's default). On the synthetic yearly graph of 50,000 people (11.2M ties)
iterating until nothing changes took 5x as long (50 s against 10 s) for the same modularity (0.6903)."""

PERSON_SCHEMA = pa.schema(
    [
        ("person", pa.string()),
        ("betweenness", pa.float64()),
        ("burt_constraint", pa.float64()),
        ("effective_size", pa.float64()),
        ("clustering", pa.float64()),
    ]
)


@dataclass(frozen=True)
class Structure:
    """One window's structure: the whole network's figures and one row per person (:data:`PERSON_SCHEMA`)."""

    people: int
    ties: int
    strong_ties: int
    communities: int
    modularity: float | None
    team_nmi: float | None
    betweenness_pivots: int
    betweenness_error: float
    seconds: float
    persons: pa.Table
    timings: dict[str, float]

    def summary(self) -> dict[str, object]:
        """The window's figures as a ``network_structure`` row (without org, period and window)."""
        return {
            "people": self.people,
            "ties": self.ties,
            "strong_ties": self.strong_ties,
            "communities": self.communities,
            "modularity": self.modularity,
            "team_nmi": self.team_nmi,
            "betweenness_pivots": self.betweenness_pivots,
            "betweenness_error": self.betweenness_error,
        }


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def window_structure(
    ties: pa.Table,
    *,
    teams: Mapping[str, int | None],
    seed: int = SEED,
    exact_limit: int = EXACT_LIMIT,
    pivots: int = PIVOTS,
) -> Structure:
    """Communities, modularity and team NMI of the whole network, and each person's strong-tie brokerage,
    clustering and betweenness, for one window's ties (``a, b, weight, strong``: one row per pair).

    ``teams`` maps a pseudonym to its formal team (None or missing: no team). Units: ``betweenness`` a share
    0..1 (normalised over the pairs of others); ``burt_constraint`` an index about 0..1 (low: a broker);
    ``effective_size`` contacts; ``clustering`` a share 0..1; ``team_nmi`` 0..1 (1: the communities are the
    teams); ``modularity`` -0.5..1. Per person, ``burt_constraint`` and ``effective_size`` are None without a
    strong tie and ``clustering`` is None with fewer than two strong contacts (there is nothing to measure).

    ``communities`` counts communities of at least two people (a person without ties to anyone else in the
    window is not a community). ``team_nmi`` is computed over the people who have a team, and is None when
    fewer than two of them have ties; ``modularity`` is None without ties.

    References
    ----------
    .. [1] Traag, Waltman & van Eck (2019), Leiden; Newman & Girvan (2004), modularity; Danon et al. (2005),
       NMI; Burt (1992), constraint and effective size; Watts & Strogatz (1998), clustering; Brandes (2001)
       and Brandes & Pich (2007), betweenness. Full references in the functions used and docs/metrics.md.

    Examples
    --------
    Two teams of three, each a triangle of strong ties, joined by one weak tie c-d:

    >>> ties = pa.table({"a": ["a", "a", "b", "c", "d", "d", "e"], "b": ["b", "c", "c", "d", "e", "f", "f"],
    ...                  "weight": [9.0, 9.0, 9.0, 1.0, 9.0, 9.0, 9.0], "strong": [True] * 3 + [False] + [True] * 3})
    >>> s = window_structure(ties, teams={"a": 1, "b": 1, "c": 1, "d": 2, "e": 2, "f": 2})
    >>> s.people, s.ties, s.strong_ties, s.communities, s.team_nmi, s.betweenness_pivots
    (6, 7, 6, 2, 1.0, 0)
    >>> s.persons.column("clustering").to_pylist()
    [1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    """
    clock = time.perf_counter()
    whole = tie_graph(ties)
    strong_graph = tie_graph(ties.filter(pc.equal(ties.column("strong"), True)), nodes=names(whole))
    built = time.perf_counter() - clock
    return graph_structure(
        whole, strong_graph, teams=teams, seed=seed, exact_limit=exact_limit, pivots=pivots, built=built
    )


def graph_structure(
    whole: ig.Graph,
    strong_graph: ig.Graph,
    *,
    teams: Mapping[str, int | None],
    seed: int = SEED,
    exact_limit: int = EXACT_LIMIT,
    pivots: int = PIVOTS,
    built: float = 0.0,
) -> Structure:
    """:func:`window_structure` of graphs already built: ``whole`` (every tie, edge ``weight``) and
    ``strong_graph`` (its strong ties, on the same vertices in the same order). ``built`` is the seconds it
    took to build them (reported as the ``graph`` timing)."""
    start = clock = time.perf_counter()
    timings: dict[str, float] = {"graph": round(built, 3)}

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[step] = round(now - clock, 3)
        clock = now

    people = list(names(whole))
    groups = leiden(whole, seed=seed, iterations=LEIDEN_ITERATIONS) if whole.ecount() else {}
    sizes = Counter(groups.values())
    found_modularity = modularity(whole, groups) if whole.ecount() else None
    formal = {p: team for p in people if (team := teams.get(p)) is not None}
    team_nmi = normalized_mutual_information({p: groups[p] for p in formal}, formal) if len(formal) >= 2 else None
    lap("communities")
    n = strong_graph.vcount()
    if n <= exact_limit:
        between, used, error = betweenness(strong_graph), 0, 0.0
    else:
        between = betweenness_sample(strong_graph, pivots=pivots, seed=seed)
        used, error = pivots, betweenness_error(n, pivots=pivots)
    lap("betweenness")
    constraints = constraint(strong_graph, weight="weight")
    lap("constraint")
    sizes_eff = effective_size(strong_graph, weight="weight")
    lap("effective_size")
    clustering = local_clustering(strong_graph)
    lap("clustering")
    degrees = strong_graph.degree()
    persons = pa.table(
        {
            "person": people,
            "betweenness": [between[p] for p in people],
            "burt_constraint": [_finite(constraints[p]) for p in people],
            "effective_size": [_finite(sizes_eff[p]) for p in people],
            "clustering": [clustering[p] if d >= 2 else None for p, d in zip(people, degrees, strict=True)],
        },
        schema=PERSON_SCHEMA,
    )
    return Structure(
        people=len(people),
        ties=whole.ecount(),
        strong_ties=strong_graph.ecount(),
        communities=sum(1 for size in sizes.values() if size >= 2),
        modularity=found_modularity,
        team_nmi=team_nmi,
        betweenness_pivots=used,
        betweenness_error=error,
        seconds=round(built + time.perf_counter() - start, 3),
        persons=persons,
        timings=timings,
    )


STRUCTURE_PERIODS = ("month",)
"""Periods whose windows get structural metrics: a week is too thin a slice of work for community and
brokerage structure (and computing them for 52 weeks a year would multiply the cost)."""


def structure_loaded(
    con: duckdb.DuckDBPyConnection,
    *,
    period: str,
    people: pa.Table,
    windows: Sequence[date],
    progress: Callable[[], None] | None = None,
    timings: Callable[[dict[str, float]], None] | None = None,
) -> tuple[pa.Table, pa.Table]:
    """:func:`window_structure` of each of ``windows`` of the tie table in DuckDB (``tw_ties``, see
    ``analytics.tie_store``), with the strong rule of ``period`` and the teams of ``people``.

    Returns the person rows (``window_start`` and :data:`PERSON_SCHEMA`) and one ``network_structure`` row per
    window that has ties (``window_start`` and the fields of :meth:`Structure.summary`). ``progress`` is
    called after each window, ``timings`` with each window's seconds per step (:attr:`Structure.timings`)."""
    strong = strong_threshold(period=period)
    pairs = zip(people.column("pseudonym").to_pylist(), people.column("team_id").to_pylist(), strict=True)
    teams = dict(pairs)
    person_parts: list[pa.Table] = []
    summaries: list[dict[str, object]] = []
    for window in sorted(windows):
        built = time.perf_counter()
        graphs = _window_graphs(con, window=window, strong=strong)
        if graphs is not None:
            found = graph_structure(*graphs, teams=teams, built=time.perf_counter() - built)
            day = pa.array([window] * found.persons.num_rows, type=pa.date32())
            person_parts.append(found.persons.add_column(0, "window_start", day))
            summaries.append({"window_start": window, **found.summary()})
            if timings is not None:
                timings(found.timings)
        if progress is not None:
            progress()
    schema = pa.schema([("window_start", pa.date32()), *PERSON_SCHEMA])
    persons = pa.concat_tables(person_parts) if person_parts else schema.empty_table()
    empty = pa.table({"window_start": pa.array([], pa.date32())})
    return persons, pa.Table.from_pylist(summaries) if summaries else empty


def _window_graphs(con: duckdb.DuckDBPyConnection, *, window: date, strong: float) -> tuple[ig.Graph, ig.Graph] | None:
    """The whole and the strong-tie graph of one window of ``tw_ties``, built from its integer ids (no strings,
    no sort in Python: DuckDB numbers the window's people in pseudonym order and orders the pairs), so the
    same graphs as :func:`~teamweave.analytics.graph.tie_graph` of the window's rows; None without ties."""
    con.execute(
        """CREATE OR REPLACE TEMP TABLE tw_window_ties AS
        SELECT a_id, b_id, weight, coalesce(reciprocated AND weight >= $strong - 1e-9, false) AS strong
        FROM tw_ties WHERE window_start = $window AND weight > 0 AND a_id <> b_id""",
        {"strong": strong, "window": window},
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE tw_window_people AS
        SELECT id, (row_number() OVER (ORDER BY id) - 1)::BIGINT AS vertex
        FROM (SELECT a_id AS id FROM tw_window_ties UNION SELECT b_id FROM tw_window_ties)"""
    )
    ties = con.sql(
        """SELECT least(va.vertex, vb.vertex) AS low, greatest(va.vertex, vb.vertex) AS high,
            sum(t.weight)::DOUBLE AS weight, bool_or(t.strong) AS strong
        FROM tw_window_ties AS t
        JOIN tw_window_people AS va ON va.id = t.a_id
        JOIN tw_window_people AS vb ON vb.id = t.b_id
        GROUP BY ALL ORDER BY low, high"""
    ).to_arrow_table()
    if ties.num_rows == 0:
        return None
    people = con.sql(
        """SELECT n.name FROM tw_window_people AS p JOIN tw_tie_names AS n ON n.id = p.id ORDER BY p.vertex"""
    ).to_arrow_table()
    ends = np.column_stack([ties.column(c).to_numpy() for c in ("low", "high")])
    whole = ig.Graph(n=people.num_rows, edges=edge_list(ends))
    del ends
    whole.vs["name"] = people.column("name").to_pylist()
    whole.es["weight"] = ties.column("weight").to_numpy().tolist()
    strong_edges = np.flatnonzero(ties.column("strong").to_numpy(zero_copy_only=False))
    return whole, whole.subgraph_edges(strong_edges.tolist(), delete_vertices=False)
