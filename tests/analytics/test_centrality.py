"""Centrality on canonical graphs (star, path, two cliques joined by one bridge person, empty) and the
sampled-pivot betweenness estimate against the exact value."""

from __future__ import annotations

from itertools import combinations

import igraph as ig
import pytest

from teamweave.analytics.centrality import (
    betweenness,
    betweenness_error,
    betweenness_sample,
    closeness,
    degree,
    pagerank,
    strength,
)
from teamweave.analytics.graph import edge_graph
from teamweave.errors import TeamweaveError

STAR = [("c", x) for x in "vwxy"]
PATH = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")]


def _two_cliques() -> ig.Graph:
    """Cliques {a1..a4} and {b1..b4}; the bridge person ``x`` is tied to a1 and b1 only."""
    left = [f"a{i}" for i in range(1, 5)]
    right = [f"b{i}" for i in range(1, 5)]
    edges = list(combinations(left, 2)) + list(combinations(right, 2)) + [("x", "a1"), ("x", "b1")]
    return edge_graph(edges)


def test_star() -> None:
    g = edge_graph(STAR)
    assert degree(g) == {"c": 4, "v": 1, "w": 1, "x": 1, "y": 1}
    assert betweenness(g)["c"] == 1.0  # every pair of leaves goes through the centre
    assert betweenness(g, normalized=False)["c"] == 6.0
    assert closeness(g)["c"] == 1.0
    ranks = pagerank(g)
    assert sum(ranks.values()) == pytest.approx(1.0)
    assert ranks["c"] > ranks["v"] == pytest.approx(ranks["y"])


def test_path() -> None:
    g = edge_graph(PATH)
    assert betweenness(g, normalized=False) == {"a": 0.0, "b": 3.0, "c": 4.0, "d": 3.0, "e": 0.0}
    assert closeness(g)["c"] == pytest.approx(4 / 6)
    assert closeness(g)["a"] == pytest.approx(4 / 10)


def test_bridge_person_carries_all_traffic_between_cliques() -> None:
    g = _two_cliques()
    between = betweenness(g, normalized=False)
    # x lies on every path between the 4 x 4 cross pairs; a1 (and b1) on those between its clique and x or the other
    assert between["x"] == 16.0
    assert between["a1"] == 3 * 5  # a2..a4 to x, b1..b4
    assert between["a2"] == 0.0
    assert degree(g)["x"] == 2


def test_strength_sums_weights_and_merges_repeats() -> None:
    g = edge_graph([("a", "b", 2.0), ("b", "a", 1.0), ("a", "c", 0.5)])
    assert strength(g) == {"a": 3.5, "b": 3.0, "c": 0.5}
    assert degree(g) == {"a": 2, "b": 1, "c": 1}


def test_weighted_paths_prefer_strong_ties() -> None:
    # a-b-c strong (weight 4 each: length 0.5), a-c weak (weight 1: length 1): the path through b is shorter
    g = edge_graph([("a", "b", 4.0), ("b", "c", 4.0), ("a", "c", 1.0)])
    assert betweenness(g, weight="weight", normalized=False)["b"] == 1.0
    assert betweenness(g, normalized=False)["b"] == 0.0


def test_empty_graph() -> None:
    g = edge_graph([])
    assert degree(g) == {}
    assert betweenness(g) == {}
    assert closeness(g) == {}
    assert pagerank(g) == {}
    lone = edge_graph([], nodes=["p"])
    assert closeness(lone) == {"p": 0.0}
    assert betweenness(lone) == {"p": 0.0}


def test_sample_with_every_pivot_is_exact() -> None:
    g = _two_cliques()
    assert betweenness_sample(g, pivots=g.vcount(), seed=3) == pytest.approx(betweenness(g))
    assert betweenness_sample(g, pivots=100, seed=3) == pytest.approx(betweenness(g))


def test_sample_is_seeded_and_within_its_bound() -> None:
    g = ig.Graph.Barabasi(400, 3, directed=False)
    g.vs["name"] = [f"p{i:03d}" for i in range(g.vcount())]
    g.es["weight"] = [1.0] * g.ecount()
    exact = betweenness(g)
    first = betweenness_sample(g, pivots=60, seed=11)
    assert first == betweenness_sample(g, pivots=60, seed=11)
    bound = betweenness_error(g.vcount(), pivots=60, confidence=0.99)
    assert max(abs(first[n] - exact[n]) for n in exact) <= bound


def test_sample_rejects_no_pivots() -> None:
    with pytest.raises(TeamweaveError):
        betweenness_sample(edge_graph(PATH), pivots=0, seed=1)
    with pytest.raises(TeamweaveError):
        betweenness_error(10, pivots=2, confidence=1.0)


def test_error_bound_shrinks_with_pivots() -> None:
    assert betweenness_error(1000, pivots=400) == pytest.approx(betweenness_error(1000, pivots=100) / 2)
    assert betweenness_error(10, pivots=10) == 0.0


def test_directed_graph_follows_direction() -> None:
    g = edge_graph([("a", "b"), ("b", "c")], directed=True)
    assert betweenness(g, normalized=False)["b"] == 1.0
    assert degree(g) == {"a": 1, "b": 2, "c": 1}
    ranks = pagerank(g)
    assert ranks["c"] > ranks["b"] > ranks["a"]


def test_missing_weight_attribute_is_a_located_error() -> None:
    g = edge_graph(PATH)
    with pytest.raises(TeamweaveError, match="depth"):
        betweenness(g, weight="depth")
    with pytest.raises(TeamweaveError):
        pagerank(g, weight="depth")
