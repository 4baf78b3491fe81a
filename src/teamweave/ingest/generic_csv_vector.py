"""The events of a block of plain generic-CSV rows, computed column by column in Arrow.

The row reader (:class:`~teamweave.ingest.generic_csv.CsvEvents`) costs ~12 µs a row in Python; here each of its
checks is a compute kernel over the whole block, identities are resolved once per distinct value, channels and
threads once per distinct pair, and only the keyed event id is computed once per row. The rows this accepts are
those whose defined values are printable ASCII (where Python's ``str.strip``/``str.lower`` and Arrow's ASCII
kernels agree) and pass every check of the row reader's usual path; any other row (a bad row, a blank one, a
non-ASCII value, an audience smaller than its targets, a date Arrow refuses) is handed to the row reader in its
place, so its event, or its error naming the line and field, is exactly the row reader's, and identities are
resolved, errors reported and skips counted in the row reader's order (docs/performance.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Protocol

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.ingest.arrow_codes import Index, codes_of, first_per_row, first_positions, int_array, repeated_in_row
from teamweave.ingest.arrow_masks import TS_TYPE, Mask, in_window, mask
from teamweave.ingest.context import ImportContext
from teamweave.ingest.records import KINDS, SOURCES, Interaction
from teamweave.store.events import EVENT_SCHEMA, records_to_table

SOURCE: Final = "csv"
OUTSIDE_WINDOW: Final = "outside --since/--until"
MAX_VALUE_CHARS: Final = 320
MAX_TARGETS: Final = 10_000
DEFINED: Final = (
    "ts", "kind", "actor", "targets", "source", "audience", "duration",
    "channel", "thread", "id", "by_bot", "via_ai", "in_person",
)  # fmt: skip
TRUE_TEXTS: Final = frozenset({"true", "yes", "1", "y"})
FLAG_TEXTS: Final = TRUE_TEXTS | frozenset({"false", "no", "0", "n", ""})
_TS_PATTERN: Final = (  # what datetime.fromisoformat reads the same way; the cast refuses impossible days
    r"^[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(\.[0-9]{1,6})?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
)
_COUNT_PATTERN: Final = r"^[0-9]{1,9}$"  # what float() reads as the same integer below 2**31
_SOURCES: Final = pa.array(sorted(SOURCES))
_KINDS: Final = pa.array(sorted(KINDS))
_FLAGS: Final = pa.array(sorted(FLAG_TEXTS))
_TRUE: Final = pa.array(sorted(TRUE_TEXTS))

EventIds = Callable[[pa.Array, pa.Array], Callable[[], pa.Array]]
"""Starts :meth:`~teamweave.privacy.pseudonym.Pseudonymiser.event_id_array` (on a worker thread) and returns
what waits for its result."""


class RowReader(Protocol):
    """What the block needs of the row reader: its per-row path, and its identity and channel caches."""

    def read_row(self, values: list[str], line: int, ctx: ImportContext) -> Interaction | None: ...

    def pseudonym(self, ctx: ImportContext, value: str, *, is_bot: bool = False) -> str: ...

    def channel(self, ctx: ImportContext, source: str, channel: str) -> str: ...

    def cache_room(self, values: list[str], *, is_bot: bool) -> int:
        """How many of ``values`` can be resolved before the identity cache is emptied, minus those not
        cached yet (negative: resolving them all would empty it)."""
        ...


@dataclass(frozen=True)
class PlainBlock:
    """Rows split by Arrow: the first column of each defined name (string arrays), each row's line number in
    the file, the number of lines of the block (blank ones too), and a row's line's text (for the row reader)."""

    columns: dict[str, pa.Array]
    rows: int
    lines: Index
    line_total: int
    text: Callable[[int], str]


def _parses(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


class _Checked:
    """Every vectorised check of a block; ``ok`` marks the rows the row reader's usual path accepts."""

    def __init__(self, block: PlainBlock) -> None:
        n = block.rows
        self.ok: Mask = np.ones(n, dtype=bool)
        self.text: dict[str, pa.Array] = {}
        for name, array in block.columns.items():
            self.ok &= mask(pc.ascii_is_printable(array))
            value = self.text[name] = pc.ascii_trim(array, " ")
            if name != "targets":  # each target is checked on its own
                self.ok &= mask(pc.less_equal(pc.binary_length(value), MAX_VALUE_CHARS))
        self.ok &= mask(pc.greater(pc.binary_length(self.text["actor"]), 0))
        self.source = self._lowered("source", default=SOURCE, allowed=_SOURCES)
        self.kind = self._lowered("kind", default="", allowed=_KINDS)
        self.flags = [self._flag(name) for name in ("by_bot", "via_ai", "in_person")]
        self.ok &= mask(pc.match_substring_regex(self.text["ts"], _TS_PATTERN))
        self._targets(block.columns["targets"])
        self.audience = self._count("audience")
        self.duration = self._count("duration")
        has_audience = self.audience >= 0
        self.ok &= ~(has_audience & (self.audience < self.target_count))
        self.audience = np.where(has_audience, self.audience, self.target_count)

    def _lowered(self, name: str, *, default: str, allowed: pa.Array) -> pa.Array:
        value = self.text.get(name)
        if value is None:
            return pa.repeat(default, len(self.ok))
        value = pc.ascii_lower(value)
        if default:
            value = pc.if_else(pc.equal(value, ""), default, value)
        self.ok &= mask(pc.is_in(value, value_set=allowed))
        return value

    def _flag(self, name: str) -> Mask:
        value = self.text.get(name)
        if value is None:
            return np.zeros(len(self.ok), dtype=bool)
        value = pc.ascii_lower(value)
        self.ok &= mask(pc.is_in(value, value_set=_FLAGS))
        return mask(pc.is_in(value, value_set=_TRUE))

    def _count(self, name: str) -> Index:
        """The column as integers, -1 where empty (rows with another value are marked not ok)."""
        value = self.text.get(name)
        if value is None:
            return np.full(len(self.ok), -1, dtype=np.int64)
        empty = mask(pc.equal(value, ""))
        valid = mask(pc.match_substring_regex(value, _COUNT_PATTERN))
        self.ok &= empty | valid
        safe = pc.if_else(pa.array(valid), value, "0")
        return np.where(valid, int_array(pc.cast(safe, pa.int64())), -1)

    def _targets(self, raw: pa.Array) -> None:
        """The row reader's targets: lower case, split on ``;``, stripped, empty ones and the actor dropped,
        each once; ``target_positions`` index ``self.target_values``, ``target_rows`` their rows."""
        lists = pc.split_pattern(pc.ascii_lower(raw), ";")
        self.ok &= int_array(pc.list_value_length(lists)) <= MAX_TARGETS
        values = pc.ascii_trim(pc.list_flatten(lists), " ")
        rows = int_array(pc.list_parent_indices(lists))
        lengths = int_array(pc.binary_length(values))
        too_long = lengths > MAX_VALUE_CHARS
        if too_long.any():
            self.ok[np.unique(rows[too_long])] = False
        actor = pc.ascii_lower(self.text["actor"]).take(pa.array(rows))
        kept = np.flatnonzero((lengths > 0) & ~mask(pc.equal(values, actor)) & ~repeated_in_row(rows, values))
        self.target_values = values
        self.target_positions: Index = kept
        self.target_rows: Index = rows[kept]
        self.target_count: Index = np.bincount(self.target_rows, minlength=len(self.ok)).astype(np.int64)


