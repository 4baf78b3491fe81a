"""The Viva Insights connector on the sample queries vivainsights ships (p2p_data.csv, pq_data.csv), through the
real import pipeline: the stored events are the graph ``network_p2p`` builds, and teamweave's own ties are its
undirected form."""

from __future__ import annotations

import csv
import re
from datetime import UTC, datetime
from importlib.resources import files
from pathlib import Path

import duckdb
import igraph as ig
import pytest
import vivainsights as vi
from sqlalchemy import select
from tests.ingest.builders import Importer
from typer.testing import CliRunner

from teamweave.analytics import centrality
from teamweave.analytics.graph import edge_graph
from teamweave.analytics.ties import load_participants, people_table, tie_table
from teamweave.cli.main import app
from teamweave.errors import InputFormatError
from teamweave.imports.models import Identity
from teamweave.ingest.detect import detect_format, parse_format
from teamweave.ingest.vivainsights import EVENT_SOURCE, KIND, PQ_SKIP_REASON, SOURCE, VivaInsightsQuery

PRIMARY = "PrimaryCollaborator_PersonId"
SECONDARY = "SecondaryCollaborator_PersonId"


def sample(name: str) -> Path:
    """A sample query of the installed vivainsights package."""
    return Path(str(files("vivainsights").joinpath("data", f"{name}.csv")))


def _their_graph() -> ig.Graph:
    """The graph ``network_p2p`` builds (directed, one edge a row, not simplified); the sample lacks the HR
    column ``network_p2p`` itself requires, so it is built here exactly as ``network_p2p`` does."""
    data = vi.load_p2p_data()
    edges = data.assign(NoWeight=1).loc[:, [PRIMARY, SECONDARY, "NoWeight"]].rename(columns={"NoWeight": "weight"})
    return ig.Graph.TupleList(edges.itertuples(index=False), directed=True, weights=True)


def _named_edges(graph: ig.Graph) -> list[tuple[str, str]]:
    return [(graph.vs[e.source]["name"], graph.vs[e.target]["name"]) for e in graph.es]


def _person_ids() -> set[str]:
    """Every PersonId of the sample."""
    data = vi.load_p2p_data()
    return {str(i) for i in set(data[PRIMARY]) | set(data[SECONDARY])}


def _stored_edges(importer: Importer) -> list[tuple[str, str]]:
    """(primary, secondary) PersonIds of the stored events, mapped back from their pseudonyms."""
    raw_of = {importer.pseudonymiser.identity(SOURCE, raw.lower()): raw for raw in _person_ids()}
    return [(raw_of[row["actor"]], raw_of[target]) for row in importer.rows() for target in row["targets"]]


@pytest.mark.filterwarnings("ignore:Graph is directed and acyclic:RuntimeWarning")  # their eigenvector column
def test_imported_p2p_sample_is_the_graph_network_p2p_builds(importer: Importer) -> None:
    path = sample("p2p_data")
    assert detect_format(path) == "vivainsights"
    summary = importer(path)
    assert (summary.source, summary.read, summary.added, summary.skipped) == (SOURCE, 2014, 2014, 0)
    assert summary.counts_by_kind == {KIND: 2014}
    assert summary.errors == []
    assert summary.unmatched_total == 3783

    edges = _stored_edges(importer)
    theirs = _their_graph()
    assert sorted(edges) == sorted(_named_edges(theirs))
    ours = edge_graph(edges, directed=True)
    table = {str(row["node_id"]): row for row in vi.network_summary(theirs).to_dict(orient="records")}
    measures = {
        "degree": centrality.degree(ours),
        "betweenness": centrality.betweenness(ours, normalized=False),
        "closeness": centrality.closeness(ours, wf_improved=False),
        "pagerank": centrality.pagerank(ours),
    }
    for measure, values in measures.items():
        assert values == pytest.approx({name: float(row[measure]) for name, row in table.items()}, abs=1e-6), measure
    assert max(measures["betweenness"].values()) > 0


