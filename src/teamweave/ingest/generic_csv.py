"""The generic CSV format (docs/connectors/csv.md) -> interaction events, for any tool without a connector.

One row per interaction, a header row naming the columns (any order; unknown columns are ignored, never read):

- required: ``ts`` (ISO 8601 with ``Z`` or an offset), ``kind`` (one of :data:`KINDS`), ``actor`` (an e-mail
  address or an id), ``targets`` (``;``-separated e-mail addresses or ids; may be empty);
- optional: ``source`` (one of :data:`SOURCES`, default ``csv``), ``audience`` (an integer >= the number of
  targets, default that number), ``duration`` (seconds), ``channel``, ``thread``, ``id`` (the source's own id
  of the event, default: a hash of the row's fields), ``by_bot``, ``via_ai``, ``in_person`` (true/false).

Each bad row is quarantined with its line and field, and the rest goes in. Identities: ``raw_id`` = the value
in lower case, ``email`` = the value when it looks like an e-mail address.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Final

from teamweave.errors import InputFormatError
from teamweave.ingest.context import ImportContext
from teamweave.ingest.csv_limits import DEFAULT_FIELD_CHARS, field_size_limit
from teamweave.ingest.identity import CACHE_LIMIT, SourceIdentity
from teamweave.ingest.records import KINDS, SOURCES, Interaction

SOURCE: Final = "csv"
REQUIRED: Final = ("ts", "kind", "actor", "targets")
OPTIONAL: Final = ("source", "audience", "duration", "channel", "thread", "id", "by_bot", "via_ai", "in_person")
MAX_LINE_CHARS: Final = 1024 * 1024
MAX_VALUE_CHARS: Final = 320
MAX_TARGETS: Final = 10_000
_TOO_LONG: Final = "\ud800"  # a lone surrogate: never produced by decoding, marks a line cut for its length
_NOT_TEXT = re.compile("[\x00\ud800\udc80-\udcff]")  # NUL, the long-line mark, undecodable bytes
_EMAIL = re.compile(r"^[^@\s;,<>\"]+@[^@\s;,<>\"]+\.[^@\s;,<>\"]+$")
_TRUE: Final = frozenset({"true", "yes", "1", "y"})
_FALSE: Final = frozenset({"false", "no", "0", "n", ""})


class BadRow(Exception):
    """A row that cannot become an event; ``field`` names the column at fault."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


def _header(handle: IO[str], name: str) -> list[str]:
    try:
        first = next(csv.reader([handle.readline(MAX_LINE_CHARS)]), [])
    except csv.Error as exc:
        raise InputFormatError("unreadable CSV header", file=name, line=1) from exc
    return [column.strip().lstrip("\ufeff").lower() for column in first]


def _open_text(path: Path) -> IO[str]:
    """The file as text: UTF-8 (a BOM dropped); bytes that are not UTF-8 kept as surrogates, found per row."""
    return open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")  # closed by the caller


def sniff(path: Path) -> bool:
    """True for a ``.csv`` file whose header has ``ts``, ``kind``, ``actor`` and ``targets``."""
    path = Path(path)
    if not path.is_file() or path.suffix.lower() != ".csv":
        return False
    try:
        with _open_text(path) as handle:
            return set(REQUIRED) <= set(_header(handle, path.name))
    except (OSError, InputFormatError):
        return False


class _Lines:
    """The file's lines, each at most :data:`MAX_LINE_CHARS`; a longer one becomes a marked line (a bad row).
    ``consumed`` counts characters read, for progress."""

    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle
        self.consumed = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        line = self._handle.readline(MAX_LINE_CHARS)
        if not line:
            raise StopIteration
        self.consumed += len(line)
        if len(line) >= MAX_LINE_CHARS and not line.endswith("\n"):
            while (rest := self._handle.readline(MAX_LINE_CHARS)) and not rest.endswith("\n"):
                self.consumed += len(rest)
            self.consumed += len(rest)
            line = _TOO_LONG + "\n"
        return line


