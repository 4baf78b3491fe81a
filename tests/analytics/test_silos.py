"""E-I index and density on Lazega's law firm by office, checked against networkx and plain Python."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import networkx as nx
import pyarrow as pa
import pytest

from teamweave.analytics.cohesion import density
from teamweave.analytics.person_metrics import person_tie_stats
from teamweave.analytics.silos import ei_index, group_ei_index
from teamweave.analytics.team_metrics import team_metrics
from teamweave.analytics.ties import people_table

OFFICES = {1: "Boston", 2: "Hartford", 3: "Providence"}


def _lazega(shared_data: Path) -> nx.Graph:
    folder = shared_data / "lazega-law-firm"
    rows = [line.split() for line in (folder / "ELwork.dat").read_text().splitlines() if line.strip()]
    attrs = [line.split() for line in (folder / "ELattr.dat").read_text().splitlines() if line.strip()]
    graph = nx.Graph()
    for row in attrs:
        graph.add_node(f"L{int(row[0]):02d}", office=OFFICES[int(row[3])])
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if cell == "1" and i < j:
                graph.add_edge(f"L{i + 1:02d}", f"L{j + 1:02d}")
    return graph


def _expected_ei(graph: nx.Graph) -> dict[str, float]:
    """Krackhardt and Stern's (EL - IL) / (EL + IL) per office, counted independently with networkx."""
    office = nx.get_node_attributes(graph, "office")
    expected = {}
    for name in OFFICES.values():
        members = {n for n, o in office.items() if o == name}
        internal = graph.subgraph(members).number_of_edges()
        external = len(list(nx.edge_boundary(graph, members)))
        expected[name] = (external - internal) / (external + internal)
    return expected


def test_lazega_shape(shared_data: Path) -> None:
    graph = _lazega(shared_data)
    assert graph.number_of_nodes() == 71
    assert graph.number_of_edges() == 378  # PROVENANCE.md: 756 ones = 378 undirected ties


def test_ei_index_by_office_matches_networkx(shared_data: Path) -> None:
    graph = _lazega(shared_data)
    office = nx.get_node_attributes(graph, "office")
    ours = group_ei_index(graph.edges(), office)
    expected = _expected_ei(graph)
    assert ours == pytest.approx(expected)
    assert ours["Boston"] < 0  # offices are where co-work happens
    crossing = sum(1 for u, v in graph.edges() if office[u] != office[v])
    firm = ei_index(crossing, graph.number_of_edges() - crossing)
    assert firm.tolist() == pytest.approx((74 - 304) / 378)  # docs/metrics.md: -0.608 for the firm


def test_team_metrics_on_lazega_match_networkx(shared_data: Path) -> None:
    graph = _lazega(shared_data)
    office = nx.get_node_attributes(graph, "office")
    code = {name: number for number, name in OFFICES.items()}
    people = people_table((n, code[o], "UTC") for n, o in sorted(office.items()))
    week = date(2024, 1, 1)
    edges = sorted((min(u, v), max(u, v)) for u, v in graph.edges())
    ties = pa.table(
        {
            "window_start": pa.array([week] * len(edges), type=pa.date32()),
            "a": [a for a, _ in edges],
            "b": [b for _, b in edges],
            "weight": [1.0] * len(edges),
            "reciprocated": [True] * len(edges),
        }
    )
    con = duckdb.connect()
    persons = person_tie_stats(con, ties, people=people, period="week")
    persons = persons.append_column("human_share", pa.nulls(persons.num_rows, pa.float64()))
    persons = persons.append_column("after_hours_share", pa.nulls(persons.num_rows, pa.float64()))
    rows = team_metrics(con, ties, persons, people=people, windows=[week]).to_pylist()
    got = {OFFICES[r["team_id"]]: r for r in rows}
    expected = _expected_ei(graph)
    for name in OFFICES.values():
        members = [n for n, o in office.items() if o == name]
        assert got[name]["members"] == len(members)
        assert got[name]["ei_index"] == pytest.approx(expected[name])
        if len(members) > 1:
            assert got[name]["density"] == pytest.approx(nx.density(graph.subgraph(members)))


def test_ei_index_extremes() -> None:
    assert ei_index([0], [5]).tolist() == [-1.0]
    assert ei_index([5], [0]).tolist() == [1.0]


def test_density_of_a_clique_is_one() -> None:
    for m in range(2, 8):
        assert density(m * (m - 1) // 2, m).tolist() == 1.0
    assert nx.density(nx.complete_graph(6)) == density(15, 6).tolist()
