"""Peer parity: teamweave's centralities on vivainsights' sample person-to-person data (p2p_data) agree with
``vivainsights.network_summary`` to 1e-6.

vivainsights' ``network_p2p`` builds a *directed*, unweighted igraph graph from the query's
(PrimaryCollaborator_PersonId -> SecondaryCollaborator_PersonId) rows and ``network_summary`` then calls igraph
with its defaults: degree in + out, directed raw betweenness, closeness ignoring direction within each component
(no Wasserman-Faust scaling), directed PageRank (damping 0.85). We read the same CSV with our own code, build
our graph, and ask for those conventions. (``network_p2p`` itself needs an HR column that p2p_data lacks, so the
test builds its graph exactly as ``network_p2p`` does.)
"""

from __future__ import annotations

import csv
import io
import random
from importlib.resources import files

import igraph as ig
import pytest
import vivainsights as vi

from teamweave.analytics import centrality
from teamweave.analytics.graph import edge_graph

PRIMARY = "PrimaryCollaborator_PersonId"
SECONDARY = "SecondaryCollaborator_PersonId"


def _their_summary() -> dict[str, dict[str, float]]:
    data = vi.load_p2p_data()
    edges = data.assign(NoWeight=1).loc[:, [PRIMARY, SECONDARY, "NoWeight"]].rename(columns={"NoWeight": "weight"})
    graph = ig.Graph.TupleList(edges.itertuples(index=False), directed=True, weights=True)  # as network_p2p
    table = vi.network_summary(graph)
    return {str(row["node_id"]): row for row in table.to_dict(orient="records")}


def _our_graph() -> ig.Graph:
    text = files("vivainsights").joinpath("data", "p2p_data.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return edge_graph(((row[PRIMARY], row[SECONDARY]) for row in rows), directed=True)


@pytest.mark.filterwarnings("ignore:Graph is directed and acyclic:RuntimeWarning")  # their eigenvector column
def test_p2p_centralities_match_network_summary() -> None:
    theirs = _their_summary()
    graph = _our_graph()
    assert (graph.vcount(), graph.ecount()) == (3783, 2014)
    assert set(theirs) == set(graph.vs["name"])
    measures = {
        "degree": centrality.degree(graph),
        "betweenness": centrality.betweenness(graph, normalized=False),
        "closeness": centrality.closeness(graph, wf_improved=False),
        "pagerank": centrality.pagerank(graph),
    }
    for measure, ours in measures.items():
        expected = {name: float(row[measure]) for name, row in theirs.items()}
        assert ours == pytest.approx(expected, abs=1e-6), measure
    assert max(measures["betweenness"].values()) > 0  # not a trivially empty comparison


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_simulated_p2p_through_network_p2p_matches() -> None:
    """vivainsights' own pipeline end to end (``p2p_data_sim`` -> ``network_p2p`` -> ``network_summary``) on
    its simulated small-world organisation (300 people, 1,500 ties), where betweenness is far from trivial."""
    random.seed(2024)  # p2p_data_sim draws from igraph's default generator, Python's random module
    data = vi.p2p_data_sim()
    network = vi.network_p2p(data, return_type="network")
    theirs = {str(row["node_id"]): row for row in vi.network_summary(network).to_dict(orient="records")}
    graph = edge_graph(zip(data[PRIMARY].astype(str), data[SECONDARY].astype(str), strict=True), directed=True)
    measures = {
        "degree": centrality.degree(graph),
        "betweenness": centrality.betweenness(graph, normalized=False),
        "closeness": centrality.closeness(graph, wf_improved=False),
        "pagerank": centrality.pagerank(graph),
    }
    for measure, ours in measures.items():
        expected = {name: float(row[measure]) for name, row in theirs.items()}
        assert ours == pytest.approx(expected, abs=1e-6), measure
    assert max(measures["betweenness"].values()) > 50
