"""The import pipeline: detect the format, stream records, resolve identities, pseudonymise, dedupe, quarantine.

Every connector yields metadata-only :class:`~teamweave.ingest.records.Interaction` records while it reads
(one day file or calendar file at a time); the pipeline appends them to the event store in batches, and the
store's idempotent append makes re-importing the same or an overlapping export count nothing twice. A source
that is not one we read fails with :class:`~teamweave.errors.InputFormatError` before anything is written.
The run is recorded as an ``ImportRun`` (running -> done / failed). Never commits: the caller does.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice
from operator import attrgetter
from pathlib import Path
from time import perf_counter
from typing import Final

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from teamweave.errors import TeamweaveError
from teamweave.imports import service as imports_service
from teamweave.imports.schemas import ImportSummary
from teamweave.ingest.connector import Connector, TableConnector
from teamweave.ingest.context import ImportContext
from teamweave.ingest.detect import Format, detect_format, parse_format
from teamweave.ingest.email_export import EmailArchive
from teamweave.ingest.generic_csv import CsvEvents
from teamweave.ingest.git_repo import GitRepository
from teamweave.ingest.github_json import GitHubJson
from teamweave.ingest.ics_calendar import IcsCalendars, default_window
from teamweave.ingest.identity import IdentityResolver
from teamweave.ingest.quarantine import QuarantineWriter
from teamweave.ingest.records import Interaction
from teamweave.ingest.slack_export import SlackExport
from teamweave.ingest.teams_graph import TeamsMessages
from teamweave.ingest.vivainsights import VivaInsightsQuery
from teamweave.privacy.erased import without_erased
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.progress import NullProgress, ProgressReporter
from teamweave.store.events import EventAppender, EventStore, records_to_table
from teamweave.store.org_lock import hold_org

BATCH_SIZE: Final = 50_000
_KIND: Final = attrgetter("kind")
GC_THRESHOLDS: Final = (50_000, 20, 100)
"""Cyclic-GC thresholds while an import runs (Python's default: 700, 10, 10), see :func:`_rare_collections`."""
SOURCE_OF_FORMAT: Final[dict[str, str]] = {
    "slack": "slack",
    "ics": "calendar",
    "git": "git",
    "github": "github",
    "teams": "teams",
    "csv": "csv",
    "email": "email",
    "vivainsights": "vivainsights",
}
OPENERS: Final[dict[str, Callable[[Path], Connector]]] = {
    "slack": SlackExport.open,
    "ics": IcsCalendars.open,
    "git": GitRepository.open,
    "github": GitHubJson.open,
    "teams": TeamsMessages.open,
    "csv": CsvEvents.open,
    "email": EmailArchive.open,
    "vivainsights": VivaInsightsQuery.open,
}

__all__ = ["ImportSummary", "import_path", "run_connector"]


def _start(value: date | datetime | None) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(), tzinfo=UTC)


def _end(value: date | datetime | None) -> datetime | None:
    """An exclusive end: a date means "through that day"."""
    if value is None or isinstance(value, datetime):
        return _start(value)
    return datetime.combine(value + timedelta(days=1), time(), tzinfo=UTC)


def import_window(
    fmt: Format, since: date | datetime | None, until: date | datetime | None
) -> tuple[datetime | None, datetime | None]:
    """The [since, until) window: as given; for calendars the 365 days before now by default."""
    start, end = _start(since), _end(until)
    if fmt == "ics":
        default_start, default_end = default_window()
        end = end or default_end
        start = start or min(default_start, end - timedelta(days=365))
    return start, end


def _open(fmt: Format, path: Path) -> Connector:
    return OPENERS[fmt](path)


@contextmanager
def _rare_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often during an import, then restore its thresholds.

    An import allocates millions of small objects that hold no reference cycles (records, tuples, strings), and
    a batch of 50,000 records is alive at once, so default collections rescan it again and again for nothing:
    about 20% of a Slack import (docs/performance.md). Reference counting still frees everything at once.
    """
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


class _Sink:
    """Appends batches to the org's store (each month's stored ids read once a run, not once a batch), leaving out
    the events of erased people (``privacy.erased``); counts the events added, already stored, read per kind and
    left out."""

    def __init__(self, appender: EventAppender, *, erased: set[str]) -> None:
        self._appender = appender
        self._erased = erased  # grows while the import meets identities of erased people
        self.added = self.duplicates = self.left_out = 0
        self.kinds: Counter[str] = Counter()

    def append(self, batch: pa.Table, *, counted: bool = False) -> None:
        """Append ``batch`` (``counted``: its kinds are counted already)."""
        if not counted:
            counts = pc.value_counts(batch.column("kind").combine_chunks())
            self.kinds.update(dict(zip(counts.field(0).to_pylist(), counts.field(1).to_pylist(), strict=True)))
        batch, left_out = without_erased(batch, self._erased)
        result = self._appender.append_table(batch)
        self.added, self.duplicates = self.added + result.added, self.duplicates + result.duplicates
        self.left_out += left_out


def _append_batches(records: Iterable[Interaction], sink: _Sink) -> None:
    """Append in batches of :data:`BATCH_SIZE` (memory holds one batch)."""
    stream = iter(records)
    while batch := list(islice(stream, BATCH_SIZE)):
        sink.kinds.update(map(_KIND, batch))
        sink.append(records_to_table(batch), counted=True)


def _append_tables(tables: Iterable[pa.Table], sink: _Sink) -> None:
    """:func:`_append_batches` for a connector that makes event tables: the same batches of exactly
    :data:`BATCH_SIZE` events (so the same duplicate is kept as with records), whatever the tables' sizes."""
    held: list[pa.Table] = []
    rows = 0
    stream = iter(tables)
    try:
        for table in stream:
            held.append(table)
            rows += table.num_rows
            while rows >= BATCH_SIZE:
                joined = pa.concat_tables(held)
                sink.append(joined.slice(0, BATCH_SIZE))
                held, rows = [joined.slice(BATCH_SIZE)], rows - BATCH_SIZE
    finally:  # closed now, not when a traceback lets go of it: a connector that makes its tables on a worker
        # thread (Slack's) uses the import context and its session there, and must stop before the caller does
        close = getattr(stream, "close", None)
        if close is not None:
            close()
    if rows:
        sink.append(pa.concat_tables(held))


