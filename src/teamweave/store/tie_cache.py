"""The tie tables of an org's latest analysis windows, kept between runs of ``teamweave analyze``.

An incremental run (``analyze --since``) recomputes the windows new events can change, and their changes and
tie turnover compare with the window before the first of them. With that window's ties kept here the run reads
them instead of recomputing them from that window's events, so it loads about a week of events for a new week
rather than the month before it too.

A quarter's ties, activity and focus add up from those of its months (``analytics.quarters``), so a month is
kept with its *people piece* too: per person, the month's interaction counts and focus sums. An incremental run
then combines the quarters the new events change from the kept months and the recomputed ones, without loading
the quarter's events.

What is kept: per org, period and window, the window's ties as pseudonym pairs with their weights (``a, b,
weight, reciprocated``, the direction flags and the channel weights) and, for a month, its people piece: derived
metadata, no content, no names, for the latest :data:`KEEP` windows of each period only; and the contacts of the
newest newcomers (``person, other, first_offset``: whom each was in touch with in their first 90 days, and from
which day of them), so that an incremental run adds the new events' contacts to them instead of reading every
newcomer's events of the last 92 days again. Erasing a person clears the org's cache (:meth:`TieCache.clear`):
the next incremental run then loads the events it needs, as it would without a cache.

It also keeps, per period and for the newcomers' curves, what the last run that recomputed them read besides the
events (``analytics.run_inputs``: the people with their team, zone, start date and site, the opt-outs, the alias
map, the bots and the settings), stamped with that run, so that the next incremental run can tell whether they
changed in a way that reaches back into the stored rows: then it runs in full (``network.run_history``).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Final

import pyarrow as pa
import pyarrow.parquet as pq

from teamweave.store.events import EventStore, safe_org

KEEP: Final = 5
"""Windows kept per period: a new week's first recomputed window is at most two windows before the last, and the
quarters it changes need their months up to the new events: four when the week runs into a new quarter."""
FORMAT: Final = 2
"""The layout of the kept files (2: ties with direction flags; months with people pieces). Files of the layout
before are in another folder: never read, gone when their period or the org's cache is cleared."""
PEOPLE_SUFFIX: Final = ".people.parquet"
RUN_STAMP: Final = b"teamweave.run"
"""Schema metadata of the kept run inputs: the run that kept them (``network.run_history``)."""
COMPLETE_FROM: Final = b"teamweave.complete_from"
"""Schema metadata of the kept contacts: the first start date for which every newcomer's contacts are there."""


