"""A generic CSV file in blocks of whole lines; a plain block is split into columns by Arrow's CSV reader and
its events made column by column (:mod:`teamweave.ingest.generic_csv_vector`), the rest read by the row reader.

A block is plain when Python's ``csv`` module would split each of its lines at every comma and nowhere else, and
read it without an error: no quote character, no NUL, no carriage return but in ``\\r\\n``, valid UTF-8, and no
line near the ``csv`` field size limit. Arrow's reader (quoting off) then makes the same values in C and on both
cores; any other block is read by the row reader (:mod:`teamweave.ingest.generic_csv`), as before.
"""

from __future__ import annotations

import _csv
import csv
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Final, Protocol

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv

from teamweave.ingest.context import ImportContext
from teamweave.ingest.csv_limits import DEFAULT_FIELD_CHARS, BoundedLines, field_size_limit
from teamweave.ingest.generic_csv_vector import DEFINED, PlainBlock, Prepared, RowReader, block_table, prepare, rows_of
from teamweave.ingest.records import Interaction

BLOCK_BYTES: Final = 8 << 20
"""Bytes read at a time (then cut after the last newline): one block's rows are in memory at once."""
MAX_PLAIN_LINE: Final = 100_000
"""Bytes: a longer line leaves its block to the row reader (its fields may reach the csv field size limit)."""
_PARSE: Final = pacsv.ParseOptions(delimiter=",", quote_char=False, escape_char=False, ignore_empty_lines=True)


def read_block(raw: IO[bytes], position: int) -> tuple[bytes, bool]:
    """The bytes from ``position`` to the last newline within :data:`BLOCK_BYTES` (to the end of the file when
    it is nearer), and True; or all :data:`BLOCK_BYTES` when they hold no newline, and False (not whole lines)."""
    raw.seek(position)
    data = raw.read(BLOCK_BYTES)
    if len(data) < BLOCK_BYTES:
        return data, True
    cut = data.rfind(b"\n") + 1
    return (data[:cut], True) if cut else (data, False)


def _is_plain(data: bytes, bytes_: npt.NDArray[np.uint8]) -> bool:
    if b'"' in data or b"\x00" in data:
        return False
    returns = np.flatnonzero(bytes_ == 13)
    if len(returns) and (returns[-1] + 1 >= len(data) or not (bytes_[returns + 1] == 10).all()):
        return False  # a carriage return not followed by a newline ends a line for the csv module only
    if not data.isascii():
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return False
    return True


