"""The event store: interaction events as Parquet, partitioned by org and month, scanned with DuckDB.

Layout: ``<root>/org=<org>/month=<YYYY-MM>/part-<uuid>.parquet``. Appends are idempotent: an event whose
``event_id`` is already stored (in this batch or any earlier one) is not written again. Many appends in a row
(an import) go through one :meth:`EventStore.appender`, which reads each month's stored ids once. Files are written
to a temporary name and renamed, so a crash never leaves a half-written part behind. One writer per org at a
time (a lock file guards it).
"""

from __future__ import annotations

import fcntl
import os
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from teamweave.ingest.records import Interaction

EVENT_SCHEMA = pa.schema(
    [
        pa.field("org", pa.string(), nullable=False),
        pa.field("event_id", pa.string(), nullable=False),
        pa.field("source", pa.string(), nullable=False),
        pa.field("kind", pa.string(), nullable=False),
        pa.field("ts", pa.timestamp("us", tz="UTC"), nullable=False),
        pa.field("duration_s", pa.int32()),
        pa.field("actor", pa.string(), nullable=False),
        pa.field("targets", pa.list_(pa.string()), nullable=False),
        pa.field("audience", pa.int32(), nullable=False),
        pa.field("channel", pa.string()),
        pa.field("thread", pa.string()),
        pa.field("by_bot", pa.bool_(), nullable=False),
        pa.field("via_ai", pa.bool_(), nullable=False),
        pa.field("in_person", pa.bool_(), nullable=False),
    ]
)


@dataclass(frozen=True)
class AppendResult:
    added: int
    duplicates: int


def safe_org(org: str) -> str:
    """``org`` when it can name a folder (no separators, dots or '='); else a ValueError."""
    if not org or any(c in org for c in "/\\=.") or org.strip() != org:
        raise ValueError(f"invalid org id {org!r}")
    return org


_FIELD_OF_COLUMN = [Interaction._fields.index(name) for name in EVENT_SCHEMA.names]


def records_to_table(records: Iterable[Interaction]) -> pa.Table:
    """Interaction records as an Arrow table with :data:`EVENT_SCHEMA`, built column by column in C: the
    records (tuples) transposed by ``zip``, each column converted by Arrow."""
    rows = records if isinstance(records, list) else list(records)
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(Interaction._fields)
    arrays = [
        pa.array(columns[index], type=field.type) for index, field in zip(_FIELD_OF_COLUMN, EVENT_SCHEMA, strict=True)
    ]
    return pa.Table.from_arrays(arrays, schema=EVENT_SCHEMA)