class TieCache:
    """Files ``<root>/<org>/v<FORMAT>/<period>/<window>.parquet`` (ties) and ``<window>.people.parquet`` (a
    month's people piece), written whole (a temporary file renamed into place)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def beside(cls, events: EventStore) -> TieCache:
        """The cache that goes with an event store: a folder inside its root, beside the orgs' events (which
        the store finds as ``org=<org>`` folders only)."""
        return cls(events.root / "tie-cache")

    def _org(self, org: str) -> Path:
        return self.root / f"org={safe_org(org)}"

    def _folder(self, org: str, period: str) -> Path:
        return self._org(org) / f"v{FORMAT}" / period

    def read(self, org: str, period: str, window: date) -> pa.Table | None:
        """The kept ties of one window, or None when they are not kept."""
        path = self._folder(org, period) / f"{window.isoformat()}.parquet"
        return pq.read_table(path) if path.is_file() else None

    def file(self, org: str, period: str, window: date) -> Path | None:
        """The file of one window's kept ties (to read without loading it into Python), or None."""
        path = self._folder(org, period) / f"{window.isoformat()}.parquet"
        return path if path.is_file() else None

    def people_file(self, org: str, period: str, window: date) -> Path | None:
        """The file of one window's kept people piece, or None."""
        path = self._folder(org, period) / f"{window.isoformat()}{PEOPLE_SUFFIX}"
        return path if path.is_file() else None

    def windows(self, org: str, period: str, *, people: bool = False) -> list[date]:
        """The windows whose ties (with ``people``: whose people pieces) are kept, in order."""
        folder = self._folder(org, period)
        pattern = f"*{PEOPLE_SUFFIX}" if people else "*-??.parquet"
        found = folder.glob(pattern) if folder.is_dir() else ()
        return sorted({date.fromisoformat(p.name.split(".")[0]) for p in found})

    def write(
        self,
        org: str,
        period: str,
        windows: Sequence[date],
        save: Callable[[date, Path], None],
        *,
        people: tuple[Sequence[date], Callable[[date, Path], None]] | None = None,
    ) -> None:
        """Keep the ties of ``windows``, each written by ``save(window, path)`` (e.g. straight from DuckDB, so a
        month's ties never become a Python table), and ``people``: the windows whose people pieces to keep and
        what writes one (a month's ties first: a month whose people piece is kept has its ties kept, or had
        none), then only the latest :data:`KEEP` windows of the period."""
        folder = self._folder(org, period)
        folder.mkdir(parents=True, exist_ok=True)
        jobs = [(window, ".parquet", save) for window in windows]
        if people is not None:
            jobs += [(window, PEOPLE_SUFFIX, people[1]) for window in people[0]]
        for window, suffix, saver in jobs:
            partial = folder / f"{window.isoformat()}.partial"
            saver(window, partial)
            partial.replace(folder / f"{window.isoformat()}{suffix}")
        self._trim(folder)

    def replace(self, org: str, period: str, tables: Mapping[date, pa.Table]) -> None:
        """Keep ``tables`` (the ties of these windows, replacing what was kept for them), then only the latest
        :data:`KEEP` windows of the period."""
        folder = self._folder(org, period)
        folder.mkdir(parents=True, exist_ok=True)
        for window, table in tables.items():
            path = folder / f"{window.isoformat()}.parquet"
            partial = path.with_suffix(".partial")
            pq.write_table(table, partial)
            partial.replace(path)
        self._trim(folder)

    def contacts(self, org: str, *, complete_from: date) -> pa.Table | None:
        """The kept newcomers' contacts, when they hold those of every newcomer who started on or after
        ``complete_from`` (else None: the caller gathers them from the events)."""
        path = self._org(org) / "contacts.parquet"
        if not path.is_file():
            return None
        table = pq.read_table(path)
        kept = (table.schema.metadata or {}).get(COMPLETE_FROM)
        if kept is None or date.fromisoformat(kept.decode()) > complete_from:
            return None
        return table.replace_schema_metadata(None)

    def keep_contacts(self, org: str, table: pa.Table, *, complete_from: date) -> None:
        """Keep ``table``, the contacts of every newcomer who started on or after ``complete_from``, replacing
        what was kept."""
        folder = self._org(org)
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / "contacts.partial"
        metadata = {**(table.schema.metadata or {}), COMPLETE_FROM: complete_from.isoformat().encode()}
        pq.write_table(table.replace_schema_metadata(metadata), partial)
        partial.replace(folder / "contacts.parquet")

    def run_inputs(self, org: str, key: str) -> tuple[pa.Table, pa.Table, str | None] | None:
        """What the last run that recomputed ``key`` (a period, or the newcomers' curves) kept of its inputs
        (``analytics.run_inputs.as_tables``: people, aliases) and the stamp of that run; None when nothing is kept."""
        people, aliases = (self._org(org) / f"run-{name}.{key}.parquet" for name in ("people", "aliases"))
        if not (people.is_file() and aliases.is_file()):
            return None
        table = pq.read_table(people)
        stamp = (table.schema.metadata or {}).get(RUN_STAMP)
        return table, pq.read_table(aliases), None if stamp is None else stamp.decode()

    def keep_run_inputs(self, org: str, keys: Sequence[str], people: pa.Table, aliases: pa.Table, *, run: str) -> None:
        """Keep the inputs of a run that recomputed ``keys``, stamped ``run`` (the aliases first: the people file
        marks them kept)."""
        folder = self._org(org)
        folder.mkdir(parents=True, exist_ok=True)
        people = people.replace_schema_metadata({**(people.schema.metadata or {}), RUN_STAMP: run.encode()})
        for key in keys:
            for name, table in (("aliases", aliases), ("people", people)):
                partial = folder / f"run-{name}.{key}.partial"
                pq.write_table(table, partial)
                partial.replace(folder / f"run-{name}.{key}.parquet")

    def forget_run_inputs(self, org: str, keys: Sequence[str]) -> None:
        """Forget the kept inputs of ``keys`` (a run that recomputes them starts: until it ends, their stored rows
        may mix two runs)."""
        for key in keys:
            (self._org(org) / f"run-people.{key}.parquet").unlink(missing_ok=True)

    @staticmethod
    def _trim(folder: Path) -> None:
        files = list(folder.glob("*.parquet"))
        latest = sorted({p.name.split(".")[0] for p in files})[-KEEP:]
        for stale in files:
            if stale.name.split(".")[0] not in latest:
                stale.unlink()

    def clear(self, org: str, period: str | None = None) -> None:
        """Forget the org's kept ties (of one period, when given, with that period's files of the layout before
        this :data:`FORMAT`)."""
        if period is not None:
            shutil.rmtree(self._org(org) / period, ignore_errors=True)
        target = self._org(org) if period is None else self._folder(org, period)
        shutil.rmtree(target, ignore_errors=True)
