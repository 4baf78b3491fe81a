"""The structure of a window's network, checked against networkx computed independently on the same ties."""

from __future__ import annotations

import random
from datetime import date

import networkx as nx
import pyarrow as pa
import pytest

from teamweave.analytics.centrality import betweenness_error
from teamweave.analytics.communities import leiden, normalized_mutual_information
from teamweave.analytics.graph import tie_graph
from teamweave.analytics.pipeline import connect
from teamweave.analytics.structure import LEIDEN_ITERATIONS, structure_loaded, window_structure
from teamweave.analytics.tie_store import load_ties


def _random_ties(people: int, pairs: int, seed: int) -> pa.Table:
    rng = random.Random(seed)
    seen: dict[tuple[str, str], tuple[float, bool]] = {}
    names = [f"p{i:03d}" for i in range(people)]
    while len(seen) < pairs:
        a, b = sorted(rng.sample(names, 2))
        seen[(a, b)] = (round(rng.uniform(0.2, 12.0), 2), rng.random() < 0.6)
    rows = sorted(seen.items())
    return pa.table(
        {
            "a": [a for (a, _), _ in rows],
            "b": [b for (_, b), _ in rows],
            "weight": [w for _, (w, _) in rows],
            "strong": [s for _, (_, s) in rows],
        }
    )


def _nx(ties: pa.Table, *, strong_only: bool, nodes: list[str]) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    for row in ties.to_pylist():
        if row["strong"] or not strong_only:
            graph.add_edge(row["a"], row["b"], weight=row["weight"])
    return graph


def test_person_measures_on_strong_ties_match_networkx() -> None:
    ties = _random_ties(40, 160, seed=3)
    teams = {f"p{i:03d}": i % 4 for i in range(36)}  # four people have no team
    found = window_structure(ties, teams=teams)
    people = found.persons.column("person").to_pylist()
    strong = _nx(ties, strong_only=True, nodes=people)
    expected_between = nx.betweenness_centrality(strong, normalized=True)
    expected_constraint = nx.constraint(strong, weight="weight")
    expected_size = nx.effective_size(strong, weight="weight", nodes=people)
    expected_clustering = nx.clustering(strong)
    assert found.betweenness_pivots == 0
    assert found.betweenness_error == 0.0
    for row in found.persons.to_pylist():
        person, degree = row["person"], strong.degree(row["person"])
        assert row["betweenness"] == pytest.approx(expected_between[person], abs=1e-9)
        if degree == 0:
            assert row["burt_constraint"] is None
            assert row["effective_size"] is None
        else:
            assert row["burt_constraint"] == pytest.approx(expected_constraint[person])
            assert row["effective_size"] == pytest.approx(expected_size[person])
        if degree < 2:
            assert row["clustering"] is None
        else:
            assert row["clustering"] == pytest.approx(expected_clustering[person])
    assert found.strong_ties == strong.number_of_edges()
    assert found.ties == 160
    assert found.people == len(people)


def test_communities_modularity_and_team_match() -> None:
    ties = _random_ties(40, 160, seed=5)
    teams = {f"p{i:03d}": i % 4 for i in range(36)}
    found = window_structure(ties, teams=teams)
    people = found.persons.column("person").to_pylist()
    whole = _nx(ties, strong_only=False, nodes=people)
    groups = leiden(tie_graph(ties), seed=1, iterations=LEIDEN_ITERATIONS)
    partition = [{p for p, g in groups.items() if g == label} for label in set(groups.values())]
    assert found.modularity == pytest.approx(nx.community.modularity(whole, partition, weight="weight"))
    assert found.communities == sum(1 for part in partition if len(part) >= 2)
    with_team = {p: teams[p] for p in people if p in teams}
    assert found.team_nmi == pytest.approx(normalized_mutual_information({p: groups[p] for p in with_team}, with_team))


def test_two_team_cliques_joined_by_one_person() -> None:
    """Two strong triangles, one per team, and a broker with strong ties into both."""
    pairs = [("a", "b"), ("a", "c"), ("b", "c"), ("d", "e"), ("d", "f"), ("e", "f"), ("a", "x"), ("d", "x")]
    ties = pa.table({"a": [p for p, _ in pairs], "b": [q for _, q in pairs], "weight": [9.0] * 8, "strong": [True] * 8})
    found = window_structure(ties, teams={"a": 1, "b": 1, "c": 1, "d": 2, "e": 2, "f": 2, "x": 1})
    by = {row["person"]: row for row in found.persons.to_pylist()}
    assert by["x"]["burt_constraint"] == pytest.approx(0.5)  # two contacts, not tied to each other
    assert by["x"]["effective_size"] == pytest.approx(2.0)
    assert by["x"]["clustering"] == 0.0
    assert max(by, key=lambda p: by[p]["betweenness"]) == "x"
    assert by["b"]["betweenness"] == 0.0


