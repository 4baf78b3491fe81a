"""The Slack table path's reader: the record path's rules, with one tight loop for the plain messages.

Most of an export is plain messages: a known user's message or thread reply with no subtype, bot or mention.
:class:`ColumnReader` reads each day file in the record path's order and makes a plain message's events in one
loop over the file (no call per message, its targets from caches per author and per thread), appending them to a
:class:`ColumnSink`'s columns; every other message, and one with anything odd (a
time that is not plain digits, an unknown user, a mention), goes through
:meth:`~teamweave.ingest.slack_channel.ChannelReader.message`, whose events go to the same columns. So errors,
skips, quarantine lines, identities and events come out as on the record path, in its order
(tests/ingest/test_slack_tables.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.ingest.context import ImportContext
from teamweave.ingest.slack_channel import PLAIN_TS, Actor, ChannelReader, EventSink, Thread
from teamweave.ingest.slack_times import file_order, plain_micros, slack_micros

if TYPE_CHECKING:
    from teamweave.ingest.slack_export import SlackChannel, SlackExport


class ColumnSink:
    """An :class:`~teamweave.ingest.slack_channel.EventSink` that keeps each event as one entry of each column
    (kind, actor, targets, audience, channel, thread, by_bot), and its source id and time for a block at once.

    A plain message's time is kept as its ``ts`` text (``stamps``: one for each event not added through
    :meth:`add`), read at once for a block (:mod:`~teamweave.ingest.slack_times`); an event added through
    :meth:`add` has its microseconds in ``exact``, by position. A plain message's source id is its
    conversation's id (``runs``: where each reader's events begin) and its ``ts``, joined for a block; any other
    event's is in ``named``, by position."""

    def __init__(self, read: Callable[[str], bytes] | None = None) -> None:
        self.read = read  # where the readers get day files' bytes (None: from the archive)
        self.kinds: list[str] = []
        self.named: dict[int, str] = {}
        self.runs: list[tuple[int, str]] = []  # (first position, conversation id)
        self.stamps: list[str] = []
        self.exact: dict[int, int] = {}
        self.any_shape = False  # false: every stamp is as Slack writes them (slack_times.SLACK_SHAPE)
        self.actors: list[str] = []
        self.targets: list[tuple[str, ...]] = []
        self.audiences: list[int] = []
        self.channels: list[str] = []
        self.threads: list[str | None] = []
        self.bots: list[bool] = []

    def __len__(self) -> int:
        return len(self.kinds)

    def conversation(self, channel_id: str) -> None:
        """The plain messages from here on are in this conversation."""
        if not self.runs or self.runs[-1][1] != channel_id:
            self.runs.append((len(self.kinds), channel_id))

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
        self.exact[len(self.kinds)] = ts
        self._named(key, kind, actor, targets, audience, channel, thread)

    def stamped(
        self, key: str, stamp: str, actor: Actor, targets: tuple[str, ...], channel: str, thread: str | None
    ) -> None:
        """A reaction whose time is a plain ``ts`` (:func:`~teamweave.ingest.slack_times.plain_stamps`), read with
        the block's."""
        self.stamps.append(stamp)
        self._named(key, "reaction", actor, targets, 1, channel, thread)

    def _named(
        self,
        key: str,
        kind: str,
        actor: Actor,
        targets: tuple[str, ...],
        audience: int,
        channel: str,
        thread: str | None,
    ) -> None:
        """An event with its own source id (``key``), in every column but its time's."""
        self.named[len(self.kinds)] = key
        self.kinds.append(kind)
        self.actors.append(actor.pseudonym)
        self.targets.append(targets)
        self.audiences.append(audience)
        self.channels.append(channel)
        self.threads.append(thread)
        self.bots.append(actor.by_bot)

    def times(self) -> tuple[npt.NDArray[np.int64], pa.StringArray]:
        """Each event's time in microseconds since the epoch, and the ``stamps`` as an array."""
        if self.any_shape:
            texts = pa.array(self.stamps, pa.string())
            plain = plain_micros(texts)
        else:
            plain, texts = slack_micros(self.stamps)
        if not self.exact:
            return plain, texts
        count = len(self.kinds)
        micros = np.empty(count, dtype=np.int64)
        positions = np.fromiter(self.exact.keys(), np.int64, len(self.exact))
        read = np.ones(count, dtype=bool)
        read[positions] = False
        micros[read] = plain
        micros[positions] = np.fromiter(self.exact.values(), np.int64, len(self.exact))
        return micros, texts

    def source_ids(self, texts: pa.StringArray) -> pa.StringArray:
        """Each event's source id (``texts``: the ``stamps``, from :meth:`times`)."""
        count = len(self.kinds)
        named = np.fromiter(self.named.keys(), np.int64, len(self.named))
        implicit = np.ones(count, dtype=bool)
        implicit[named] = False
        rows = np.flatnonzero(implicit)
        stamped = np.ones(count, dtype=bool)
        stamped[np.fromiter(self.exact.keys(), np.int64, len(self.exact))] = False
        stamp_of = np.cumsum(stamped) - 1  # a stamped row's place in ``stamps``
        parts = [pa.array(list(self.named.values()), pa.string())]
        if len(rows):
            starts = np.array([start for start, _ in self.runs], dtype=np.int64)
            conversations = pa.array([channel_id for _, channel_id in self.runs], pa.string())
            run_of = np.searchsorted(starts, rows, side="right") - 1
            plain = pc.binary_join_element_wise(
                conversations.take(pa.array(run_of)), texts.take(pa.array(stamp_of[rows])), ":"
            )
            parts.insert(0, plain)
        order = np.empty(count, dtype=np.int64)
        order[rows] = np.arange(len(rows))
        order[named] = len(rows) + np.arange(len(named))
        return pa.concat_arrays(parts).take(pa.array(order))

    def take(self) -> ColumnSink:
        """The events added since the last take (as a sink of their own); this sink is emptied."""
        taken = ColumnSink(self.read)
        self.__dict__, taken.__dict__ = taken.__dict__, self.__dict__
        return taken