def import_path(
    session: Session,
    *,
    org: str,
    path: Path,
    events: EventStore,
    pseudonymiser: Pseudonymiser,
    quarantine_dir: Path,
    fmt: Format | str | None = None,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
    progress: ProgressReporter | None = None,
) -> ImportSummary:
    """Import any format of docs/connectors.md (detected, or ``fmt``); return what happened."""
    path = Path(path)
    chosen = parse_format(fmt) or detect_format(path)
    return run_connector(
        session,
        org=org,
        connector=_open(chosen, path),
        source=SOURCE_OF_FORMAT[chosen],
        file_name=path.resolve().name,
        events=events,
        pseudonymiser=pseudonymiser,
        quarantine_dir=quarantine_dir,
        window=import_window(chosen, since, until),
        progress=progress,
    )


def run_connector(
    session: Session,
    *,
    org: str,
    connector: Connector,
    source: str,
    file_name: str,
    events: EventStore,
    pseudonymiser: Pseudonymiser,
    quarantine_dir: Path,
    window: tuple[datetime | None, datetime | None] = (None, None),
    progress: ProgressReporter | None = None,
) -> ImportSummary:
    """Run an opened connector through the pipeline: identities, quarantine, batched idempotent appends, and
    the ImportRun record. Closes the connector. Never commits. Holds the org's lock (``store.org_lock``) until
    the session's transaction ends, so that no erasure runs while events are written."""
    hold_org(session, org=org, progress=progress)
    run = imports_service.start_run(session, org=org, source=source, file_name=file_name)
    started = perf_counter()
    identities = IdentityResolver(session, org=org, source=source, pseudonymiser=pseudonymiser, run_id=run.id)
    try:
        with QuarantineWriter(quarantine_dir, source=source, run_id=run.id) as quarantine:
            ctx = ImportContext(
                org=org,
                pseudonymiser=pseudonymiser,
                identities=identities,
                quarantine=quarantine,
                since=window[0],
                until=window[1],
                progress=progress or NullProgress(),
            )
            with _rare_collections(), events.appender(org) as appender:
                sink = _Sink(appender, erased=identities.erased)
                if isinstance(connector, TableConnector):
                    _append_tables(connector.event_tables(ctx), sink)
                else:
                    _append_batches(connector.interactions(ctx), sink)
    except TeamweaveError as error:
        identities.flush()  # the events appended before the failure name these identities
        imports_service.fail_run(session, run=run, error=str(error))
        raise
    else:
        identities.flush()
    finally:
        connector.close()
    seconds = perf_counter() - started
    quarantine_file = str(quarantine.written) if quarantine.written else None
    imports_service.finish_run(
        session,
        run=run,
        added=sink.added,
        duplicates=sink.duplicates,
        skipped=ctx.skipped,
        counts=dict(sink.kinds),
        errors=ctx.errors,
        quarantine_file=quarantine_file,
    )
    read = sum(sink.kinds.values())
    return ImportSummary(
        run_id=run.id,
        source=source,
        file_name=file_name,
        read=read,
        added=sink.added,
        duplicates=sink.duplicates,
        erased=sink.left_out,
        skipped=ctx.skipped,
        counts_by_kind=dict(sorted(sink.kinds.items())),
        skip_reasons=dict(ctx.skip_reasons.most_common()),
        errors=list(ctx.errors),
        unmatched=sorted(ctx.identities.unmatched.values()),
        unmatched_total=ctx.identities.unmatched_count,
        bots=sorted(ctx.identities.bots.values()),
        bots_total=ctx.identities.bot_count,
        dropped_targets=len(ctx.unknown_targets),
        quarantine_file=quarantine.written,
        seconds=seconds,
        events_per_second=read / seconds if seconds > 0 else 0.0,
    )
