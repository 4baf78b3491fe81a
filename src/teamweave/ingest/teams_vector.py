"""The events of a block of Teams messages, made column by column with the record path's rules.

:meth:`~teamweave.ingest.teams_graph.TeamsMessages.interactions` makes, for each Post not seen before, its
message (or reply) event when its time is in the window, one ``mention`` event per distinct mentioned user but
its sender, and one ``reaction`` event per reaction by someone else in the window. Here each rule is an array
operation over the block: chat targets are the conversation's participants but the sender (one list per
distinct conversation, taken per row); channel targets the parent's author and the mentioned; identities are
resolved once per distinct key, in the order the record path first resolves them (each Post's author, targets,
mentioned, reactors), channels and threads once per distinct id, and the keyed event ids in DuckDB
(:meth:`~teamweave.privacy.pseudonym.Pseudonymiser.event_id_array`). The events are put in the record path's
order (each Post's message, mentions, reactions, Post by Post), and its skips and errors are reported in its
order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.ingest.arrow_codes import Index, codes_of
from teamweave.ingest.arrow_masks import Mask, in_window, mask
from teamweave.ingest.context import ImportContext
from teamweave.ingest.teams_columns import MessageBlock
from teamweave.ingest.teams_graph_json import SOURCE, Problem
from teamweave.ingest.teams_targets import Entries, Keys, merge, pseudonyms
from teamweave.store.events import EVENT_SCHEMA

if TYPE_CHECKING:
    from teamweave.ingest.teams_tables import TeamsTables

SAME: Final = "same message in another file or page"
OUTSIDE: Final = "outside --since/--until"
OWN: Final = "reaction to one's own message"

_KINDS: Final = pa.array(["message", "reply", "mention", "reaction"])

EventIds = Callable[[pa.Array, pa.Array], Callable[[], pa.Array]]
"""Starts :meth:`~teamweave.privacy.pseudonym.Pseudonymiser.event_id_array` (on a worker thread) and returns
what waits for its result."""


def _channels(
    block: MessageBlock, keys: Keys, tables: TeamsTables, ctx: ImportContext, rows: Index
) -> tuple[pa.Array, pa.Array]:
    """Each row's channel (its conversation) and thread pseudonyms; a chat's top-level message has no thread."""
    names = pa.array([tables.channel(ctx, name) for name in keys.conversations.to_pylist()], pa.string())
    channels = names.take(pa.array(keys.conversation[rows]))
    threaded = ~(block.is_chat & ~mask(block.reply_to.is_valid()))
    if not threaded[rows].any():
        return channels, pa.nulls(len(rows), pa.string())
    with_thread = np.flatnonzero(threaded)
    taken = pa.array(with_thread)
    text = pc.binary_join_element_wise(
        block.conversation.take(taken), pc.coalesce(block.reply_to.take(taken), block.id.take(taken)), ":"
    )
    encoded = pc.dictionary_encode(text)
    thread_codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    thread_names = [tables.channel(ctx, name) for name in encoded.dictionary.to_pylist()]
    index = np.full(block.rows, len(thread_names), dtype=np.int64)  # a row without a thread: null
    index[with_thread] = thread_codes
    return channels, pa.array([*thread_names, None], pa.string()).take(pa.array(index[rows]))


def _skips_and_problems(block: MessageBlock, ctx: ImportContext, skips: list[tuple[str, Index, Index]]) -> None:
    """Report the block's skips and problems in the record path's order: each problem where it is, each skip
    reason's count where it first happens (``skips``: reason, positions, sub-positions of each skip)."""
    due: list[tuple[int, int, str, int]] = []
    for reason, positions, subs in skips:
        if len(positions):
            first = int(np.lexsort((subs, positions))[0])
            due.append((int(positions[first]), int(subs[first]), reason, len(positions)))
    reports: list[tuple[int, int, tuple[str, int] | Problem]] = [(p, s, (reason, n)) for p, s, reason, n in due]
    reports += [(position, 0, problem) for position, problem in block.problems]
    for _, _, report in sorted(reports, key=lambda item: (item[0], item[1])):
        if not isinstance(report, Problem):
            ctx.skip(*report)
        elif report.bad:
            ctx.bad(location=report.location, reason=report.reason, **report.keys)
        else:
            ctx.skip(report.reason)


def _target_lists(values: list[pa.Array], counts: Index, order: Index) -> pa.ListArray:
    """The events' target lists in ``order``: the message events' (``counts`` values each, from the first
    array), then one value each for the mention and reaction events (the other arrays)."""
    sizes = np.concatenate([counts, np.ones(len(values[1]) + len(values[2]), dtype=np.int64)])
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])[order]
    sizes = sizes[order]
    offsets = np.concatenate([[0], np.cumsum(sizes)])
    flat = np.repeat(starts - offsets[:-1], sizes) + np.arange(int(offsets[-1]), dtype=np.int64)
    taken = pa.concat_arrays(values).take(pa.array(flat))
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), taken)