def _timestamps(checked: _Checked, good: Index) -> tuple[Index, pa.Array]:
    """The good rows whose ts Arrow reads too, and their UTC times (a block with an impossible day, like
    2025-02-30, is checked row by row with Python, and those rows go to the row reader)."""
    text = checked.text["ts"].take(pa.array(good))
    try:
        return good, pc.cast(text, TS_TYPE)
    except pa.ArrowInvalid:
        valid = np.array([_parses(t) for t in text.to_pylist()], dtype=bool)
        checked.ok[good[~valid]] = False
        return good[valid], pc.cast(text.filter(pa.array(valid)), TS_TYPE)


class _Identities:
    """The identities the good rows name, in the row reader's order (each row's actor, then its targets)."""

    def __init__(self, checked: _Checked, good: Index) -> None:
        ok_target = checked.ok[checked.target_rows]
        self.target_rows = checked.target_rows[ok_target]
        actor = checked.text["actor"].take(pa.array(good))
        targets = checked.target_values.take(pa.array(checked.target_positions[ok_target]))
        bots = checked.flags[0][good]
        if bots.any():  # a bot and a person of the same value are two identities: mark the bots' values
            actor = pc.binary_join_element_wise(pc.if_else(pa.array(bots), "1", "0"), actor, "")
            targets = pc.binary_join_element_wise("0", targets, "")
        rows = np.concatenate([good, self.target_rows])
        order = np.argsort(rows, kind="stable")  # actor first: it comes first in the concatenation
        keys = pa.concat_arrays([actor, targets]).take(pa.array(order))
        distinct, codes = codes_of(keys)
        keys_list: list[str] = distinct.to_pylist()
        self.values = [key[1:] for key in keys_list] if bots.any() else keys_list
        self.bots = [key[0] == "1" for key in keys_list] if bots.any() else [False] * len(keys_list)
        self.first_rows: Index = rows[order][first_positions(codes)]
        unordered = np.empty_like(codes)
        unordered[order] = codes
        self.actor_codes, self.target_codes = unordered[: len(good)], unordered[len(good) :]