class ColumnReader(ChannelReader):
    """A :class:`~teamweave.ingest.slack_channel.ChannelReader` whose plain messages are made in
    :meth:`messages` itself (see the module's docstring). The sink is a
    :class:`ColumnSink`.

    Thread replies take their targets from each thread's participants (parent, then repliers, each once, in
    order of first appearance: what ``_unique_except`` keeps of the parent and the repliers), kept per thread."""

    def __init__(self, export: SlackExport, channel: SlackChannel, ctx: ImportContext, sink: EventSink) -> None:
        super().__init__(export, channel, ctx, sink)
        assert isinstance(sink, ColumnSink)
        self.columns = sink
        self._unmentioned: dict[str, tuple[tuple[str, ...], int]] = {}  # targets, audience by actor, no mention
        self._participants: dict[str, dict[str | None, None]] = {}  # by thread_ts
        self._reactors: dict[str, Actor] = {}  # by user id: known users only

    def read_bytes(self, name: str) -> bytes:
        """A day file's bytes, from the sink's ``read`` when it has one (a read-ahead)."""
        return self.export.archive.read(name) if self.columns.read is None else self.columns.read(name)

    def messages(self, name: str, data: list[Any]) -> None:
        """:meth:`ChannelReader.messages`, the plain messages made here."""
        export, ctx, columns = self.export, self.ctx, self.columns
        users, pseudonyms, plain_ts = export.users, export.pseudonyms, PLAIN_TS.fullmatch
        since, until = self._since, self._until
        channel_id, channel_pseudonym = self.channel.id, self.channel_pseudonym
        threads, thread_ids, unmentioned = self.threads, self._thread_ids, self._unmentioned
        kinds, stamps, actors = columns.kinds, columns.stamps, columns.actors
        targets_of, audiences, channels, thread_of, bots = (
            columns.targets, columns.audiences, columns.channels, columns.threads, columns.bots
        )  # fmt: skip
        columns.conversation(channel_id)
        order, plain_file, slack_shaped = file_order(data)
        read_each = not plain_file or since is not None or until is not None  # each time read here
        if not slack_shaped:  # (as Slack writes them: plain too)
            columns.any_shape = True  # a time of this file's may be of another shape
        for index in order:
            m = data[index]
            if type(m) is not dict:
                ctx.bad(location=f"{name}, message {index + 1}", reason="message is not a JSON object")
                continue
            if "subtype" in m or "bot_id" in m or m.get("type", "message") != "message":
                self.message(m, f"{name}, message {index + 1}")
                continue
            user_id, text = m.get("user"), m.get("text")
            user = users.get(user_id) if type(user_id) is str else None  # str: hashable
            if user is None or (type(text) is str and "<@" in text):
                self.message(m, f"{name}, message {index + 1}")
                continue
            if read_each:
                plain = plain_ts(m["ts"]) if type(m.get("ts")) is str else None
                if plain is None:
                    self.message(m, f"{name}, message {index + 1}")
                    continue
                raw_ts: str = plain.string
                seconds, fraction = plain.groups()
                ts = int(seconds) * 1_000_000 + (int(fraction.ljust(6, "0")) if fraction else 0)
                if (since is not None and ts < since) or (until is not None and ts >= until):
                    ctx.skip("outside --since/--until")
                    continue
            else:
                raw_ts = m["ts"]  # a plain time, as file_order found
            # a known user's message or reply, a plain time, no mention: message()'s rules, inline
            actor = pseudonyms.get(user.id) or self.person(user.id)
            assert actor is not None
            thread_ts = m.get("thread_ts")
            if type(thread_ts) is not str or not thread_ts:
                thread = None
                targets, audience = unmentioned.get(actor) or self._unmentioned_targets(actor)
                kind = "message"
            else:
                thread = thread_ids.get(thread_ts) or self._thread_id(thread_ts)
                if thread_ts != raw_ts:
                    targets, audience = self._reply_targets(m, thread_ts, actor)
                    kind = "reply"
                else:
                    targets, audience = unmentioned.get(actor) or self._unmentioned_targets(actor)
                    kind = "message"
                    if thread_ts not in threads:
                        threads[thread_ts] = Thread(parent=actor)
            kinds.append(kind)
            stamps.append(raw_ts)
            actors.append(actor)
            targets_of.append(targets)
            audiences.append(audience)
            channels.append(channel_pseudonym)
            thread_of.append(thread)
            bots.append(user.is_bot)
            if "reactions" in m:
                key = f"{channel_id}:{raw_ts}"
                if read_each:
                    self._reactions(m, key, ts, actor, thread)
                else:
                    self._reactions(m, key, 0, actor, thread, stamp=raw_ts)

    def _unmentioned_targets(self, actor: str) -> tuple[tuple[str, ...], int]:
        """:meth:`_channel_targets` of a message that mentions no one (cached per actor)."""
        targets = self._unmentioned[actor] = self._channel_targets((), actor)
        return targets

    def _reply_targets(self, m: dict[str, Any], thread_ts: str, actor: str) -> tuple[tuple[str, ...], int]:
        """:meth:`ChannelReader._reply_targets` from the thread's participants (each once, in order)."""
        participants = self._participants.get(thread_ts)
        if participants is None:
            thread = self.threads.get(thread_ts)
            if thread is None:
                thread = self.threads[thread_ts] = Thread(parent=self.person(m.get("parent_user_id")))
            participants = self._participants[thread_ts] = dict.fromkeys([thread.parent, *thread.repliers])
        targets = tuple(p for p in participants if p is not None and p != actor)
        participants[actor] = None
        return targets, len(targets)

    def _reactions(
        self, m: dict[str, Any], key: str, ts: int, author: str, thread: str | None, *, stamp: str | None = None
    ) -> None:
        """:meth:`ChannelReader._reactions`, each known reactor's :class:`Actor` made once; with a ``stamp`` (the
        message's plain ``ts``), the events' time is read from it (:meth:`ColumnSink.stamped`) and ``ts`` is not
        used."""
        reactions = m.get("reactions")
        if not isinstance(reactions, list):
            return
        users, reactors, columns = self.export.users, self._reactors, self.columns
        for reaction in reactions:
            if not isinstance(reaction, dict) or not isinstance(reaction.get("users"), list):
                continue
            for user_id in reaction["users"]:
                reactor = reactors.get(user_id) if type(user_id) is str else None
                if reactor is None:
                    user = users.get(user_id) if isinstance(user_id, str) else None
                    pseudonym = self.person(user_id) if user is not None else None
                    if user is None or pseudonym is None:
                        self.ctx.skip("reaction by a user not in users.json")
                        continue
                    reactor = reactors[user_id] = Actor(pseudonym, user.is_bot)
                if reactor.pseudonym == author:
                    self.ctx.skip("reaction to one's own message")
                else:
                    reaction_key = f"{key}:reaction:{reaction.get('name')}:{user_id}"
                    if stamp is None:
                        columns.add(reaction_key, "reaction", ts, reactor, (author,), 1, self.channel_pseudonym, thread)
                    else:
                        columns.stamped(reaction_key, stamp, reactor, (author,), self.channel_pseudonym, thread)