def source_keys(block: MessageBlock) -> pa.Array:
    """Each row's source id: ``conversation:id``."""
    return pc.binary_join_element_wise(block.conversation, block.id, ":")


def repeated_rows(block: MessageBlock, tables: TeamsTables) -> tuple[pa.Array, Mask]:
    """Each row's source id, and whether an earlier row or file had the same (the first pass asks, in file
    order, as the record path's second pass does: the same rows are repeats)."""
    keys = source_keys(block)
    seen = tables.seen
    listed = keys.to_pylist()
    distinct = set(listed)
    if len(distinct) == len(listed) and seen.isdisjoint(distinct):  # the usual block: all new
        seen |= distinct
        return keys, np.zeros(len(listed), dtype=bool)
    repeated = np.zeros(len(listed), dtype=bool)
    for row, key in enumerate(listed):
        if key in seen:
            repeated[row] = True
        else:
            seen.add(key)
    return keys, repeated


@dataclass(frozen=True)
class Prepared:
    """What a block's events are, without knowing who they reach: which rows and entries make events, their
    order, and their keyed ids (being computed on a worker thread). Needs no participant, so the first pass
    makes it and the ids are computed while the next block is parsed."""

    repeated: Mask
    inside: Mask
    sends: Index
    mention_index: Index
    """The mention entries that make ``mention`` events (not the sender's, each user once per message)."""
    reaction_inside: Mask
    own: Mask
    made: Index
    order: Index
    ids: Callable[[], pa.Array]


def prepare(block: MessageBlock, ctx: ImportContext, event_ids: EventIds, repeated: tuple[pa.Array, Mask]) -> Prepared:
    """A block's :class:`Prepared` (``repeated``: :func:`repeated_rows` of it); starts its keyed ids."""
    source_keys, repeats = repeated
    kept = ~repeats
    inside = in_window(block.ts, ctx)
    sends = np.flatnonzero(kept & inside)
    _, codes = codes_of(pa.concat_arrays([block.sender, block.mention_key, block.reaction_key]))
    sender, mention = codes[: block.rows], codes[block.rows : block.rows + len(block.mention_rows)]
    reaction = codes[block.rows + len(block.mention_rows) :]
    rows = block.mention_rows
    index = np.flatnonzero(kept[rows] & inside[rows])
    index = index[mention[index] != sender[rows[index]]]
    mention_index = index[Entries.of(rows[index], mention[index]).first_positions()]
    own = reaction == sender[block.reaction_rows]
    reacting = np.flatnonzero(kept[block.reaction_rows])
    reaction_inside = in_window(block.reaction_ts, ctx)
    made = reacting[~own[reacting] & reaction_inside[reacting]]
    mention_rows, reaction_rows = rows[mention_index], block.reaction_rows[made]
    event_rows = np.concatenate([sends, mention_rows, reaction_rows])
    groups = np.concatenate([np.zeros(len(sends)), np.ones(len(mention_rows)), np.full(len(reaction_rows), 2)])
    order = np.lexsort((groups, event_rows))  # Post by Post: the message, its mentions, its reactions
    taken = pa.array(order)
    reaction_parts = [block.reaction_type.take(pa.array(made)), block.reaction_key.take(pa.array(made))]
    source_ids = pa.concat_arrays(
        [
            source_keys.take(pa.array(sends)),
            pc.binary_join_element_wise(
                source_keys.take(pa.array(mention_rows)), block.mention_key.take(pa.array(mention_index)), ":mention:"
            ),
            pc.binary_join_element_wise(source_keys.take(pa.array(reaction_rows)), "reaction", *reaction_parts, ":"),
        ]
    ).take(taken)
    ids = event_ids(pa.repeat(pa.scalar(SOURCE), len(order)), source_ids)
    return Prepared(repeats, inside, sends, mention_index, reaction_inside, own, made, order, ids)


