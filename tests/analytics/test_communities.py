"""Leiden communities (seeded), modularity and normalised mutual information on canonical graphs."""

from __future__ import annotations

from itertools import combinations

import networkx as nx
import pytest

from teamweave.analytics.communities import leiden, modularity, normalized_mutual_information
from teamweave.analytics.graph import edge_graph
from teamweave.errors import TeamweaveError


def _bridged_cliques() -> list[tuple[str, str]]:
    left = [f"a{i}" for i in range(1, 6)]
    right = [f"b{i}" for i in range(1, 6)]
    return list(combinations(left, 2)) + list(combinations(right, 2)) + [("a1", "b1")]


def test_two_cliques_are_two_communities() -> None:
    found = leiden(edge_graph(_bridged_cliques()), seed=5)
    assert len(set(found.values())) == 2
    assert len({found[f"a{i}"] for i in range(1, 6)}) == 1
    assert found["a1"] != found["b1"]
    teams = {name: name[0] for name in found}
    assert normalized_mutual_information(found, teams) == 1.0


def test_seed_makes_it_repeatable() -> None:
    g = edge_graph(nx.les_miserables_graph().edges())
    assert leiden(g, seed=42, weight=None) == leiden(g, seed=42, weight=None)


def test_modularity_matches_networkx() -> None:
    reference = nx.karate_club_graph()
    g = edge_graph((str(u), str(v)) for u, v in reference.edges())
    clubs = {str(n): club for n, club in reference.nodes(data="club")}
    split = [{n for n, c in reference.nodes(data="club") if c == k} for k in ("Mr. Hi", "Officer")]
    expected = nx.community.modularity(reference, split, weight=None)  # the karate graph carries weights
    assert modularity(g, clubs, weight=None) == pytest.approx(expected)
    found = leiden(g, seed=1, weight=None)
    assert modularity(g, found, weight=None) > expected  # Leiden beats the real split on modularity


def test_nmi_matches_its_formula() -> None:
    teams = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"}
    assert normalized_mutual_information(dict.fromkeys(teams, 0), teams) == pytest.approx(0.0)
    assert normalized_mutual_information(dict.fromkeys(teams, 0), dict.fromkeys(teams, 1)) == 1.0
    # only people in both mappings count
    assert normalized_mutual_information({"a": 1, "d": 2, "zz": 3}, teams) == 1.0
    with pytest.raises(TeamweaveError):
        normalized_mutual_information({"q": 1}, teams)


def test_isolates_get_their_own_community() -> None:
    found = leiden(edge_graph([("a", "b")], nodes=["z"]), seed=1)
    assert found["a"] == found["b"] != found["z"]
    assert leiden(edge_graph([]), seed=1) == {}