def _value(row: dict[str, str], column: str) -> str:
    value = row.get(column, "").strip()
    if len(value) > MAX_VALUE_CHARS:
        raise BadRow(f"value longer than {MAX_VALUE_CHARS} characters", column)
    return value


def _timestamp(text: str) -> datetime:
    if not text:
        raise BadRow("missing ts", "ts")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise BadRow("ts is not an ISO 8601 date and time", "ts") from None
    if parsed.tzinfo is None:
        raise BadRow("ts has no UTC offset (add Z or +hh:mm)", "ts")
    return parsed.astimezone(UTC)


def _count(text: str, column: str) -> int | None:
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        raise BadRow(f"{column} is not a number", column) from None
    if not 0 <= number < 2**31:
        raise BadRow(f"{column} out of range", column)
    return int(number)


def _flag(row: dict[str, str], column: str) -> bool:
    value = _value(row, column).lower()
    if value in _TRUE or value in _FALSE:
        return value in _TRUE
    raise BadRow(f"{column} must be true or false", column)


def _check_text(columns: list[str], values: list[str]) -> None:
    if len(values) != len(columns) or _NOT_TEXT.search("".join(values)):
        if any(_TOO_LONG in value for value in values):
            raise BadRow(f"line longer than {MAX_LINE_CHARS} characters")
        if len(values) > len(columns):
            raise BadRow("more values than columns")
        if len(values) < len(columns):
            raise BadRow("fewer values than columns", columns[len(values)])
        for column, value in zip(columns, values, strict=True):
            if "\x00" in value:
                raise BadRow("NUL byte", column)
            if _NOT_TEXT.search(value):
                raise BadRow("not valid UTF-8 text", column)


