"""Where raw messages come from: mbox files (plain or gzip), Maildir folders (standard ``cur``/``new`` and the
Enron ``user/folder/N.`` layout) and single ``.eml`` files — streamed as header blocks, with bounded memory.

Only each message's header block is kept (at most :data:`MAX_HEADER_BYTES`); body lines are read past and
dropped at once, never decoded. An mbox is split here on a binary stream rather than with
:class:`mailbox.mbox` (which first builds a table of contents of the whole file): a message starts at a line
beginning ``From `` that is the first line of the file or follows an empty line (mboxo/mboxrd writers escape
body lines as ``>From `` and end every message with an empty line). Lines are read in chunks of at most
:data:`MAX_LINE_BYTES`, so a file without line breaks cannot exhaust memory.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from io import BufferedIOBase
from pathlib import Path
from typing import Final, Literal

MAX_HEADER_BYTES: Final = 256 * 1024
MAX_LINE_BYTES: Final = 64 * 1024
PROGRESS_EVERY: Final = 500
GZIP_BUFFER: Final = 64 * 1024
GZIP_MAGIC: Final = b"\x1f\x8b"
MBOX_SUFFIXES: Final = (".mbox", ".mbx", ".mbox.gz", ".mbx.gz")
MESSAGE_SUFFIXES: Final = (".eml",)
ENRON_MESSAGE = re.compile(r"^\d+\.?$")
SKIPPED_DIRS: Final = frozenset({"tmp", ".git", "__pycache__"})
_HEADER_LINE = re.compile(rb"^(Return-Path|Received|Message-ID|Date|From|To|Delivered-To|MIME-Version|X-[\w-]+):", re.I)
_BLANK: Final = (b"\n", b"\r\n")
_COMPRESSED_ERRORS: Final = (EOFError, zlib.error, gzip.BadGzipFile)

FileKind = Literal["mbox", "message"]


@dataclass(frozen=True, slots=True)
class MailFile:
    """A file to read: an mbox (many messages) or one message (Maildir file, .eml)."""

    path: Path
    kind: FileKind
    name: str


@dataclass(frozen=True, slots=True)
class RawMessage:
    """One message's header block, or why it has none. ``location`` names file, message index and line."""

    location: str
    headers: bytes
    error: str | None = None