class _Rules:
    """The record path's rules over a prepared block: who each event reaches, and every pseudonym."""

    def __init__(self, block: MessageBlock, prepared: Prepared, tables: TeamsTables, ctx: ImportContext) -> None:
        self.block, self.prepared = block, prepared
        self.kept = ~prepared.repeated
        sends = self.sends = prepared.sends
        chat, self.channel = sends[block.is_chat[sends]], sends[~block.is_chat[sends]]
        replies = self.channel[mask(block.reply_to.take(pa.array(self.channel)).is_valid())]
        self.keys = keys = Keys(block, tables, chat, replies)
        index = prepared.mention_index
        self.mentions = mentions = Entries.of(block.mention_rows[index], keys.mention[index])
        channel_targets = merge([keys.parents, mentions.subset(~block.is_chat[mentions.rows])]).first_in_row()
        chat_targets = keys.chat_targets(chat)
        self.targets = merge([chat_targets, channel_targets]) if len(channel_targets.rows) else chat_targets
        self.made = made = prepared.made
        self.reactors = Entries.of(block.reaction_rows[made], keys.reaction[made])
        authors = np.flatnonzero(self.kept)
        roles = [
            Entries(authors, keys.sender[authors], block.sender_bot[authors]),
            self.targets,
            mentions,
            self.reactors,
        ]
        self.author, self.target_names, self.mentioned, self.reactor = pseudonyms(keys, tables, ctx, roles)
        self.count = len(prepared.order)

    def report(self, ctx: ImportContext) -> None:
        """The block's skips and problems, in the record path's order."""
        block, prepared, position = self.block, self.prepared, self.block.position
        reacting = np.flatnonzero(self.kept[block.reaction_rows])
        own, repeated = prepared.own, prepared.repeated
        outside_reactions = reacting[~own[reacting] & ~prepared.reaction_inside[reacting]]
        own_reactions = reacting[own[reacting]]
        outside_rows = np.flatnonzero(self.kept & ~prepared.inside)
        same = np.zeros(int(repeated.sum()), dtype=np.int64)
        outside = np.concatenate([position[outside_rows], position[block.reaction_rows[outside_reactions]]])
        outside_subs = np.concatenate([np.zeros(len(outside_rows), dtype=np.int64), outside_reactions + 1])
        skips = [
            (SAME, position[repeated], same),
            (OUTSIDE, outside, outside_subs),
            (OWN, position[block.reaction_rows[own_reactions]], own_reactions + 1),
        ]
        _skips_and_problems(block, ctx, skips)


def block_events(
    block: MessageBlock, prepared: Prepared, tables: TeamsTables, ctx: ImportContext
) -> Callable[[], pa.Table] | None:
    """What makes the block's events (:data:`~teamweave.store.events.EVENT_SCHEMA`, in the record path's order)
    once their keyed ids are computed; None when it makes none. Its skips and errors are reported and its
    identities resolved when this returns."""
    rules = _Rules(block, prepared, tables, ctx)
    rules.report(ctx)
    if rules.count == 0:
        return None
    event_rows = np.concatenate([rules.sends, rules.mentions.rows, rules.reactors.rows])
    columns = _columns(rules, tables, ctx, prepared.order, event_rows)

    def table() -> pa.Table:
        columns["event_id"] = prepared.ids()
        arrays = [columns[name].cast(field.type) for name, field in zip(EVENT_SCHEMA.names, EVENT_SCHEMA, strict=True)]
        return pa.Table.from_arrays(arrays, schema=EVENT_SCHEMA)

    return table


def _columns(
    rules: _Rules, tables: TeamsTables, ctx: ImportContext, order: Index, event_rows: Index
) -> dict[str, pa.Array]:
    """The event columns but ``event_id``, in ``order``: the message events, then the mention events, then the
    reaction events, as :func:`block_events` lists them, put Post by Post."""
    block, sends, mentions, reactors, count = rules.block, rules.sends, rules.mentions, rules.reactors, rules.count
    author, n = rules.author, block.rows
    author_of = np.cumsum(rules.kept) - 1  # a kept row's index among the authors
    counts = np.bincount(rules.targets.rows, minlength=n)[sends]
    audience = counts.copy()
    on_channel = ~block.is_chat[sends]
    audience[on_channel] = np.maximum(audience[on_channel], rules.keys.others(block, tables, rules.channel))
    kind_codes = np.concatenate(
        [mask(block.reply_to.take(pa.array(sends)).is_valid()).astype(np.int64), np.full(len(mentions.rows), 2),
         np.full(len(reactors.rows), 3)]
    )  # fmt: skip
    when = np.concatenate([sends, mentions.rows, n + rules.made])[order]
    actor_index = np.concatenate(
        [author_of[sends], author_of[mentions.rows], len(author) + np.arange(len(rules.reactor))]
    )
    reacted_to = author.take(pa.array(author_of[reactors.rows]))
    channels, threads = _channels(block, rules.keys, tables, ctx, event_rows[order])
    bots = np.concatenate(
        [block.sender_bot[sends], block.sender_bot[mentions.rows], np.zeros(len(reactors.rows), bool)]
    )
    audiences = np.concatenate([audience, np.ones(count - len(sends), dtype=np.int64)])
    false = pa.array(np.zeros(count, dtype=bool))
    return {
        "org": pa.repeat(pa.scalar(ctx.org, pa.string()), count),
        "source": pa.repeat(pa.scalar(SOURCE, pa.string()), count),
        "kind": _KINDS.take(pa.array(kind_codes[order])),
        "ts": pa.concat_arrays([block.ts, block.reaction_ts]).take(pa.array(when)),
        "duration_s": pa.nulls(count, pa.int32()),
        "actor": pa.concat_arrays([author, rules.reactor]).take(pa.array(actor_index[order])),
        "targets": _target_lists([rules.target_names, rules.mentioned, reacted_to], counts, order),
        "audience": pa.array(audiences[order], pa.int32()),
        "channel": channels,
        "thread": threads,
        "by_bot": pa.array(bots[order]),
        "via_ai": false,
        "in_person": false,
    }
