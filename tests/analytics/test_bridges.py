"""Bridges: cut points, sole links between teams, thin links (analytics/bridges.py), on canonical graphs."""

from __future__ import annotations

from datetime import date
from itertools import combinations

import duckdb
import networkx as nx
import pyarrow as pa

from teamweave.analytics.bridges import cut_point_table, cut_points, team_links
from teamweave.analytics.graph import edge_graph
from teamweave.analytics.person_metrics import person_metrics
from teamweave.analytics.team_metrics import team_metrics
from teamweave.analytics.ties import people_table

W1, W2 = date(2024, 1, 1), date(2024, 1, 8)


def _bridged_cliques() -> list[tuple[str, str]]:
    """Two 4-cliques (a..d, e..h) joined through x: d - x - e."""
    return [*combinations("abcd", 2), *combinations("efgh", 2), ("d", "x"), ("x", "e")]


def test_cut_points_of_canonical_graphs_match_networkx() -> None:
    edges = _bridged_cliques()
    assert cut_points(edge_graph(edges)) == {"d", "x", "e"} == set(nx.articulation_points(nx.Graph(edges)))
    star = [("c", leaf) for leaf in "vwxyz"]
    assert cut_points(edge_graph(star)) == {"c"}
    path = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")]
    assert cut_points(edge_graph(path)) == {"b", "c", "d"}
    assert cut_points(edge_graph(combinations("abcde", 2))) == set()
    assert cut_points(edge_graph([])) == set()


def _ties(rows: list[tuple[date, str, str]]) -> pa.Table:
    return pa.table(
        {
            "window_start": pa.array([r[0] for r in rows], pa.date32()),
            "a": [min(r[1], r[2]) for r in rows],
            "b": [max(r[1], r[2]) for r in rows],
            "weight": [1.0] * len(rows),
            "reciprocated": [True] * len(rows),
        }
    )


def test_cut_points_per_window() -> None:
    ties = _ties([(W1, a, b) for a, b in _bridged_cliques()] + [(W2, "a", "b"), (W2, "b", "c"), (W2, "a", "c")])
    got = {(r["window_start"], r["person"]) for r in cut_point_table(ties).to_pylist()}
    assert got == {(W1, "d"), (W1, "x"), (W1, "e")}
    assert cut_point_table(ties.slice(0, 0)).num_rows == 0


# teams: 1 = a..d, 2 = e..h, 3 = x alone
PEOPLE = people_table([*((p, 1, "UTC") for p in "abcd"), *((p, 2, "UTC") for p in "efgh"), ("x", 3, "UTC")])


def test_team_links_and_sole_carriers() -> None:
    ties = _ties([(W1, a, b) for a, b in _bridged_cliques()] + [(W1, "a", "f"), (W1, "b", "g")])
    rows = {(r["team_id"], r["other_team"]): r for r in team_links(duckdb.connect(), ties, people=PEOPLE).to_pylist()}
    assert (rows[(1, 2)]["carriers"], rows[(1, 2)]["sole_carrier"]) == (2, None)  # a and b
    assert (rows[(1, 3)]["carriers"], rows[(1, 3)]["sole_carrier"]) == (1, "d")
    assert (rows[(3, 1)]["carriers"], rows[(3, 2)]["carriers"]) == (1, 1)
    assert rows[(2, 1)]["carriers"] == 2  # f and g


def test_person_and_team_bridges_through_the_metrics() -> None:
    ties = _ties([(W1, a, b) for a, b in _bridged_cliques()])
    con = duckdb.connect()
    con.execute(  # no interactions beyond the ties: an empty participation table
        "CREATE TEMP TABLE tw_participants "
        "(week DATE, month DATE, pid INTEGER, tool BOOLEAN, is_actor BOOLEAN, after_hours BOOLEAN, "
        "local_ts TIMESTAMP, busy_s INTEGER, message BOOLEAN, meeting_s INTEGER)"
    )
    con.execute("CREATE TEMP TABLE tw_nodes (pid INTEGER, pseudonym VARCHAR)")  # who the (no) rows' pids are
    persons = person_metrics(con, ties, people=PEOPLE, period="week")
    by_person = {r["person"]: r for r in persons.to_pylist()}
    assert {p for p, r in by_person.items() if r["cut_point"]} == {"d", "x", "e"}
    assert by_person["d"]["sole_link_teams"] == "3"  # team 1 reaches x's team through d alone
    assert by_person["x"]["sole_link_teams"] == "1 2"
    assert by_person["a"]["sole_link_teams"] is None
    teams = {r["team_id"]: r for r in team_metrics(con, ties, persons, people=PEOPLE, windows=[W1]).to_pylist()}
    assert (teams[1]["cut_points"], teams[2]["cut_points"], teams[3]["cut_points"]) == (1, 1, 1)
    # without k: teams reached through a single member
    assert (teams[1]["thin_links"], teams[2]["thin_links"], teams[3]["thin_links"]) == (1, 1, 2)
    with_k = {r["team_id"]: r for r in team_metrics(con, ties, persons, people=PEOPLE, windows=[W1], k=3).to_pylist()}
    # k = 3: only teams of at least 3 members count; team 3 (x alone) is too small to count as reached
    assert (with_k[1]["thin_links"], with_k[2]["thin_links"], with_k[3]["thin_links"]) == (0, 0, 2)
