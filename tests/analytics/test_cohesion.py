"""Clustering, triangles and diameter (analytics/cohesion.py) on canonical graphs, checked with networkx."""

from __future__ import annotations

import math
from itertools import combinations

import networkx as nx
import pyarrow as pa
import pytest

from teamweave.analytics.cohesion import average_clustering, diameter, local_clustering, triangles
from teamweave.analytics.graph import edge_graph, largest_component, tie_graph
from teamweave.errors import TeamweaveError


def test_clique_star_path() -> None:
    clique = edge_graph(combinations("abcde", 2))
    assert set(local_clustering(clique).values()) == {1.0}
    assert triangles(clique)["a"] == 6  # pairs of the other four
    assert diameter(clique) == 1
    star = edge_graph([("c", x) for x in "vwxy"])
    assert average_clustering(star) == 0.0
    assert diameter(star) == 2
    assert diameter(edge_graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])) == 4


def test_empty_and_tiny_graphs() -> None:
    assert math.isnan(average_clustering(edge_graph([])))
    assert diameter(edge_graph([])) == 0
    assert diameter(edge_graph([], nodes=["p"])) == 0
    assert triangles(edge_graph([])) == {}


def test_matches_networkx_on_a_random_graph() -> None:
    reference = nx.gnm_random_graph(60, 200, seed=4)
    reference.add_nodes_from(range(60, 63))  # isolates
    g = edge_graph(((f"n{u:02d}", f"n{v:02d}") for u, v in reference.edges()), nodes=[f"n{i:02d}" for i in range(63)])
    expected = {f"n{k:02d}": v for k, v in nx.clustering(reference).items()}
    assert local_clustering(g) == pytest.approx(expected)
    assert average_clustering(g) == pytest.approx(nx.average_clustering(reference))
    assert triangles(g) == {f"n{k:02d}": v for k, v in nx.triangles(reference).items()}
    giant = reference.subgraph(max(nx.connected_components(reference), key=len))
    assert diameter(g) == nx.diameter(giant)
    assert largest_component(g).vcount() == giant.number_of_nodes()


def test_directed_multigraph_is_simplified() -> None:
    g = edge_graph([("a", "b"), ("b", "a"), ("b", "c"), ("c", "a"), ("a", "a")], directed=True, loops=True)
    assert triangles(g) == {"a": 1, "b": 1, "c": 1}
    assert local_clustering(g) == {"a": 1.0, "b": 1.0, "c": 1.0}


def test_tie_graph_from_a_tie_table() -> None:
    ties = pa.table({"a": ["a", "b"], "b": ["b", "c"], "weight": [1.0, 2.0]})
    g = tie_graph(ties)
    assert g.vs["name"] == ["a", "b", "c"]
    assert not g.is_directed()
    assert diameter(g) == 2


def test_tie_graph_needs_its_columns() -> None:
    with pytest.raises(TeamweaveError):
        tie_graph(pa.table({"a": ["a"], "b": ["b"]}))


def test_edge_graph_ignores_input_order() -> None:
    edges = [("c", "a", 1.0), ("a", "b", 2.0), ("b", "c", 0.5)]
    first, second = edge_graph(edges), edge_graph(list(reversed(edges)))
    assert first.vs["name"] == second.vs["name"] == ["a", "b", "c"]
    assert sorted(zip(first.get_edgelist(), first.es["weight"], strict=True)) == sorted(
        zip(second.get_edgelist(), second.es["weight"], strict=True)
    )