def test_teamweave_ties_of_the_import_are_network_p2ps_edges_undirected(importer: Importer) -> None:
    """The tie table analyze computes from the stored events: one undirected tie of one unit per sample row."""
    importer(sample("p2p_data"))
    raw_of = {importer.pseudonymiser.identity(SOURCE, raw.lower()): raw for raw in _person_ids()}
    con = duckdb.connect()
    try:
        load_participants(
            con, importer.events.read("acme", con), people=people_table((p, None, "UTC") for p in sorted(raw_of))
        )
        ties = tie_table(con, period="month").to_pylist()
    finally:
        con.close()
    assert {t["window_start"] for t in ties} == {datetime(2023, 1, 1).date()}
    assert {frozenset((raw_of[t["a"]], raw_of[t["b"]])) for t in ties} == {
        frozenset(pair) for pair in _named_edges(_their_graph())
    }
    assert len(ties) == 2014
    assert {t["weight"] for t in ties} == {1.0}
    assert not any(t["reciprocated"] for t in ties)  # the sample lists each pair once, from its primary side


def test_a_tie_event_is_metadata_only_dated_inside_its_period(importer: Importer) -> None:
    importer(sample("p2p_data"))
    rows = importer.rows()
    assert {row["ts"] for row in rows} == {datetime(2023, 1, 4, 12, tzinfo=UTC)}  # 01/04/2023: month first
    row = rows[0]
    assert (row["source"], row["kind"], row["audience"], len(row["targets"])) == (EVENT_SOURCE, KIND, 1, 1)
    assert (row["duration_s"], row["channel"], row["thread"], row["by_bot"], row["via_ai"]) == (
        None,
        None,
        None,
        False,
        False,
    )


def test_reimport_counts_nothing_twice(importer: Importer) -> None:
    importer(sample("p2p_data"))
    again = importer(sample("p2p_data"))
    assert (again.added, again.duplicates) == (0, 2014)
    assert len(importer.rows()) == 2014


def test_person_query_sample_records_people_and_no_event(importer: Importer) -> None:
    path = sample("pq_data")
    assert detect_format(path) == "vivainsights"
    summary = importer(path)
    assert (summary.read, summary.added, summary.skipped) == (0, 0, 10500)
    assert summary.skip_reasons == {PQ_SKIP_REASON: 10500}
    assert summary.unmatched_total == 300
    assert importer.rows() == []
    with open(path, encoding="utf-8", newline="") as handle:
        people = {row["PersonId"].lower() for row in csv.DictReader(handle)}
    stored = set(importer.session.scalars(select(Identity.pseudonym).where(Identity.source == SOURCE)))
    assert stored == {importer.pseudonymiser.identity(SOURCE, person) for person in people}
    labels = set(importer.session.scalars(select(Identity.label).where(Identity.source == SOURCE)))
    assert len(labels) == 300
    assert all(label.startswith("Viva Insights person ") for label in labels)
    assert importer(path).unmatched_total == 300  # again: the same 300 identities


def test_person_ids_of_both_queries_are_one_identity(importer: Importer, tmp_path: Path) -> None:
    """The same PersonId in a person query and a person-to-person query (any case) is one identity."""
    person = tmp_path / "person.csv"
    person.write_text("PersonId,MetricDate,Organization\nAAA-1,2024-03-31,IT\nbbb-2,2024-03-31,HR\n")
    ties = tmp_path / "ties.csv"
    ties.write_text(f"{PRIMARY},{SECONDARY},MetricDate\naaa-1,BBB-2,3/31/2024\n")
    importer(person)
    summary = importer(ties)
    assert summary.unmatched_total == 2
    assert len(importer.session.scalars(select(Identity).where(Identity.source == SOURCE)).all()) == 2
    (row,) = importer.rows()
    assert row["ts"] == datetime(2024, 4, 1, 12, tzinfo=UTC)  # a Sunday-start week: dated on its Monday
    assert (row["actor"], row["targets"]) == (
        importer.pseudonymiser.identity(SOURCE, "aaa-1"),
        [importer.pseudonymiser.identity(SOURCE, "bbb-2")],
    )


def test_workplace_analytics_and_spaced_column_names_are_read(importer: Importer, tmp_path: Path) -> None:
    legacy = tmp_path / "wpa-p2p.csv"
    legacy.write_text("TieOrigin_PersonId,TieOrigin_Organization,TieDestination_PersonId,Date,StrongTieScore\n")
    with open(legacy, "a", encoding="utf-8") as handle:
        handle.write("p1,Sales,p2,6/1/2020,0.5\np2,Sales,p3,6/1/2020,0.1\n")
    spaced = tmp_path / "spaced.csv"
    spaced.write_text(
        "\ufeffPrimaryCollaborator PersonId,SecondaryCollaborator PersonId,MetricDate\np3,p1,2020-06-01\n"
    )
    assert VivaInsightsQuery.open(legacy).query == VivaInsightsQuery.open(spaced).query == "p2p"
    assert importer(legacy).added == 2
    assert importer(spaced).added == 1


