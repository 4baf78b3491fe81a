"""Burt's constraint and effective size on canonical graphs and a weighted example checked with networkx."""

from __future__ import annotations

import math
from itertools import combinations

import networkx as nx
import pytest

from teamweave.analytics.brokerage import constraint, effective_size
from teamweave.analytics.graph import edge_graph


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