class CsvEvents:
    """A generic-format CSV file. Use :meth:`open`."""

    def __init__(self, path: Path, columns: list[str]) -> None:
        self.path = path
        self.columns = columns
        self._pseudonyms: dict[tuple[str, bool], str] = {}
        self._channels: dict[tuple[str, str], str] = {}

    @classmethod
    def open(cls, path: Path) -> CsvEvents:
        """Open and check the header; InputFormatError (naming the missing column) when it is not this format."""
        path = Path(path)
        try:
            with _open_text(path) as handle:
                columns = _header(handle, path.name)
        except OSError as exc:
            raise InputFormatError("cannot read the file", file=path.name) from exc
        for column in REQUIRED:
            if column not in columns:
                raise InputFormatError(
                    f"not a teamweave events CSV: no column {column!r}",
                    file=path.name,
                    line=1,
                    field=column,
                    hint="UTF-8, comma-separated, a header with ts, kind, actor and targets (docs/connectors/csv.md)",
                )
        return cls(path, columns)

    def close(self) -> None:
        """The file is open only while :meth:`interactions` runs."""

    def interactions(self, ctx: ImportContext) -> Iterator[Interaction]:
        """One event per good row; each bad row is quarantined with its line and column."""
        ctx.progress.start("Reading CSV events", total=self.path.stat().st_size)
        with _open_text(self.path) as handle, field_size_limit(DEFAULT_FIELD_CHARS):
            lines = _Lines(handle)
            next(lines, None)
            reader = csv.reader(lines)
            while True:
                try:
                    values = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    ctx.bad(location=f"{self.path.name}, line {reader.line_num + 1}", reason=f"unreadable row ({exc})")
                    continue
                if not any(value.strip() for value in values):
                    continue  # blank lines and spreadsheets' all-empty rows
                event = self._row(values, reader.line_num + 1, ctx)
                if event is not None:
                    yield event
                if lines.consumed >= 1 << 20:
                    ctx.progress.advance(lines.consumed)
                    lines.consumed = 0
            ctx.progress.advance(lines.consumed)
        ctx.progress.finish()

    def _row(self, values: list[str], line: int, ctx: ImportContext) -> Interaction | None:
        location = f"{self.path.name}, line {line}"
        try:
            _check_text(self.columns, values)
            event = self._interaction(dict(zip(self.columns, values, strict=True)), ctx)
        except BadRow as bad:
            where = f"{location}, field '{bad.field}'" if bad.field else location
            ctx.bad(location=where, reason=bad.reason, fields=sorted(c[:40] for c in self.columns[:50]))
            return None
        if not ctx.in_window(event.ts):
            ctx.skip("outside --since/--until")
            return None
        return event

    def _interaction(self, row: dict[str, str], ctx: ImportContext) -> Interaction:
        ts = _timestamp(_value(row, "ts"))
        source = _value(row, "source").lower() or SOURCE
        if source not in SOURCES:
            raise BadRow(f"unknown source (use one of {', '.join(sorted(SOURCES))})", "source")
        kind = _value(row, "kind").lower()
        if kind not in KINDS:
            raise BadRow(f"unknown kind (use one of {', '.join(sorted(KINDS))})", "kind")
        actor_value = _value(row, "actor")
        if not actor_value:
            raise BadRow("missing actor", "actor")
        target_values = self._targets(row.get("targets", ""), actor_value)
        audience = _count(_value(row, "audience"), "audience")
        if audience is not None and audience < len(target_values):
            raise BadRow("audience smaller than the number of targets", "audience")
        duration = _count(_value(row, "duration"), "duration")
        channel, thread = _value(row, "channel"), _value(row, "thread")
        flags = {column: _flag(row, column) for column in ("by_bot", "via_ai", "in_person")}
        source_id = _value(row, "id") or _row_hash(row)
        pseudonymiser = ctx.pseudonymiser
        return Interaction(
            org=ctx.org,
            event_id=pseudonymiser.event_id(source, source_id),
            source=source,
            kind=kind,
            ts=ts,
            actor=self._pseudonym(ctx, actor_value, is_bot=flags["by_bot"]),
            targets=tuple(dict.fromkeys(self._pseudonym(ctx, v) for v in target_values)),
            audience=len(target_values) if audience is None else audience,
            duration_s=duration,
            channel=self._channel(ctx, source, channel) if channel else None,
            thread=pseudonymiser.channel(source, f"{channel}:{thread}") if thread else None,
            **flags,
        )

    def _pseudonym(self, ctx: ImportContext, value: str, *, is_bot: bool = False) -> str:
        key = (value, is_bot)
        cached = self._pseudonyms.get(key)
        if cached is None:
            if len(self._pseudonyms) >= CACHE_LIMIT:  # bounded memory whatever the number of distinct ids
                self._pseudonyms.clear()
            cached = self._pseudonyms[key] = ctx.identities.pseudonym(_identity(value, is_bot=is_bot))
        return cached

    def _channel(self, ctx: ImportContext, source: str, channel: str) -> str:
        cached = self._channels.get((source, channel))
        if cached is None:
            if len(self._channels) >= CACHE_LIMIT:
                self._channels.clear()
            cached = self._channels[(source, channel)] = ctx.pseudonymiser.channel(source, channel)
        return cached

    @staticmethod
    def _targets(text: str, actor: str) -> list[str]:
        values = list(dict.fromkeys(v.strip().lower() for v in text.split(";") if v.strip()))
        if len(values) > MAX_TARGETS:
            raise BadRow(f"more than {MAX_TARGETS} targets", "targets")
        if any(len(v) > MAX_VALUE_CHARS for v in values):
            raise BadRow(f"a target longer than {MAX_VALUE_CHARS} characters", "targets")
        return [v for v in values if v != actor.lower()]


def _row_hash(row: dict[str, str]) -> str:
    """The default id: a hash of the defined columns (absent = empty), so column order and extras do not matter."""
    canonical = "\x1f".join(f"{c}={row.get(c, '').strip()}" for c in (*REQUIRED, *OPTIONAL))
    return "row:" + hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _identity(value: str, *, is_bot: bool) -> SourceIdentity:
    raw_id = value.strip().lower()
    email = raw_id if _EMAIL.match(raw_id) else None
    label = f"{value.strip()[:200]} (CSV{', bot' if is_bot else ''})"
    return SourceIdentity(raw_id=raw_id, label=label, email=email, is_bot=is_bot)


__all__ = ["SOURCE", "BadRow", "CsvEvents", "sniff"]