def test_large_window_samples_betweenness_with_its_documented_error() -> None:
    ties = _random_ties(60, 200, seed=7)
    found = window_structure(ties, teams={}, exact_limit=30, pivots=20)
    assert found.betweenness_pivots == 20
    assert found.betweenness_error == pytest.approx(betweenness_error(found.people, pivots=20))
    assert found.team_nmi is None  # nobody has a team


def test_no_ties_gives_an_empty_structure() -> None:
    empty = pa.table(
        {
            "a": pa.array([], pa.string()),
            "b": pa.array([], pa.string()),
            "weight": pa.array([], pa.float64()),
            "strong": pa.array([], pa.bool_()),
        }
    )
    found = window_structure(empty, teams={})
    assert (found.people, found.ties, found.communities, found.modularity, found.team_nmi) == (0, 0, 0, None, None)
    assert found.persons.num_rows == 0


def test_loaded_windows_use_the_strong_rule_of_the_period() -> None:
    """A reciprocated month tie is strong from 8 tie units (a weekly 1:1): 7.99 is not, 8 is."""
    con = connect()
    jan, feb = date(2024, 1, 1), date(2024, 2, 1)
    rows = [
        (jan, "a", "b", 8.0, True),
        (jan, "b", "c", 7.99, True),
        (jan, "a", "c", 20.0, False),
        (feb, "a", "b", 1.0, True),
    ]
    load_ties(
        con,
        pa.table(
            {
                "window_start": pa.array([r[0] for r in rows], pa.date32()),
                "a": [r[1] for r in rows],
                "b": [r[2] for r in rows],
                "weight": [r[3] for r in rows],
                "reciprocated": [r[4] for r in rows],
            }
        ),
    )
    people = pa.table({"pseudonym": ["a", "b", "c"], "team_id": pa.array([1, 1, None], pa.int64())})
    calls: list[None] = []
    persons, windows = structure_loaded(
        con, period="month", people=people, windows=[jan, feb, date(2024, 3, 1)], progress=lambda: calls.append(None)
    )
    assert len(calls) == 3
    assert windows.column("window_start").to_pylist() == [jan, feb]  # March has no ties: no row
    assert windows.column("strong_ties").to_pylist() == [1, 0]
    assert windows.column("ties").to_pylist() == [3, 1]
    january = {r["person"]: r for r in persons.to_pylist() if r["window_start"] == jan}
    assert january["a"]["burt_constraint"] == pytest.approx(1.0)  # one strong contact: b
    assert january["c"]["burt_constraint"] is None  # no strong tie


def test_loaded_windows_equal_the_table_path() -> None:
    """The pipeline's integer-id graphs give exactly what window_structure gives from the names."""
    ties = _random_ties(60, 300, seed=11)
    month = date(2024, 3, 1)
    strong = ties.column("strong").to_pylist()
    weights = [w if s else min(w, 7.0) for w, s in zip(ties.column("weight").to_pylist(), strong, strict=True)]
    table = pa.table(
        {
            "window_start": pa.array([month] * ties.num_rows, pa.date32()),
            "a": ties.column("a"),
            "b": ties.column("b"),
            "weight": [max(w, 8.0) if s else w for w, s in zip(weights, strong, strict=True)],
            "reciprocated": strong,
        }
    )
    con = connect()
    load_ties(con, table)
    teams = {f"p{i:03d}": i % 5 for i in range(50)}
    people = pa.table({"pseudonym": list(teams), "team_id": pa.array(list(teams.values()), pa.int64())})
    persons, windows = structure_loaded(con, period="month", people=people, windows=[month])
    expected = window_structure(
        table.select(["a", "b", "weight"]).append_column("strong", pa.array(strong)), teams=teams
    )
    assert persons.drop_columns(["window_start"]).to_pylist() == expected.persons.to_pylist()
    row = windows.to_pylist()[0]
    assert {k: row[k] for k in expected.summary()} == expected.summary()