class _InOrder:
    """Calls the row reader for the rows it reads and counts window skips, in row order, as the pseudonyms
    of the good rows are resolved."""

    def __init__(self, block: PlainBlock, reader: RowReader, ctx: ImportContext, rows: Index, skips: Index) -> None:
        self._block, self._reader, self._ctx = block, reader, ctx
        self._rows = iter(rows.tolist())
        self._next: int | None = next(self._rows, None)
        self._skip_row = int(skips[0]) if len(skips) else None
        self._skips = len(skips)
        self.events: list[tuple[int, Interaction]] = []

    def before(self, row: int) -> None:
        """Everything due before ``row``'s identities are resolved."""
        while True:
            fallback = self._next if self._next is not None and self._next < row else None
            if self._skip_row is not None and self._skip_row < row and (fallback is None or self._skip_row < fallback):
                self._ctx.skip(OUTSIDE_WINDOW, self._skips)  # the count once, where the first skip was
                self._skip_row = None
                continue
            if fallback is None:
                return
            block = self._block
            event = self._reader.read_row(block.text(fallback).split(","), int(block.lines[fallback]), self._ctx)
            if event is not None:
                self.events.append((fallback, event))
            self._next = next(self._rows, None)


def _row_hashes(checked: _Checked, rows: Index) -> list[str]:
    """The row reader's default id (a hash of the defined columns, stripped, absent ones empty) of ``rows``."""
    taken = pa.array(rows)
    parts = [
        pc.binary_join_element_wise(name, checked.text[name].take(taken), "=") if name in checked.text else f"{name}="
        for name in DEFINED
    ]
    canonical = pc.binary_join_element_wise(*parts, "\x1f").cast(pa.binary()).to_pylist()
    return ["row:" + hashlib.sha256(text).hexdigest() for text in canonical]


def _channels(checked: _Checked, good: Index, reader: RowReader, ctx: ImportContext) -> tuple[pa.Array, pa.Array]:
    """The channel and thread pseudonyms of the good rows (null where the row has none)."""
    source = checked.source.take(pa.array(good))
    empty = pa.nulls(len(good), pa.string())
    channel = checked.text.get("channel")
    if channel is None:
        return empty, empty
    channel = channel.take(pa.array(good))
    has = pc.not_equal(channel, "")
    distinct, codes = codes_of(pc.binary_join_element_wise(source, channel, "\x1f"))
    names = [reader.channel(ctx, *key.split("\x1f", 1)) for key in distinct.to_pylist()]
    channels = pc.if_else(has, pa.array(names, pa.string()).take(pa.array(codes)), empty)
    thread = checked.text.get("thread")
    if thread is None:
        return channels, empty
    thread = thread.take(pa.array(good))
    distinct, codes = codes_of(
        pc.binary_join_element_wise(source, pc.binary_join_element_wise(channel, thread, ":"), "\x1f")
    )
    pseudonymiser = ctx.pseudonymiser
    names = [pseudonymiser.channel(*key.split("\x1f", 1)) for key in distinct.to_pylist()]
    return channels, pc.if_else(pc.not_equal(thread, ""), pa.array(names, pa.string()).take(pa.array(codes)), empty)


@dataclass(frozen=True)
class Prepared:
    """A plain block checked, its identities listed in order and its rows' own ids found: everything that has
    no effect on the import, so a worker thread can do it ahead (Arrow and numpy release the GIL)."""

    block: PlainBlock
    checked: _Checked
    good: Index
    ts: pa.Array
    identities: _Identities
    fallback: Index
    bound: int
    """How many identities the row reader's rows of the block could resolve, at most."""
    source_ids: pa.Array
    """Each good row's ``id``, or the hash the row reader uses when it has none."""


def prepare(block: PlainBlock) -> Prepared:
    """Check a block: which rows the row reader must read, and everything the others need (see :class:`Prepared`)."""
    checked = _Checked(block)
    good, ts = _timestamps(checked, np.flatnonzero(checked.ok).astype(np.int64))
    fallback = np.flatnonzero(~checked.ok).astype(np.int64)
    bound = sum(block.text(row).count(";") + 2 for row in fallback.tolist())
    return Prepared(block, checked, good, ts, _Identities(checked, good), fallback, bound, _source_ids(checked, good))


def _source_ids(checked: _Checked, rows: Index) -> pa.Array:
    ids = checked.text["id"].take(pa.array(rows)) if "id" in checked.text else pa.repeat("", len(rows))
    missing = np.flatnonzero(mask(pc.equal(ids, "")))
    if len(missing) == 0:
        return ids
    hashed = np.array(ids.to_pylist(), dtype=object)
    hashed[missing] = _row_hashes(checked, rows[missing])
    return pa.array(hashed.tolist(), pa.string())