class EventStore:
    """Parquet event store rooted at ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def org_dir(self, org: str) -> Path:
        return self.root / f"org={safe_org(org)}"

    def files(self, org: str) -> list[Path]:
        return sorted(self.org_dir(org).glob("month=*/*.parquet"))

    def months(self, org: str) -> list[str]:
        return sorted(p.name.removeprefix("month=") for p in self.org_dir(org).glob("month=*") if p.is_dir())

    def glob(self, org: str) -> str:
        """The path pattern DuckDB's read_parquet takes for every event of an org."""
        return str(self.org_dir(org) / "month=*" / "*.parquet")

    def has_events(self, org: str) -> bool:
        return bool(self.files(org))

    @contextmanager
    def _lock(self, org: str) -> Iterator[None]:
        directory = self.org_dir(org)
        directory.mkdir(parents=True, exist_ok=True)
        with open(directory / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def append(self, org: str, records: Iterable[Interaction]) -> AppendResult:
        """Store the records not already stored; return how many were added and how many were duplicates."""
        return self.append_table(org, records_to_table(records))

    def append_table(self, org: str, table: pa.Table) -> AppendResult:
        """Like :meth:`append`, for an Arrow table with :data:`EVENT_SCHEMA`."""
        with self.appender(org) as appender:
            return appender.append_table(table)

    @contextmanager
    def appender(self, org: str) -> Iterator[EventAppender]:
        """An :class:`EventAppender` for many appends to one org (an import run): each month's stored event ids
        are read once for the run, not once per append."""
        yield EventAppender(self, org)

    def count(self, org: str) -> int:
        if not self.has_events(org):
            return 0
        con = duckdb.connect()
        try:
            row = con.execute(
                "SELECT count(*) FROM read_parquet(?, hive_partitioning = false)", [self.glob(org)]
            ).fetchall()[0]
        finally:
            con.close()
        return int(row[0]) if row else 0

    def read(self, org: str, con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyRelation:
        """All events of an org as a DuckDB relation (an empty one with the schema when there are none)."""
        if not self.has_events(org):
            return con.from_arrow(EVENT_SCHEMA.empty_table())
        return con.read_parquet(self.glob(org), hive_partitioning=False)

    def erase_pseudonyms(self, org: str, pseudonyms: list[str]) -> tuple[int, int]:
        """Erase people from the store: drop their own acts, strike them from others' targets.

        Returns (events removed, events whose targets were scrubbed). Audience counts are kept: an event that
        reached 5 people still reached 5, but no longer says that one of them was the erased person.
        """
        if not pseudonyms:
            return (0, 0)
        con = duckdb.connect()
        try:
            row = (
                con.execute(
                    "SELECT count(*) FILTER (WHERE list_has_any(targets, ?) AND NOT list_contains(?, actor)) "
                    "FROM read_parquet(?, hive_partitioning = false)",
                    [pseudonyms, pseudonyms, self.glob(org)],
                ).fetchall()[0]
                if self.has_events(org)
                else (0,)
            )
        finally:
            con.close()
        removed = self.rewrite(
            org,
            "NOT list_contains(?, actor)",
            [pseudonyms],
            select="* REPLACE (list_filter(targets, lambda t: NOT list_contains(?, t)) AS targets)",
            select_params=[pseudonyms],
        )
        return (removed, int(row[0]))

    def rewrite(
        self,
        org: str,
        keep_sql: str,
        params: list[object] | None = None,
        *,
        select: str = "*",
        select_params: list[object] | None = None,
    ) -> int:
        """Rewrite every partition keeping only rows matching ``keep_sql``; return how many rows were removed.

        ``select`` may transform the kept rows (e.g. scrub a column). Used by erasure: it is the one way rows
        leave or change in the store.
        """
        removed = 0
        with self._lock(org):
            for month_dir in sorted(self.org_dir(org).glob("month=*")):
                files = sorted(month_dir.glob("*.parquet"))
                if not files:
                    continue
                con = duckdb.connect()
                try:
                    paths = [str(f) for f in files]
                    scan = "read_parquet(?, hive_partitioning = false)"
                    before = con.execute(f"SELECT count(*) FROM {scan}", [paths]).fetchall()[0]
                    kept = con.sql(
                        f"SELECT {select} FROM {scan} WHERE {keep_sql}",
                        params=[*(select_params or []), paths, *(params or [])],
                    )
                    kept_table = kept.to_arrow_table()
                finally:
                    con.close()
                removed += (int(before[0]) if before else 0) - kept_table.num_rows
                name = f"part-{uuid.uuid4().hex}.parquet"
                tmp = month_dir / f".{name}.tmp"
                pq.write_table(kept_table.cast(EVENT_SCHEMA), tmp, compression="zstd")
                os.replace(tmp, month_dir / name)
                for f in files:
                    f.unlink()
        return removed


class EventAppender:
    """Idempotent appends to one org that remember, per month, the event ids already stored (an import run).

    :meth:`EventStore.append_table` re-read every event id of every month a batch touched on every call: on an
    import of many batches that is most of the store, again and again. An appender keeps, per month directory,
    the ``event_id`` column of each part file it has read or written (as Arrow string arrays: about 36 bytes an
    id, never Python objects), and on each append reads only the files that appeared since, under the org's
    lock, so files written meanwhile by another writer are seen. A file that disappeared (an erasure rewrote
    the month) drops what was remembered of it. Memory: the ids of the months this appender touched, e.g.
    about 36 MB for a million stored events in those months; it is freed with the appender.
    """

    def __init__(self, store: EventStore, org: str) -> None:
        self._store = store
        self._org = org
        self._known: dict[str, dict[str, pa.ChunkedArray]] = {}  # month -> part file name -> its event ids

    def _stored_ids(self, month: str, month_dir: Path) -> dict[str, pa.ChunkedArray]:
        """The event ids of each part file of the month, reading only the files not seen before."""
        known = self._known.setdefault(month, {})
        names = {e.name for e in os.scandir(month_dir) if e.name.endswith(".parquet")} if month_dir.is_dir() else set()
        for gone in known.keys() - names:
            del known[gone]
        for name in sorted(names - known.keys()):
            known[name] = pq.read_table(month_dir / name, columns=["event_id"]).column(0)
        return known

    def append_table(self, table: pa.Table) -> AppendResult:
        """Store the rows whose ``event_id`` is not stored yet (nor earlier in ``table``); (added, duplicates)."""
        if table.num_rows == 0:
            return AppendResult(0, 0)
        table = table.cast(EVENT_SCHEMA)
        store, org = self._store, self._org
        ts = table.column("ts")
        if len(ts) > 1 and not pc.all(pc.greater_equal(ts.slice(1), ts.slice(0, len(ts) - 1))).as_py():
            table = table.sort_by("ts")  # stable; each month is then one slice, already in time order
            ts = table.column("ts")
        months = pc.value_counts(pc.add(pc.multiply(pc.year(ts), 100), pc.month(ts)))  # strftime: 20x slower
        with store._lock(org):
            added = offset = 0
            for year_month, rows in sorted(zip(months.field(0).to_pylist(), months.field(1).to_pylist(), strict=True)):
                month = f"{year_month // 100:04d}-{year_month % 100:02d}"
                part, offset = table.slice(offset, rows), offset + rows
                month_dir = store.org_dir(org) / f"month={month}"
                part = _new_rows(part, self._stored_ids(month, month_dir).values())
                if part.num_rows == 0:
                    continue
                month_dir.mkdir(parents=True, exist_ok=True)
                name = f"part-{uuid.uuid4().hex}.parquet"
                tmp = month_dir / f".{name}.tmp"
                pq.write_table(part, tmp, compression="zstd")
                os.replace(tmp, month_dir / name)
                self._known[month][name] = part.column("event_id")
                added += part.num_rows
            return AppendResult(added, table.num_rows - added)


def _new_rows(part: pa.Table, stored: Iterable[pa.ChunkedArray]) -> pa.Table:
    """The rows of ``part`` whose event id is in no ``stored`` array, each id once (its first row).

    Vectorised: each stored array is probed against the part's ids (a hash of the part, a scan of the stored
    ids in C); only ids found stored, or repeated within the part, are handled one by one in Python.
    """
    ids = part.column("event_id")
    distinct = pc.unique(ids)
    hits: set[str] = set()
    for chunked in stored:
        for chunk in chunked.chunks:
            found = chunk.filter(pc.is_in(chunk, value_set=distinct))
            if len(found):
                hits.update(found.to_pylist())
    if not hits and len(distinct) == part.num_rows:
        return part
    keep: list[int] = []
    for index, event_id in enumerate(ids.to_pylist()):
        if event_id not in hits:
            hits.add(event_id)
            keep.append(index)
    return part.take(pa.array(keep, type=pa.int64()))
