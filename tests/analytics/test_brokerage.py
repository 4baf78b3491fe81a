"""Burt's constraint and effective size on canonical graphs and a weighted example checked with networkx."""

from __future__ import annotations

import math
import random
from itertools import combinations

import igraph as ig
import networkx as nx
import pytest

from teamweave.analytics import brokerage
from teamweave.analytics.brokerage import constraint, effective_size
from teamweave.analytics.graph import edge_graph, edge_weights, names


def _bridged_cliques() -> list[tuple[str, str]]:
    left = [f"a{i}" for i in range(1, 5)]
    right = [f"b{i}" for i in range(1, 5)]
    return list(combinations(left, 2)) + list(combinations(right, 2)) + [("x", "a1"), ("x", "b1")]


def test_star_centre_is_the_broker() -> None:
    g = edge_graph([("c", x) for x in "vwxy"])
    assert constraint(g)["c"] == pytest.approx(0.25)
    assert effective_size(g) == {"c": 4.0, "v": 1.0, "w": 1.0, "x": 1.0, "y": 1.0}


def test_bridge_person_spans_a_structural_hole() -> None:
    g = edge_graph(_bridged_cliques())
    c = constraint(g)
    assert c["x"] == pytest.approx(0.5)  # two contacts, not tied: 2 * (1/2)^2
    assert c["x"] < c["a2"]
    assert effective_size(g)["x"] == 2.0
    assert effective_size(g)["a2"] == pytest.approx(3 - 2 * 3 / 3)


def test_isolate_is_undefined() -> None:
    g = edge_graph([("a", "b")], nodes=["z"])
    assert math.isnan(constraint(g)["z"])
    assert math.isnan(effective_size(g)["z"])
    assert effective_size(edge_graph([])) == {}


def test_weighted_matches_networkx() -> None:
    edges = [("a", "b", 3.0), ("a", "c", 1.0), ("b", "c", 2.0), ("c", "d", 0.5), ("d", "e", 4.0), ("a", "e", 1.5)]
    reference = nx.Graph()
    reference.add_weighted_edges_from(edges)
    g = edge_graph(edges)
    assert constraint(g, weight="weight") == pytest.approx(nx.constraint(reference, weight="weight"))
    # nodes= takes networkx's per-node path: its all-nodes sparse path (3.6) scales m_jq by q's strongest tie
    # instead of j's (Burt 1992), e.g. 2.4545 instead of 2.3333 for "a" here (networkx PR #8906, open)
    expected = nx.effective_size(reference, weight="weight", nodes=list(reference))
    assert effective_size(g, weight="weight") == pytest.approx(expected)


def test_directed_ties_count_once_each_way_summed() -> None:
    g = edge_graph([("a", "b"), ("b", "a"), ("a", "c")], directed=True)
    undirected = edge_graph([("a", "b", 2.0), ("a", "c", 1.0)])
    assert constraint(g, weight="weight") == pytest.approx(constraint(undirected, weight="weight"))


def _definition(graph: ig.Graph, weight: str | None) -> dict[str, float]:
    """Effective size straight from its definition, in dict loops (the implementation before the triangle one)."""
    g = graph.as_undirected(mode="collapse", combine_edges="sum") if graph.is_directed() else graph
    tie: list[dict[int, float]] = [{} for _ in range(g.vcount())]
    for edge, w in zip(g.es, edge_weights(g, weight) or [1.0] * g.ecount(), strict=True):
        a, b = edge.tuple
        if a != b:
            tie[a][b] = tie[a].get(b, 0.0) + w
            tie[b][a] = tie[b].get(a, 0.0) + w
    result = {}
    for i, name in enumerate(names(g)):
        contacts, total = tie[i], sum(tie[i].values())
        size = math.nan if not contacts or total <= 0 else 0.0
        for j in contacts:
            strongest = max(tie[j].values())
            size -= sum(contacts[q] / total * tie[j][q] / strongest for q in contacts if q != j and q in tie[j]) - 1
        result[name] = size
    return result


def _random_graph(seed: int, n: int) -> ig.Graph:
    """A random weighted multigraph with self-ties, repeated ties, directed half the time and some isolates."""
    rng = random.Random(seed)
    ends = [(rng.randrange(n), rng.randrange(n)) for _ in range(4 * n)]
    ends += [(rng.randrange(n // 4), rng.randrange(n // 4)) for _ in range(2 * n)]  # a dense core: triangles
    g = ig.Graph(n=n + 3, edges=ends, directed=seed % 2 == 1)
    g.vs["name"] = [f"p{i}" for i in range(n + 3)]
    g.es["weight"] = [rng.choice([1.0, 0.5, rng.uniform(0.01, 5.0)]) for _ in ends]
    return g


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("weight", [None, "weight"])
def test_matches_the_definition_on_random_graphs(seed: int, weight: str | None) -> None:
    g = _random_graph(seed, 300)
    expected = _definition(g, weight)
    got = effective_size(g, weight=weight)
    assert got == pytest.approx(expected, nan_ok=True)
    assert sum(math.isnan(v) for v in got.values()) == 3
    assert sum(not v.is_integer() for v in got.values() if not math.isnan(v)) > 10  # redundancy: triangles


def test_triangles_found_once_across_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    g = _random_graph(7, 120)
    expected = effective_size(g, weight="weight")
    monkeypatch.setattr(brokerage, "_BATCH", 5)
    assert effective_size(g, weight="weight") == pytest.approx(expected, nan_ok=True)
    assert expected == pytest.approx(_definition(g, "weight"), nan_ok=True)
