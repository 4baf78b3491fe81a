"""The Parquet event store: idempotent appends, month partitions, DuckDB scans, erasure rewrites."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

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


def test_months_and_time_order_whatever_the_input_order(tmp_path: Path) -> None:
    """Each part file holds one UTC month in time order, whether the batch came in time order or not (an
    ordered batch is not sorted again), with years before 1000 written with four digits."""
    store = EventStore(tmp_path)
    late = [_event(i, month=12 - i % 12) for i in range(40)]  # not in time order
    early = Interaction(
        org="acme", event_id="early", source="csv", kind="message", ts=datetime(1, 1, 1, tzinfo=UTC), actor="a"
    )
    with store.appender("acme") as appender:
        assert appender.append_table(records_to_table(late)).added == 40
        assert appender.append_table(records_to_table(sorted(late[:5], key=lambda e: e.ts))).duplicates == 5
        assert appender.append_table(records_to_table([early])).added == 1
    assert store.count("acme") == 41
    assert store.months("acme") == ["0001-01", *(f"2024-{m:02d}" for m in range(1, 13))]
    for part in store.files("acme"):
        times = pq.read_table(part, columns=["ts"]).column(0).to_pylist()
        assert times == sorted(times)
        assert part.parent.name == f"month={times[0].year:04d}-{times[0].month:02d}"
