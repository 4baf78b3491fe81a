"""The Parquet event store: idempotent appends, month partitions, DuckDB scans, erasure rewrites."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from teamweave.ingest.records import Interaction
from teamweave.store.events import EventStore, records_to_table


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


def test_appender_reads_each_month_once_and_sees_other_writers(tmp_path: Path) -> None:
    store = EventStore(tmp_path)
    store.append("acme", [_event(i, month=1 + i % 2) for i in range(4)])
    with store.appender("acme") as appender:
        first = appender.append_table(records_to_table([_event(i, month=1 + i % 2) for i in range(6)]))
        store.append("acme", [_event(50, month=1), _event(51, month=3)])  # another writer, meanwhile
        second = appender.append_table(
            records_to_table([_event(i, month=1 + i % 2) for i in (0, 5, 6, 7, 7)] + [_event(50), _event(51, month=3)])
        )
    assert (first.added, first.duplicates) == (2, 4)
    assert (second.added, second.duplicates) == (2, 5)  # 6 and 7 (once) are new; 0, 5, 7 again, 50, 51 stored
    assert store.count("acme") == 10


def test_appender_forgets_files_an_erasure_removed(tmp_path: Path) -> None:
    store = EventStore(tmp_path)
    with store.appender("acme") as appender:
        appender.append_table(records_to_table([_event(i, actor="a" if i % 2 else "c") for i in range(6)]))
        assert store.rewrite("acme", "actor <> ?", ["a"]) == 3
        again = appender.append_table(records_to_table([_event(i) for i in range(6)]))
    assert (again.added, again.duplicates) == (3, 3)  # the erased events 1, 3, 5 are stored again
    assert store.count("acme") == 6