def _open_binary(path: Path) -> tuple[BufferedIOBase, BufferedIOBase]:
    """(stream to read, raw file for progress): gzip is recognised by its magic bytes, not its name."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    if raw.read(2) == GZIP_MAGIC:
        raw.seek(0)
        # GzipFile.readline is Python code; a C BufferedReader over it reads lines ~2x faster
        return io.BufferedReader(gzip.GzipFile(fileobj=raw, mode="rb"), buffer_size=GZIP_BUFFER), raw
    raw.seek(0)
    return raw, raw


def _head(path: Path, size: int = 512) -> bytes:
    stream, raw = _open_binary(path)
    try:
        return stream.read(size)
    except (*_COMPRESSED_ERRORS, OSError):
        return b""
    finally:
        stream.close()
        raw.close()


def looks_like_mbox(path: Path) -> bool:
    """True when the file (or its gzip content) starts with an mbox ``From `` line."""
    return _head(path, 5) == b"From "


def looks_like_message(path: Path) -> bool:
    """True when the file starts with an RFC 5322 header line we know (Received, From, Message-ID, X-...)."""
    return _HEADER_LINE.match(_head(path, 256)) is not None


def kind_of(path: Path) -> FileKind | None:
    """How a file found in a folder is read, from its name and place (None: not mail)."""
    name = path.name.lower()
    if name.endswith(MBOX_SUFFIXES):
        return "mbox"
    if name.endswith(MESSAGE_SUFFIXES) or ENRON_MESSAGE.match(name) or path.parent.name in {"cur", "new"}:
        return "message"
    return None


def mail_files(root: Path, *, limit: int | None = None) -> list[MailFile]:
    """Mail files under a folder, sorted (stops after ``limit`` found, for cheap detection)."""
    found: list[MailFile] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for file in sorted(files):
            path = Path(folder) / file
            kind = kind_of(path)
            if kind is not None:
                found.append(MailFile(path=path, kind=kind, name=path.relative_to(root).as_posix()))
                if limit is not None and len(found) >= limit:
                    return found
    return found


def total_bytes(files: list[MailFile]) -> int:
    return sum(f.path.stat().st_size for f in files)


def message_file(file: MailFile) -> RawMessage:
    """The header block of a one-message file (a leading mbox ``From `` line is allowed)."""
    stream, raw = _open_binary(file.path)
    try:
        reader = _HeaderReader()
        first = True
        while True:
            line = stream.readline(MAX_LINE_BYTES)
            if not line or (reader.at_line_start and line in _BLANK):
                break
            if not (first and line.startswith(b"From ")):
                reader.add(line)
            first = False
        return RawMessage(location=file.name, headers=reader.block(), error=reader.error())
    except (*_COMPRESSED_ERRORS, OSError) as exc:
        return RawMessage(location=file.name, headers=b"", error=f"unreadable file ({type(exc).__name__})")
    finally:
        stream.close()
        raw.close()


class _HeaderReader:
    """Collects header lines (chunks) up to the size bound; past it, only remembers that it overflowed."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0
        self.overflow = False
        self.at_line_start = True

    def add(self, chunk: bytes) -> None:
        self.at_line_start = chunk.endswith(b"\n")
        self.size += len(chunk)
        if self.size > MAX_HEADER_BYTES:
            self.overflow, self.parts = True, []
        elif not self.overflow:
            self.parts.append(chunk)

    def block(self) -> bytes:
        return b"".join(self.parts)

    def error(self) -> str | None:
        if self.overflow:
            return f"header block larger than {MAX_HEADER_BYTES // 1024} KiB"
        return None if self.parts else "no header block"


def mbox_messages(file: MailFile, progress: Callable[[int], None] | None = None) -> Iterator[RawMessage]:
    """Header blocks of every message of an mbox, streamed; ``progress`` gets the bytes of the file read so far
    (now and then). A cut or corrupt gzip stream ends the file with one error record (messages read before it
    are kept)."""
    stream, raw = _open_binary(file.path)
    try:
        for count, message in enumerate(_split(stream, file.name), start=1):
            yield message
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(raw.tell())
    except (*_COMPRESSED_ERRORS, OSError) as exc:
        yield RawMessage(location=file.name, headers=b"", error=f"corrupt or truncated file ({type(exc).__name__})")
    finally:
        stream.close()
        raw.close()


def _split(stream: BufferedIOBase, name: str) -> Iterator[RawMessage]:
    index = line_no = 0
    start_line = 1
    reader: _HeaderReader | None = None
    in_headers = at_line_start = previous_blank = True
    while True:
        line = stream.readline(MAX_LINE_BYTES)
        if not line:
            break
        starts = at_line_start
        at_line_start = line.endswith(b"\n")
        line_no += starts
        if starts and previous_blank and line.startswith(b"From "):
            if reader is not None:
                yield _finished(reader, name, index, start_line)
            index, start_line, reader, in_headers = index + 1, line_no, _HeaderReader(), True
        elif reader is None:
            if starts and line not in _BLANK:
                yield RawMessage(location=f"{name}, line {line_no}", headers=b"", error="not an mbox file")
                return
        elif in_headers:
            if starts and line in _BLANK:
                in_headers = False
            else:
                reader.add(line)
        previous_blank = starts and line in _BLANK
    if reader is not None:
        yield _finished(reader, name, index, start_line)


def _finished(reader: _HeaderReader, name: str, index: int, line: int) -> RawMessage:
    return RawMessage(location=f"{name}, message {index} (line {line})", headers=reader.block(), error=reader.error())