def block_table(
    prepared: Prepared, reader: RowReader, ctx: ImportContext, event_ids: EventIds
) -> Callable[[], pa.Table] | None:
    """What makes the block's events (:data:`EVENT_SCHEMA`, in row order) once their keyed ids are computed;
    every effect on ``ctx`` and on identities has happened when this returns. None, with nothing done, when
    resolving its identities could empty the row reader's identity cache (the row reader must read it all)."""
    block, checked, good, ts, identities = (
        prepared.block, prepared.checked, prepared.good, prepared.ts, prepared.identities
    )  # fmt: skip
    fallback, bound = prepared.fallback, prepared.bound
    for is_bot in (False, True):
        values = [value for value, bot in zip(identities.values, identities.bots, strict=True) if bot == is_bot]
        if reader.cache_room(values, is_bot=is_bot) < bound:
            return None
    inside = in_window(ts, ctx)
    in_order = _InOrder(block, reader, ctx, fallback, good[~inside])
    pseudonyms: list[str] = []
    for value, is_bot, row in zip(identities.values, identities.bots, identities.first_rows.tolist(), strict=True):
        in_order.before(row)
        pseudonyms.append(reader.pseudonym(ctx, value, is_bot=is_bot))
    in_order.before(block.rows)
    rows = good[inside]
    columns = _good_events(checked, rows, ts.filter(pa.array(inside)), identities, pseudonyms, inside, reader, ctx)
    ids = event_ids(columns["source"], prepared.source_ids.filter(pa.array(inside)))

    def table() -> pa.Table:
        columns["event_id"] = ids()
        arrays = [columns[name].cast(field.type) for name, field in zip(EVENT_SCHEMA.names, EVENT_SCHEMA, strict=True)]
        return _in_row_order(pa.Table.from_arrays(arrays, schema=EVENT_SCHEMA), rows, in_order.events)

    return table


def _good_events(
    checked: _Checked,
    rows: Index,
    ts: pa.Array,
    identities: _Identities,
    pseudonyms: list[str],
    inside: Mask,
    reader: RowReader,
    ctx: ImportContext,
) -> dict[str, pa.Array]:
    """The event columns of the good rows inside the window, but ``event_id``."""
    names = pa.array(pseudonyms, pa.string())
    name_codes = codes_of(names)[1]
    actor = names.take(pa.array(identities.actor_codes[inside]))
    in_rows = np.isin(identities.target_rows, rows)
    target_rows, target_codes = identities.target_rows[in_rows], identities.target_codes[in_rows]
    kept = first_per_row(target_rows, name_codes[target_codes], np.arange(len(target_rows), dtype=np.int64))
    counts = np.bincount(target_rows[kept], minlength=len(checked.ok))[rows]
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int32)
    targets = pa.ListArray.from_arrays(pa.array(offsets), names.take(pa.array(target_codes[kept])))
    taken = pa.array(rows)
    source = checked.source.take(taken)
    channel, thread = _channels(checked, rows, reader, ctx)
    duration = checked.duration[rows]
    columns = {
        "org": pa.repeat(ctx.org, len(rows)).cast(pa.string()),
        "source": source,
        "kind": checked.kind.take(taken),
        "ts": ts,
        "duration_s": pa.array(duration, pa.int32(), mask=duration < 0),
        "actor": actor,
        "targets": targets,
        "audience": pa.array(checked.audience[rows], pa.int32()),
        "channel": channel,
        "thread": thread,
        "by_bot": pa.array(checked.flags[0][rows]),
        "via_ai": pa.array(checked.flags[1][rows]),
        "in_person": pa.array(checked.flags[2][rows]),
    }
    return columns


def _in_row_order(table: pa.Table, rows: Index, events: list[tuple[int, Interaction]]) -> pa.Table:
    """The good rows' events and the row reader's, merged in row order."""
    if not events:
        return table
    others = records_to_table([event for _, event in events])
    positions = np.concatenate([rows, np.array([row for row, _ in events], dtype=np.int64)])
    order = np.argsort(positions, kind="stable")
    return pa.concat_tables([table, others]).take(pa.array(order))


def rows_of(events: Iterator[Interaction]) -> Iterator[pa.Table]:
    """Records as event tables of at most 50,000 rows (the row reader's output, for the pipeline)."""
    batch: list[Interaction] = []
    for event in events:
        batch.append(event)
        if len(batch) >= 50_000:
            yield records_to_table(batch)
            batch = []
    if batch:
        yield records_to_table(batch)
