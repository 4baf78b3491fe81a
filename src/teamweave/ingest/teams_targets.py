"""Who each Teams message of a block reaches, and every identity's pseudonym, as integer arrays.

Every identity key of a block (senders, mentioned users, reactors, the participants of its chats, the parents'
authors of its channel replies) gets one integer code (:class:`Keys`), so the rules compare and de-duplicate
integers: a chat message reaches its conversation's participants but its sender, a channel message the
parent's author and the mentioned (each once, the sender never). Pseudonyms are resolved once per distinct key
(:func:`pseudonyms`), in the order the record path first resolves them, so identity rows are written in its
order too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from teamweave.ingest.arrow_codes import Index, codes_of
from teamweave.ingest.arrow_masks import Mask
from teamweave.ingest.context import ImportContext
from teamweave.ingest.teams_columns import MessageBlock

if TYPE_CHECKING:
    from teamweave.ingest.teams_tables import TeamsTables


@dataclass(frozen=True)
class Entries:
    """Identities of one role (targets, mentioned, ...): each entry's row, key code and bot flag, rows ascending
    and a row's entries in the record path's order."""

    rows: Index
    codes: Index
    bots: Mask

    @classmethod
    def of(cls, rows: Index, codes: Index, bots: Mask | None = None) -> Entries:
        return cls(rows, codes, np.zeros(len(rows), dtype=bool) if bots is None else bots)

    def subset(self, kept: Index | Mask) -> Entries:
        return Entries(self.rows[kept], self.codes[kept], self.bots[kept])

    def not_own(self, sender: Index) -> Entries:
        """Without the entries that are their row's sender (``sender``: each row's key code)."""
        return self.subset(self.codes != sender[self.rows])

    def first_positions(self) -> Index:
        """The positions of the entries that are the first of their key in their row."""
        if len(self.rows) == 0:
            return np.zeros(0, dtype=np.int64)
        pairs = self.rows * (int(self.codes.max()) + 1) + self.codes
        first: Index = np.sort(np.unique(pairs, return_index=True)[1])
        return first

    def first_in_row(self) -> Entries:
        """Each key once per row: its first entry."""
        return self.subset(self.first_positions())


def merge(parts: list[Entries]) -> Entries:
    """Entries of several roles merged by row (stable: a row's entries keep the order of ``parts``)."""
    rows = np.concatenate([part.rows for part in parts])
    order = np.argsort(rows, kind="stable")
    codes = np.concatenate([part.codes for part in parts])
    return Entries(rows[order], codes[order], np.concatenate([part.bots for part in parts])[order])


class Keys:
    """Every identity key a block's rules use, with an integer code each: the senders', mentioned users' and
    reactors' of the block, the participants of the chats of ``chat_rows`` and the parents' authors of the
    channel replies of ``reply_rows``."""

    def __init__(self, block: MessageBlock, tables: TeamsTables, chat_rows: Index, reply_rows: Index) -> None:
        self.conversations, self.conversation = codes_of(block.conversation)
        conversations = self.conversations
        members = tables.learned.members
        needed = np.unique(self.conversation[chat_rows])
        lists = [list(members.get(name, {})) for name in conversations.take(pa.array(needed)).to_pylist()]
        self.member_start = np.zeros(len(conversations) + 1, dtype=np.int64)  # by conversation code
        self.member_count = np.zeros(len(conversations), dtype=np.int64)
        self.member_count[needed] = [len(people) for people in lists]
        self.member_start[1:] = np.cumsum(self.member_count)
        parents = self._parents(block, tables, reply_rows)
        flat = [key for people in lists for key in people]
        arrays = [block.sender, block.mention_key, block.reaction_key, pa.array(flat, pa.string()), parents[1]]
        self.distinct, codes = codes_of(pa.concat_arrays(arrays))
        bounds = np.cumsum([0, *(len(array) for array in arrays)])
        self.sender, self.mention, self.reaction, self.member, parent_codes = (
            codes[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)
        )
        self.parents = Entries(parents[0], parent_codes, parents[2])

    @staticmethod
    def _parents(block: MessageBlock, tables: TeamsTables, rows: Index) -> tuple[Index, pa.Array, Mask]:
        """The channel replies whose parent's author is known and not the sender: rows, author keys, bots."""
        taken = pa.array(rows)
        authors = tables.learned.authors
        found_rows, found_keys, found_bots = [], [], []
        for row, conversation, parent, own in zip(
            rows.tolist(),
            block.conversation.take(taken).to_pylist(),
            block.reply_to.take(taken).to_pylist(),
            block.sender.take(taken).to_pylist(),
            strict=True,
        ):
            author = authors.get((conversation, parent))
            if author is not None and author[0] != own:
                found_rows.append(row)
                found_keys.append(author[0])
                found_bots.append(author[1])
        return np.array(found_rows, np.int64), pa.array(found_keys, pa.string()), np.array(found_bots, bool)

    def chat_targets(self, rows: Index) -> Entries:
        """Each chat row's conversation participants but its sender, in the order first seen."""
        conversation = self.conversation[rows]
        counts = self.member_count[conversation]
        entry_rows = np.repeat(rows, counts)
        firsts = np.repeat(np.cumsum(counts) - counts, counts)
        flat = np.repeat(self.member_start[conversation], counts) + np.arange(len(entry_rows)) - firsts
        return Entries.of(entry_rows, self.member[flat]).not_own(self.sender)

    def others(self, block: MessageBlock, tables: TeamsTables, rows: Index) -> Index:
        """For channel rows: the conversation's participants but the sender (the record path's ``others``)."""
        members = tables.learned.members
        taken = pa.array(rows)
        conversations = block.conversation.take(taken).to_pylist()
        senders = block.sender.take(taken).to_pylist()
        counts = [
            len(people) - (own in people)
            for conversation, own in zip(conversations, senders, strict=True)
            for people in (members.get(conversation, {}),)
        ]
        return np.array(counts, dtype=np.int64)


def pseudonyms(keys: Keys, tables: TeamsTables, ctx: ImportContext, roles: list[Entries]) -> list[pa.Array]:
    """Each role's entries' pseudonyms; each distinct key is resolved once, in the order the record path first
    resolves it (row by row: the author, the targets, the mentioned, the reactors; ``roles`` in that order)."""
    size = len(keys.distinct)
    found_rows, found_roles, found_at, found_codes, found_bots = [], [], [], [], []
    for role, part in enumerate(roles):
        first = np.full(size, len(part.rows), dtype=np.int64)
        np.minimum.at(first, part.codes, np.arange(len(part.rows), dtype=np.int64))
        present = np.flatnonzero(first < len(part.rows))
        at = first[present]
        found_rows.append(part.rows[at])
        found_roles.append(np.full(len(at), role))
        found_at.append(at)
        found_codes.append(present)
        found_bots.append(part.bots[at])
    rows, role_of, at, codes, bots = (
        np.concatenate(found) for found in (found_rows, found_roles, found_at, found_codes, found_bots)
    )
    order = np.lexsort((at, role_of, rows))
    codes, bots = codes[order], bots[order]
    firsts = np.sort(np.unique(codes, return_index=True)[1]) if len(codes) else codes
    names: list[str | None] = [None] * size
    for code, key, bot in zip(
        codes[firsts].tolist(),
        keys.distinct.take(pa.array(codes[firsts])).to_pylist(),
        bots[firsts].tolist(),
        strict=True,
    ):
        names[code] = tables.pseudonym(ctx, key, is_bot=bot)
    resolved = pa.array(names, pa.string())
    return [resolved.take(pa.array(part.codes)) for part in roles]
