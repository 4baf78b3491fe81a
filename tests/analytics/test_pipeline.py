"""The in-DuckDB pipeline (``pipeline.period_tables``) gives what the public Arrow functions give, and the
vectorised graph builders give the graph ``edge_graph`` builds from Python tuples."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import duckdb
import pyarrow as pa
import pytest

from teamweave.analytics.bridges import cut_point_table
from teamweave.analytics.graph import edge_graph, tie_graph
from teamweave.analytics.person_metrics import person_metrics
from teamweave.analytics.pipeline import connect, period_tables
from teamweave.analytics.team_metrics import team_metrics, team_ties
from teamweave.analytics.ties import load_participants, people_table, tie_table
from teamweave.analytics.windows import windows_between

ZONES = ("UTC", "America/New_York", "Asia/Tokyo", "Europe/Paris")


def _people(n: int) -> pa.Table:
    rng = random.Random(5)
    return people_table(
        (
            f"p{i:03d}",
            i % 30 if i % 9 else None,
            ZONES[i % 4],
            date(2024, 2, rng.randrange(1, 28)) if i % 7 == 0 else None,
        )
        for i in range(n)
    )


def _events(n: int, people: int) -> pa.Table:
    rng = random.Random(11)
    names = [f"p{i:03d}" for i in range(people)]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    rows = []
    for i in range(n):
        kind = rng.choice(["message", "reply", "reaction", "meeting", "email", "review"])
        targets = rng.sample(names, rng.choice([1, 1, 2, 3, 6]))
        rows.append(
            {
                "event_id": f"e{i}",
                "ts": start + timedelta(minutes=rng.randrange(90 * 24 * 60)),
                "kind": kind,
                "source": "calendar" if kind == "meeting" else "slack",
                "in_person": kind == "meeting" and rng.random() < 0.3,
                "duration_s": rng.choice([None, 1800, 5400]) if kind == "meeting" else None,
                "actor": rng.choice(names),
                "targets": targets,
                "audience": len(targets),
                "by_bot": False,
                "via_ai": rng.random() < 0.05,
            }
        )
    return pa.Table.from_pylist(rows)


def _load(events: pa.Table, people: pa.Table) -> duckdb.DuckDBPyConnection:
    con = connect()
    load_participants(con, con.from_arrow(events), people=people)
    return con


def _rounded(table: pa.Table) -> list[dict[str, object]]:
    return [{k: round(v, 9) if isinstance(v, float) else v for k, v in row.items()} for row in table.to_pylist()]


@pytest.mark.parametrize("period", ["week", "month"])
def test_period_tables_equal_the_public_functions(period: str) -> None:
    people, events = _people(150), _events(1500, 150)
    con = _load(events, people)
    fast = period_tables(con, people=people, period=period, k=3)

    con = _load(events, people)
    ties = tie_table(con, period=period)
    persons = person_metrics(con, ties, people=people, period=period)
    starts = persons.column("window_start").to_pylist()
    windows = windows_between(min(starts), max(starts), period=period)
    teams = team_metrics(con, ties, persons, people=people, windows=windows, period=period, k=3)
    between = team_ties(con, ties, people=people)

    assert fast.ties == ties.num_rows
    assert fast.windows == len(windows)
    assert fast.persons.column_names == persons.column_names
    assert _rounded(fast.persons) == _rounded(persons)
    assert _rounded(fast.teams) == _rounded(teams)
    assert _rounded(fast.team_ties) == _rounded(between)
    assert fast.persons.column("cut_point").to_pylist().count(True) == cut_point_table(ties).num_rows


def test_tie_graph_is_edge_graph() -> None:
    rng = random.Random(3)
    names = [f"n{i:04d}" for i in range(500)]
    rows = [(rng.choice(names), rng.choice(names), rng.random()) for _ in range(5000)]  # repeats and loops
    ties = pa.table({"a": [r[0] for r in rows], "b": [r[1] for r in rows], "weight": [r[2] for r in rows]})
    built, reference = tie_graph(ties, nodes=["zz"]), edge_graph(rows, nodes=["zz"])
    assert built.vs["name"] == reference.vs["name"]
    assert built.get_edgelist() == reference.get_edgelist()
    assert built.es["weight"] == pytest.approx(reference.es["weight"])