def test_bad_rows_are_located_and_the_rest_goes_in(importer: Importer, tmp_path: Path) -> None:
    path = tmp_path / "p2p.csv"
    lines = [
        f"{PRIMARY},{SECONDARY},MetricDate,Strong_tie_score",
        "a,b,01/04/2023,0.1",
        "a,b,13/04/2023,0.1",  # month 13
        ",b,01/04/2023,0.1",
        "a,,01/04/2023,0.1",
        "a,A,01/04/2023,0.1",
        "a,c,,0.1",
        "a,c,2023-02-30,0.1",
        "a,c,01/04/2023",
        "",
        "c,a,2023-01-04,0.9",
    ]
    path.write_text("\n".join(lines) + "\n")
    summary = importer(path)
    assert summary.added == 2
    assert summary.errors == [
        "p2p.csv, line 3, field 'MetricDate': no such day",
        "p2p.csv, line 4, field 'PrimaryCollaborator_PersonId': missing person id",
        "p2p.csv, line 5, field 'SecondaryCollaborator_PersonId': missing person id",
        "p2p.csv, line 6, field 'SecondaryCollaborator_PersonId': the same person as the primary collaborator",
        "p2p.csv, line 7, field 'MetricDate': missing date",
        "p2p.csv, line 8, field 'MetricDate': no such day",
        "p2p.csv, line 9: 3 values but the header has 4 columns",
    ]
    assert summary.quarantine_file is not None
    quarantined = summary.quarantine_file.read_text()
    assert quarantined.count("\n") == 7
    assert "13/04/2023" not in quarantined  # locations and reasons, never a cell
    assert importer(path).duplicates == 2


def test_since_and_until_bound_the_ties(importer: Importer, tmp_path: Path) -> None:
    path = tmp_path / "p2p.csv"
    path.write_text(f"{PRIMARY},{SECONDARY},MetricDate\na,b,2024-01-01\na,b,2024-02-01\na,b,2024-03-01\n")
    summary = importer(path, since=datetime(2024, 2, 1).date(), until=datetime(2024, 2, 29).date())
    assert (summary.added, summary.skip_reasons) == (1, {"outside --since/--until": 2})


def test_format_option_and_files_that_are_not_these_queries(importer: Importer, tmp_path: Path) -> None:
    assert parse_format("vivainsights") == parse_format("viva") == parse_format("Workplace-Analytics") == "vivainsights"
    assert importer(sample("p2p_data"), fmt="viva").added == 2014
    with pytest.raises(InputFormatError, match="group query") as group:
        VivaInsightsQuery.open(sample("p2g_data"))
    assert (group.value.file, group.value.line) == ("p2g_data.csv", 1)
    assert detect_format(sample("g2g_data")) == "vivainsights"  # detected, then refused with the reason
    with pytest.raises(InputFormatError, match="group query"):
        importer(sample("g2g_data"))
    other = tmp_path / "other.csv"
    other.write_text("PersonId,Name\n1,Ana\n")
    with pytest.raises(InputFormatError, match="not a Viva Insights"):
        importer(other, fmt="vivainsights")


def test_teamweave_import_reads_both_queries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command line: detected or forced with ``--format``; a group query is refused with file and line."""
    for name in ("TEAMWEAVE_DATABASE_URL", "TEAMWEAVE_CONFIG", "TEAMWEAVE_ORG", "TEAMWEAVE_PSEUDONYM_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEAMWEAVE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TEAMWEAVE_ENV", "test")
    runner = CliRunner()
    ties = runner.invoke(app, ["import", str(sample("p2p_data"))])
    assert ties.exit_code == 0, ties.output
    assert "of p2p_data.csv (vivainsights)" in ties.output
    assert re.search(r"added \D*2,014", ties.output)
    people = runner.invoke(app, ["import", str(sample("pq_data")), "--format", "vivainsights"])
    assert people.exit_code == 0, people.output
    assert "skipped 10,500" in people.output
    group = runner.invoke(app, ["import", str(sample("p2g_data"))])
    assert isinstance(group.exception, InputFormatError)  # main() prints it as one line
    assert str(group.exception).startswith("p2g_data.csv, line 1: a Viva Insights group query")