def plain_block(data: bytes, columns: list[str], *, first_line: int) -> PlainBlock | None:
    """The block's rows split by Arrow (``first_line``: the line number of its first line), or None when the
    block is not plain or Arrow does not read it as the ``csv`` module would (a row with another number of
    values, for instance): then the row reader reads it."""
    bytes_ = np.frombuffer(data, dtype=np.uint8)
    if not data or not _is_plain(data, bytes_):
        return None
    ends = np.flatnonzero(bytes_ == 10)
    if not data.endswith(b"\n"):
        ends = np.append(ends, len(data))
    starts = np.concatenate([[0], ends[:-1] + 1])
    lengths = ends - starts
    if int(lengths.max()) >= MAX_PLAIN_LINE:
        return None
    crlf = (lengths > 0) & (bytes_[np.maximum(ends - 1, 0)] == 13)
    lengths = lengths - crlf
    rows = np.flatnonzero(lengths > 0)
    first = {name: columns.index(name) for name in DEFINED if name in columns}
    names = [f"c{index}" for index in range(len(columns))]
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=_PARSE,
            convert_options=pacsv.ConvertOptions(
                include_columns=[names[index] for index in first.values()],
                column_types={names[index]: pa.string() for index in first.values()},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    if table.num_rows != len(rows):
        return None
    row_starts, row_lengths = starts[rows], lengths[rows]

    def text(row: int) -> str:
        start = int(row_starts[row])
        return data[start : start + int(row_lengths[row])].decode("utf-8")

    return PlainBlock(
        columns={name: table.column(names[index]).combine_chunks() for name, index in first.items()},
        rows=table.num_rows,
        lines=(rows + first_line).astype(np.int64),
        line_total=len(ends),
        text=text,
    )


Taken = tuple[bytes, Prepared | None]


def _read_and_split(raw: IO[bytes], position: int, columns: list[str], first_line: int) -> Taken:
    data, whole_lines = read_block(raw, position)
    block = plain_block(data, columns, first_line=first_line) if whole_lines and data else None
    return data, None if block is None else prepare(block)


class BlocksAhead:
    """Reads, splits and checks blocks on a worker thread, one block ahead of the caller (Arrow's kernels and
    numpy release the GIL): :meth:`take` gives the block at a position, :meth:`expect` starts on the next one."""

    def __init__(self, raw: IO[bytes], columns: list[str], worker: ThreadPoolExecutor) -> None:
        self._raw, self._columns, self._worker = raw, columns, worker
        self._ahead: tuple[tuple[int, int], Future[Taken]] | None = None

    def expect(self, position: int, first_line: int) -> None:
        """Start reading the block at ``position`` (whose first line is ``first_line``)."""
        if self._ahead is not None:
            self._ahead[1].result()  # one read of the file at a time
        reading = self._worker.submit(_read_and_split, self._raw, position, self._columns, first_line)
        self._ahead = ((position, first_line), reading)

    def take(self, position: int, first_line: int) -> Taken:
        """The block at ``position``: its bytes (empty at the end of the file), and its checked rows when it is
        plain."""
        if self._ahead is None or self._ahead[0] != (position, first_line):
            self.expect(position, first_line)
        assert self._ahead is not None
        ahead, self._ahead = self._ahead, None
        return ahead[1].result()


class BlockSource(RowReader, Protocol):
    """The row reader of a file (:class:`~teamweave.ingest.generic_csv.CsvEvents`)."""

    path: Path
    columns: list[str]


def read_in_blocks(source: BlockSource, ctx: ImportContext) -> Iterator[pa.Table]:
    """The events of the source's row reader, as Arrow tables in row order: each plain block column by column
    (split one block ahead on a worker thread, its keyed event ids computed on another while the next block is
    checked), any other stretch of the file by the row reader, from where the last block ended to the first
    row that ends at or after the end of its block."""
    ctx.progress.start("Reading CSV events", total=source.path.stat().st_size)
    with (
        open(source.path, "rb") as raw,
        open(source.path, encoding="utf-8", errors="surrogateescape", newline="") as text,
        field_size_limit(DEFAULT_FIELD_CHARS),
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="csv-event-ids") as hasher,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="csv-blocks") as splitter,
    ):

        def event_ids(sources: pa.Array, source_ids: pa.Array) -> Callable[[], pa.Array]:
            return hasher.submit(ctx.pseudonymiser.event_id_array, sources, source_ids).result

        header = BoundedLines(text, count_bytes=True)
        next(header, None)
        position, line = header.consumed, 1  # line: the number of the last line read
        blocks = BlocksAhead(raw, source.columns, splitter)
        pending: Callable[[], pa.Table] | None = None  # the previous plain block's, its ids being computed
        while (taken := blocks.take(position, line + 1))[0]:
            data, block = taken
            if block is not None:
                blocks.expect(position + len(data), line + block.block.line_total + 1)
            table = None if block is None else block_table(block, source, ctx, event_ids)
            if pending is not None:
                yield pending()
            pending = table
            if block is not None and table is not None:
                end, line = position + len(data), line + block.block.line_total
            else:
                end, line = yield from _read_rows(source, text, (position, position + len(data)), line, ctx)
            ctx.progress.advance(end - position)
            position = end
        if pending is not None:
            yield pending()
    ctx.progress.finish()


def _read_rows(
    source: BlockSource, text: IO[str], span: tuple[int, int], line: int, ctx: ImportContext
) -> Generator[pa.Table, None, tuple[int, int]]:
    """Read rows from byte ``span[0]`` as the row reader does until a row ends at or after ``span[1]``;
    (the byte offset and the number of the line where it stopped)."""
    start, end = span
    text.seek(start)
    lines = BoundedLines(text, count_bytes=True)
    reader = csv.reader(lines)
    yield from rows_of(_rows(source, reader, lines, end - start, line, ctx))
    return start + lines.consumed, line + reader.line_num


def _rows(
    source: BlockSource, reader: _csv.Reader, lines: BoundedLines, size: int, line: int, ctx: ImportContext
) -> Iterator[Interaction]:
    while lines.consumed < size:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            ctx.bad(location=f"{source.path.name}, line {line + reader.line_num}", reason=f"unreadable row ({exc})")
            continue
        event = source.read_row(values, line + reader.line_num, ctx)
        if event is not None:
            yield event
