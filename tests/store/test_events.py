"""The Parquet event store: idempotent appends, month partitions, DuckDB scans, erasure rewrites."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from teamweave.ingest.records import Interaction
from teamweave.store.events import EventStore


def _event(i: int, *, month: int = 1, actor: str = "a") -> Interaction:
    return Interaction(
        org="acme",
        event_id=f"e{i}",
        source="slack",
        kind="message",
        ts=datetime(2024, month, 3, 12, tzinfo=UTC),
        actor=actor,
        targets=("b",),
        audience=1,
    )


def test_append_is_idempotent_and_partitions_by_month(tmp_path: Path) -> None:
    store = EventStore(tmp_path)
    batch = [_event(i, month=1 + i % 3) for i in range(9)]
    first = store.append("acme", batch)
    again = store.append("acme", batch + batch)
    overlap = store.append("acme", [*batch[:4], _event(100, month=5)])
    assert (first.added, first.duplicates) == (9, 0)
    assert (again.added, again.duplicates) == (0, 18)
    assert (overlap.added, overlap.duplicates) == (1, 4)
    assert store.count("acme") == 10
    assert store.months("acme") == ["2024-01", "2024-02", "2024-03", "2024-05"]
    assert not list(tmp_path.rglob("*.tmp"))


def test_read_scans_with_duckdb(tmp_path: Path) -> None:
    store = EventStore(tmp_path)
    con = duckdb.connect()
    assert store.read("acme", con).aggregate("count(*)").fetchall() == [(0,)]
    store.append("acme", [_event(i) for i in range(3)])
    rows = store.read("acme", con).aggregate("count(*), min(audience)").fetchall()
    assert rows == [(3, 1)]


def test_rewrite_removes_only_matching_rows(tmp_path: Path) -> None:
    store = EventStore(tmp_path)
    store.append("acme", [_event(i, actor="a" if i % 2 else "c") for i in range(10)])
    assert store.rewrite("acme", "actor <> ?", ["a"]) == 5
    assert store.count("acme") == 5
    assert store.append("acme", [_event(0)]).added == 0
