"""Microsoft Teams Graph JSON -> event tables, a block of messages at a time (the connector's table path).

The same two passes as :meth:`~teamweave.ingest.teams_graph.TeamsMessages.interactions`, over blocks of files
(:data:`BLOCK_MESSAGES` messages or more, whole files) instead of one Post at a time. The first learns each
conversation's participants, the channels' top-level authors and the names from each block's columns
(:mod:`teamweave.ingest.teams_columns`), once per distinct value, marks the messages seen before, and keeps
blocks of up to ``cache_posts`` messages in all, each prepared (:func:`~teamweave.ingest.teams_vector.prepare`):
which messages, mentions and reactions make events, and their keyed ids, computed on a worker thread while the
next block is parsed (none of that depends on who the events reach). The second makes each block's events
column by column (:mod:`teamweave.ingest.teams_vector`), re-reading the files of the blocks it did not keep.
Errors, skips and identities happen in the record path's order, and the events come out in its order, so the
store holds the same rows in the same order (docs/connectors/teams.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.errors import InputFormatError
from teamweave.ingest.arrow_masks import Mask
from teamweave.ingest.context import ImportContext
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.one_behind import one_behind
from teamweave.ingest.teams_columns import BlockBuilder, MessageBlock
from teamweave.ingest.teams_vector import EventIds, Prepared, block_events, prepare, repeated_rows, source_keys

if TYPE_CHECKING:
    from teamweave.ingest.teams_graph import TeamsMessages

BLOCK_MESSAGES: Final = 50_000
"""Messages (and problems) read before a block's columns are made: one block's columns are in memory at once."""


def _codes(array: pa.Array) -> tuple[list[str], np.ndarray]:
    encoded = pc.dictionary_encode(array)
    return encoded.dictionary.to_pylist(), np.asarray(encoded.indices.to_numpy(zero_copy_only=False))


def _first_of_each(codes: np.ndarray) -> np.ndarray:
    """The positions where each code first appears, in order."""
    return np.sort(np.unique(codes, return_index=True)[1]) if len(codes) else codes


@dataclass
class Participants:
    """What the first pass learns: each conversation's non-bot participants in the order first seen, each
    channel's top-level authors (key, is_bot) by (conversation, message id), and each identity's first name."""

    members: dict[str, dict[str, None]] = field(default_factory=dict)
    authors: dict[tuple[str, str], tuple[str, bool]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def learn(self, block: MessageBlock) -> None:
        """Learn from a block as ``_learn`` does from each of its Posts in turn (sender, mentions, reactors)."""
        rows = np.concatenate(
            [np.arange(block.rows, dtype=np.int64), block.mention_rows, block.reaction_rows]
        )  # each row's sender, then its mentions, then its reactors: their order in a Post
        order = np.argsort(rows, kind="stable")
        distinct, codes = _codes(pa.concat_arrays([block.sender, block.mention_key, block.reaction_key]))
        codes = codes[order]
        names = np.array([*block.sender_name, *block.mention_name, *block.reaction_name], dtype=object)[order]
        bots = np.concatenate([block.sender_bot, np.zeros(len(rows) - block.rows, dtype=bool)])[order]
        named = np.flatnonzero(names != "")
        for position in _first_of_each(codes[named]).tolist():
            entry = int(named[position])
            self.names.setdefault(distinct[codes[entry]], names[entry])
        conversations, conversation_codes = _codes(block.conversation)
        people = np.flatnonzero(~bots)
        entry_conversations = conversation_codes[rows[order][people]]
        pairs = entry_conversations * (len(distinct) + 1) + codes[people]
        for position in _first_of_each(pairs).tolist():
            conversation = conversations[entry_conversations[position]]
            self.members.setdefault(conversation, {}).setdefault(distinct[codes[people[position]]], None)
        self._learn_authors(block)

    def _learn_authors(self, block: MessageBlock) -> None:
        """Top-level channel messages' authors (only a channel reply looks its parent's author up)."""
        top = np.flatnonzero(~block.is_chat & ~np.asarray(block.reply_to.is_valid(), dtype=bool))
        if len(top) == 0:
            return
        taken = pa.array(top)
        for conversation, message_id, key, bot in zip(
            block.conversation.take(taken).to_pylist(),
            block.id.take(taken).to_pylist(),
            block.sender.take(taken).to_pylist(),
            block.sender_bot[top].tolist(),
            strict=True,
        ):
            self.authors.setdefault((conversation, message_id), (key, bot))


class TeamsTables:
    """The table path of one read of a :class:`~teamweave.ingest.teams_graph.TeamsMessages`."""

    def __init__(self, reader: TeamsMessages) -> None:
        self.reader = reader
        self.learned = Participants()
        self.seen: set[str] = set()
        self._pseudonyms: dict[str, str] = {}

    def pseudonym(self, ctx: ImportContext, key: str, *, is_bot: bool) -> str:
        """The pseudonym of a Teams identity key, labelled as the record path labels it (cached)."""
        cached = self._pseudonyms.get(key)
        if cached is None:
            name = self.learned.names.get(key) or key.removeprefix("app:")
            label = f"{name} (Teams{' app' if is_bot else ''})"
            identity = SourceIdentity(raw_id=key, label=label, is_bot=is_bot)
            cached = self._pseudonyms[key] = ctx.identities.pseudonym(identity)
        return cached

    def channel(self, ctx: ImportContext, conversation: str) -> str:
        """The pseudonym of a conversation or thread id (the reader's cache)."""
        return self.reader.channel(ctx, conversation) or ""

    def _blocks(self, files: list[Path], ctx: ImportContext) -> Iterator[tuple[list[Path], MessageBlock]]:
        """Blocks of whole files, read in order; progress advances a file at a time."""
        builder, group = BlockBuilder(), []
        for file in files:
            data = self.reader.load(file, ctx)
            if data is not None:
                builder.add_file(data, self.reader.name(file))
            group.append(file)
            ctx.progress.advance()
            if builder.outcomes >= BLOCK_MESSAGES:
                yield group, builder.build()
                builder, group = BlockBuilder(), []
        if group:
            yield group, builder.build()

    def _first_pass(
        self, files: list[Path], ctx: ImportContext, event_ids: EventIds
    ) -> list[tuple[list[Path], tuple[MessageBlock, Prepared] | None, Mask]]:
        """Each block's files, the block and its :class:`Prepared` when it is kept, and its repeated rows."""
        plan: list[tuple[list[Path], tuple[MessageBlock, Prepared] | None, Mask]] = []
        budget = self.reader.cache_posts
        for group, block in self._blocks(files, ctx):
            self.learned.learn(block)
            repeated = repeated_rows(block, self)
            if block.outcomes <= budget:
                budget -= block.outcomes
                kept = replace(block, sender_name=[], mention_name=[], reaction_name=[])
                plan.append((group, (kept, prepare(kept, ctx, event_ids, repeated)), repeated[1]))
            else:
                plan.append((group, None, repeated[1]))
        return plan

    def tables(self, ctx: ImportContext) -> Iterator[pa.Table]:
        """First pass: learn, and prepare the blocks kept (within ``cache_posts`` messages), their keyed ids
        computed on a worker thread while the next block is parsed; second pass: each block's events."""
        files = self.reader.files
        ctx.progress.start("Reading Teams messages", total=2 * len(files))
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="teams-event-ids") as hasher:

            def event_ids(sources: pa.Array, source_ids: pa.Array) -> Callable[[], pa.Array]:
                return hasher.submit(ctx.pseudonymiser.event_id_array, sources, source_ids).result

            plan = self._first_pass(files, ctx, event_ids)
            yield from one_behind(self._second_pass(plan, ctx, event_ids))  # a block's ids computed meanwhile
        ctx.progress.finish()

    def _second_pass(
        self,
        plan: list[tuple[list[Path], tuple[MessageBlock, Prepared] | None, Mask]],
        ctx: ImportContext,
        event_ids: EventIds,
    ) -> Iterator[Callable[[], pa.Table]]:
        """Each block's events, started (what waits for their keyed ids and makes the table)."""
        for group, kept, repeated in plan:
            if kept is not None:
                block, prepared = kept
                for _ in group:
                    ctx.progress.advance()
            else:  # read again, prepared again with the repeats the first pass found
                (_, block), *_ = self._blocks(group, ctx)
                if block.rows != len(repeated):
                    raise InputFormatError("the files changed while they were imported", file=group[0].name)
                prepared = prepare(block, ctx, event_ids, (source_keys(block), repeated))
            made = block_events(block, prepared, self, ctx)
            if made is not None:  # (a block without events)
                yield made
