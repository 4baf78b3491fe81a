"""Slack export -> event tables, a block of day files at a time (the connector's table path).

Day files are read in the record path's order by a :class:`ColumnReader`: the record path's
:class:`~teamweave.ingest.slack_channel.ChannelReader` with a shortcut for the plain messages most of an export
is (a known user's message or thread reply, no subtype, bot or mention), which uses the reader's own thread and
target rules; every other message goes through the per-message rules. So errors, skips, quarantine lines and
identities come out as on the record path, in its order. What differs is what happens to each event: instead of
an :class:`~teamweave.ingest.records.Interaction` with its keyed id and a datetime, it is one row tuple in a
:class:`ColumnSink`; a block of at least :data:`BLOCK_EVENTS` events (whole day files) becomes Arrow columns at
once, and its keyed event ids are computed by
:meth:`~teamweave.privacy.pseudonym.Pseudonymiser.event_id_array` on a worker thread while the next block is
read. Memory holds one day file's messages and two blocks' rows (docs/connectors.md, "Slack")."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import pyarrow as pa

from teamweave.ingest.arrow_masks import TS_TYPE
from teamweave.ingest.context import ImportContext
from teamweave.ingest.slack_channel import PLAIN_TS, SOURCE, Actor, ChannelReader, EventSink, Thread, order_key
from teamweave.store.events import EVENT_SCHEMA

if TYPE_CHECKING:
    from teamweave.ingest.slack_export import SlackChannel, SlackExport

BLOCK_EVENTS: Final = 50_000
"""Events gathered (whole day files) before a block's columns are made: the pipeline's batch size."""

Row = tuple[str, str, int, str, tuple[str, ...], int, str, str | None, bool]
"""source event id, kind, ts (µs since the epoch), actor, targets, audience, channel, thread, by_bot."""


class ColumnSink:
    """An :class:`~teamweave.ingest.slack_channel.EventSink` that keeps each event as one row tuple."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def __len__(self) -> int:
        return len(self.rows)

    def add(
        self,
        key: str,
        kind: str,
        ts: int,
        actor: Actor,
        targets: tuple[str, ...],
        audience: int,
        channel: str,
        thread: str | None,
    ) -> None:
        self.rows.append((key, kind, ts, actor.pseudonym, targets, audience, channel, thread, actor.by_bot))

    def take(self) -> list[Row]:
        """The rows added since the last take."""
        rows, self.rows = self.rows, []
        return rows


BOT_KEYS: Final = frozenset({"subtype", "bot_id"})
"""A message with neither key is posted by its ``user`` (the rules' bot and subtype branches do not apply)."""


