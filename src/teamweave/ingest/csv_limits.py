"""Limits of CSV reading: the csv module's field size limit is process-wide (set it for one reading and put it
back afterwards), and lines are read at most :data:`MAX_LINE_CHARS` at a time."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Final

from teamweave.ingest.context import ImportContext

DEFAULT_FIELD_CHARS: Final = 131_072  # the csv module's own default
MAX_LINE_CHARS: Final = 1024 * 1024
TOO_LONG: Final = "\ud800"  # a lone surrogate: never produced by decoding, marks a line cut for its length


@contextmanager
def field_size_limit(limit: int) -> Iterator[None]:
    """Read CSV with fields of at most ``limit`` characters inside the block; the previous limit after it.

    Examples
    --------
    >>> with field_size_limit(10):
    ...     csv.field_size_limit()
    10
    >>> csv.field_size_limit() == DEFAULT_FIELD_CHARS
    True
    """
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


class BoundedLines:
    """A text file's lines, each at most :data:`MAX_LINE_CHARS`; a longer one becomes a marked line
    (:data:`TOO_LONG`, a bad row). ``consumed`` counts characters read, for progress; with ``count_bytes`` (a
    handle decoding UTF-8 with ``surrogateescape``) it counts the file's bytes, so a reader can tell where it
    stopped."""

    def __init__(self, handle: IO[str], *, count_bytes: bool = False) -> None:
        self._handle = handle
        self._size: Callable[[str], int] = _utf8_size if count_bytes else len
        self.consumed = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._handle.readline(MAX_LINE_CHARS)
        if not line:
            raise StopIteration
        self.consumed += self._size(line)
        if len(line) >= MAX_LINE_CHARS and not line.endswith("\n"):
            while (rest := self._handle.readline(MAX_LINE_CHARS)) and not rest.endswith("\n"):
                self.consumed += self._size(rest)
            self.consumed += self._size(rest)
            line = TOO_LONG + "\n"
        return line


def _utf8_size(text: str) -> int:
    return len(text.encode("utf-8", "surrogateescape"))


def data_rows(handle: IO[str], *, file: str, ctx: ImportContext) -> Iterator[tuple[int, list[str]]]:
    """The CSV rows after the header, each with the file line it ends on, within these limits
    (:class:`BoundedLines`, :data:`DEFAULT_FIELD_CHARS`). Blank rows (and spreadsheets' all-empty ones) are no
    rows; a row the csv module cannot read is reported to ``ctx`` as bad and skipped; ``ctx.progress`` advances
    by the characters read."""
    with field_size_limit(DEFAULT_FIELD_CHARS):
        lines = BoundedLines(handle)
        next(lines, None)
        reader = csv.reader(lines)
        while True:
            try:
                values = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                ctx.bad(location=f"{file}, line {reader.line_num + 1}", reason=f"unreadable row ({exc})")
                continue
            if "".join(values).strip():
                yield reader.line_num + 1, values
            if lines.consumed >= 1 << 20:
                ctx.progress.advance(lines.consumed)
                lines.consumed = 0
        ctx.progress.advance(lines.consumed)
