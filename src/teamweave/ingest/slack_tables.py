"""Slack export -> event tables, a block of day files at a time (the connector's table path).

Day files are read in the record path's order by a :class:`~teamweave.ingest.slack_plain.ColumnReader`: the
record path's :class:`~teamweave.ingest.slack_channel.ChannelReader` with one loop for the plain messages most
of an export is (a known user's message or thread reply, no subtype, bot or mention), which applies the same
thread and target rules; every other message goes through the per-message rules. So errors, skips, quarantine
lines and identities come out as on the record path, in its order. What differs is what happens to each event:
instead of an :class:`~teamweave.ingest.records.Interaction` with its keyed id and a datetime, it is one entry
of each column of a :class:`~teamweave.ingest.slack_plain.ColumnSink`; a block of at least
:data:`BLOCK_EVENTS` events (whole day files) becomes Arrow columns at once (the plain messages' times read from
their texts, :mod:`~teamweave.ingest.slack_times`), and its keyed event ids are computed by
:meth:`~teamweave.privacy.pseudonym.Pseudonymiser.event_id_array` on a worker thread while the next block is
read. The day files are read ahead on another worker thread, and all this runs on a third, one table ahead of the
consumer (:data:`TABLES_AHEAD`, :mod:`~teamweave.ingest.slack_read_ahead`,
:mod:`~teamweave.ingest.work_ahead`). Memory holds one day file's
messages, the day files read ahead (1,024) and up to four blocks: being read, its ids being computed, made,
being appended (docs/connectors.md, "Slack")."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import date
from typing import TYPE_CHECKING, Final

import numpy as np
import pyarrow as pa

from teamweave.ingest.arrow_masks import TS_TYPE
from teamweave.ingest.context import ImportContext
from teamweave.ingest.slack_channel import SOURCE, outside_window
from teamweave.ingest.slack_plain import ColumnReader, ColumnSink
from teamweave.ingest.slack_read_ahead import read_ahead
from teamweave.ingest.work_ahead import produced_ahead
from teamweave.store.events import EVENT_SCHEMA

if TYPE_CHECKING:
    from teamweave.ingest.slack_export import SlackExport

BLOCK_EVENTS: Final = 50_000
"""Events gathered (whole day files) before a block's columns are made: the pipeline's batch size."""
TABLES_AHEAD: Final = True
"""Make the tables on a worker thread, one ahead of the consumer (the pipeline's store appends), rather than on
the consumer's thread when it asks for the next. The worker does all the connector's work, its effects on the
import context (identities, skips, errors, quarantine lines) included, in the same order; the consumer must not
use the context, or the session behind its identities, until this generator has ended or been closed."""


def block_table(block: ColumnSink, ctx: ImportContext, hasher: Executor) -> Callable[[], pa.Table]:
    """Start a block: its columns now, its keyed ids on ``hasher``; returns what waits for them and makes the
    table (:data:`~teamweave.store.events.EVENT_SCHEMA`, the columns of ``records_to_table``)."""
    count = len(block)
    sources = pa.repeat(pa.scalar(SOURCE, pa.string()), count)
    micros, texts = block.times()
    ids = hasher.submit(ctx.pseudonymiser.event_id_array, sources, block.source_ids(texts))
    no = pa.array(np.zeros(count, dtype=bool))
    arrays = {
        "org": pa.repeat(pa.scalar(ctx.org, pa.string()), count),
        "source": sources,
        "kind": pa.array(block.kinds, pa.string()),
        "ts": pa.array(micros).cast(TS_TYPE),
        "duration_s": pa.nulls(count, pa.int32()),
        "actor": pa.array(block.actors, pa.string()),
        "targets": pa.array(block.targets, pa.list_(pa.string())),
        "audience": pa.array(block.audiences, pa.int32()),
        "channel": pa.array(block.channels, pa.string()),
        "thread": pa.array(block.threads, pa.string()),
        "by_bot": pa.array(block.bots, pa.bool_()),
        "via_ai": no,
        "in_person": no,
    }

    def table() -> pa.Table:
        columns = [ids.result() if name == "event_id" else arrays[name] for name in EVENT_SCHEMA.names]
        return pa.Table.from_arrays(columns, schema=EVENT_SCHEMA)

    return table


def _read_names(export: SlackExport, ctx: ImportContext) -> list[str]:
    """The day files the readers will read, in order: those not outside the window."""
    return [
        name
        for name in export.day_files
        if not outside_window(ctx, date.fromisoformat(name.split("/", 1)[1].removesuffix(".json")))
    ]


def event_tables(export: SlackExport, ctx: ImportContext) -> Iterator[pa.Table]:
    """The export's events as tables of whole day files: the day files read ahead on one worker thread, the
    tables made on another (:data:`TABLES_AHEAD`) one ahead of the consumer, a block's keyed ids computed on a
    third while the next block is read."""
    with read_ahead(export.archive.read, _read_names(export, ctx)) as files:
        sink = ColumnSink(files.read)
        if TABLES_AHEAD:
            yield from produced_ahead(lambda stopped: _tables(export, ctx, sink, stopped), name="slack-tables")
        else:
            yield from _tables(export, ctx, sink, lambda: False)


def _tables(
    export: SlackExport, ctx: ImportContext, sink: ColumnSink, stopped: Callable[[], bool]
) -> Iterator[pa.Table]:
    """The tables, made here; ends early (after the day file being read) once ``stopped()``."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="slack-event-ids") as hasher:
        pending: Callable[[], pa.Table] | None = None  # the previous block's, its ids being computed
        for _ in export.read_day_files(ctx, sink, reader_type=ColumnReader):
            if stopped():
                return
            if len(sink) >= BLOCK_EVENTS:
                made = block_table(sink.take(), ctx, hasher)
                if pending is not None:
                    yield pending()
                pending = made
        if pending is not None:
            yield pending()
        if len(sink):
            yield block_table(sink.take(), ctx, hasher)()