class ColumnReader(ChannelReader):
    """A :class:`~teamweave.ingest.slack_channel.ChannelReader` with a shortcut for the messages most of an
    export is: a known user's message or reply with no subtype, bot or mention. Such a message makes its row
    here, with the reader's own thread and target rules and in :meth:`message`'s order (the same window skip,
    identities, reactions); every other message, and one with anything odd (a time that is not plain digits, an
    unknown user), goes to :meth:`message`. The sink is a :class:`ColumnSink`."""

    def __init__(self, export: SlackExport, channel: SlackChannel, ctx: ImportContext, sink: EventSink) -> None:
        super().__init__(export, channel, ctx, sink)
        assert isinstance(sink, ColumnSink)
        self.columns = sink
        self._unmentioned: dict[str, tuple[tuple[str, ...], int]] = {}  # targets, audience by actor, no mention

    def messages(self, name: str, data: list[Any]) -> None:
        """:meth:`ChannelReader.messages`, plain messages through :meth:`_posted`."""
        keys = [order_key(message) for message in data]  # the record path's order, without its tuples
        users, plain_ts = self.export.users, PLAIN_TS.fullmatch
        for index in sorted(range(len(data)), key=keys.__getitem__):
            m = data[index]
            if type(m) is dict and m.keys().isdisjoint(BOT_KEYS) and m.get("type", "message") == "message":
                raw_ts, user_id, text = m.get("ts"), m.get("user"), m.get("text")
                user = users.get(user_id) if type(user_id) is str else None
                plain = plain_ts(raw_ts) if type(raw_ts) is str else None
                if plain and user is not None and not (type(text) is str and "<@" in text):
                    self._posted(m, plain, user.id, by_bot=user.is_bot)
                    continue
            if not isinstance(m, dict):
                self.ctx.bad(location=f"{name}, message {index + 1}", reason="message is not a JSON object")
                continue
            self.message(m, f"{name}, message {index + 1}")

    def _posted(self, m: dict[str, Any], plain: re.Match[str], user_id: str, *, by_bot: bool) -> None:
        """:meth:`message` for a message posted by a known user, with a plain time and no mention."""
        seconds, fraction = plain.groups()
        ts = int(seconds) * 1_000_000 + (int(fraction.ljust(6, "0")) if fraction else 0)
        if (self._since is not None and ts < self._since) or (self._until is not None and ts >= self._until):
            self.ctx.skip("outside --since/--until")
            return
        actor = self.export.pseudonyms.get(user_id) or self.person(user_id)
        assert actor is not None
        raw_ts, thread_ts = plain.string, m.get("thread_ts")
        if type(thread_ts) is not str:
            thread_ts = None
        thread = self._thread_id(thread_ts) if thread_ts else None
        key = f"{self.channel.id}:{raw_ts}"
        if thread_ts and thread_ts != raw_ts:
            targets, audience = self._reply_targets(m, thread_ts, actor)
            kind = "reply"
        else:
            unmentioned = self._unmentioned.get(actor)
            if unmentioned is None:
                unmentioned = self._unmentioned[actor] = self._channel_targets((), actor)
            targets, audience = unmentioned
            kind = "message"
            if thread_ts:
                self.threads.setdefault(thread_ts, Thread(parent=actor))
        self.columns.rows.append((key, kind, ts, actor, targets, audience, self.channel_pseudonym, thread, by_bot))
        if "reactions" in m:
            self._reactions(m, key, ts, actor, thread)


def block_table(rows: list[Row], ctx: ImportContext, hasher: Executor) -> Callable[[], pa.Table]:
    """Start a block: its columns now, its keyed ids on ``hasher``; returns what waits for them and makes the
    table (:data:`~teamweave.store.events.EVENT_SCHEMA`, the columns of ``records_to_table``)."""
    keys, kinds, ts, actors, targets, audiences, channels, threads, bots = zip(*rows, strict=True)
    count = len(rows)
    sources = pa.repeat(pa.scalar(SOURCE, pa.string()), count)
    ids = hasher.submit(ctx.pseudonymiser.event_id_array, sources, pa.array(keys, pa.string()))
    no = pa.array(np.zeros(count, dtype=bool))
    arrays = {
        "org": pa.repeat(pa.scalar(ctx.org, pa.string()), count),
        "source": sources,
        "kind": pa.array(kinds, pa.string()),
        "ts": pa.array(ts, pa.int64()).cast(TS_TYPE),
        "duration_s": pa.nulls(count, pa.int32()),
        "actor": pa.array(actors, pa.string()),
        "targets": pa.array(targets, pa.list_(pa.string())),
        "audience": pa.array(audiences, pa.int32()),
        "channel": pa.array(channels, pa.string()),
        "thread": pa.array(threads, pa.string()),
        "by_bot": pa.array(bots, pa.bool_()),
        "via_ai": no,
        "in_person": no,
    }

    def table() -> pa.Table:
        columns = [ids.result() if name == "event_id" else arrays[name] for name in EVENT_SCHEMA.names]
        return pa.Table.from_arrays(columns, schema=EVENT_SCHEMA)

    return table


def event_tables(export: SlackExport, ctx: ImportContext) -> Iterator[pa.Table]:
    """The export's events as tables of whole day files (a block's ids computed while the next is read)."""
    sink = ColumnSink()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="slack-event-ids") as hasher:
        pending: Callable[[], pa.Table] | None = None  # the previous block's, its ids being computed
        for _ in export.read_day_files(ctx, sink, reader_type=ColumnReader):
            if len(sink) >= BLOCK_EVENTS:
                made = block_table(sink.take(), ctx, hasher)
                if pending is not None:
                    yield pending()
                pending = made
        if pending is not None:
            yield pending()
        if len(sink):
            yield block_table(sink.take(), ctx, hasher)()
