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
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import IO, Final

import pyarrow as pa

from teamweave.errors import InputFormatError
from teamweave.ingest.context import ImportContext
from teamweave.ingest.csv_limits import (
    MAX_LINE_CHARS,
    TOO_LONG,
    data_rows,
)
from teamweave.ingest.generic_csv_blocks import read_in_blocks
from teamweave.ingest.generic_csv_vector import (
    DEFINED,
    FLAG_TEXTS,
    MAX_TARGETS,
    MAX_VALUE_CHARS,
    SOURCE,
    TRUE_TEXTS,
)
from teamweave.ingest.identity import CACHE_LIMIT, SourceIdentity
from teamweave.ingest.records import KINDS, SOURCES, Interaction

REQUIRED: Final = DEFINED[:4]
OPTIONAL: Final = DEFINED[4:]
_NOT_TEXT = re.compile("[\x00\ud800\udc80-\udcff]")  # NUL, the long-line mark, undecodable bytes
_EMAIL = re.compile(r"^[^@\s;,<>\"]+@[^@\s;,<>\"]+\.[^@\s;,<>\"]+$")
_TRUE: Final = TRUE_TEXTS
_FALSE: Final = FLAG_TEXTS - TRUE_TEXTS
_FLAG_OF: Final = {value: value in _TRUE for value in FLAG_TEXTS}
_HASH_PREFIXES: Final = tuple(f"{column}=" for column in DEFINED)


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
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # 0001-01-01T00:00:00+01:00, 9999-12-31T23:59:59-01:00
        raise BadRow("ts out of range (years 1 to 9999 in UTC)", "ts") from None


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
        if any(TOO_LONG in value for value in values):
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
        absent = len(columns)  # the index of the "" appended to each row for a column the file does not have
        self._defined: Callable[[list[str]], tuple[str, ...]] = itemgetter(
            *(columns.index(c) if c in columns else absent for c in DEFINED)
        )
        self._pseudonyms: dict[bool, dict[str, str]] = {False: {}, True: {}}  # is_bot -> value -> pseudonym
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
        with _open_text(self.path) as handle:
            for line, values in data_rows(handle, file=self.path.name, ctx=ctx):
                event = self._row(values, line, ctx)
                if event is not None:
                    yield event
        ctx.progress.finish()

    def event_tables(self, ctx: ImportContext) -> Iterator[pa.Table]:
        """The events of :meth:`interactions` (the same rows, ids, identities in the same order, errors and skips),
        as Arrow tables in row order: plain blocks of lines column by column, the others row by row
        (:func:`~teamweave.ingest.generic_csv_blocks.read_in_blocks`)."""
        return read_in_blocks(self, ctx)

    def read_row(self, values: list[str], line: int, ctx: ImportContext) -> Interaction | None:
        """The event of one row of values read by the csv module from ``line`` (None: blank, bad or skipped)."""
        if not "".join(values).strip():
            return None  # blank lines and spreadsheets' all-empty rows
        return self._row(values, line, ctx)

    def pseudonym(self, ctx: ImportContext, value: str, *, is_bot: bool = False) -> str:
        """The pseudonym of an actor or target value, through this reader's cache (as the row reader does)."""
        return self._pseudonym(ctx, value, is_bot=is_bot)

    def channel(self, ctx: ImportContext, source: str, channel: str) -> str:
        """The pseudonym of a channel, through this reader's cache."""
        return self._channel(ctx, source, channel)

    def cache_room(self, values: list[str], *, is_bot: bool) -> int:
        """Values that can still be resolved before the identity cache is emptied, once ``values`` are."""
        cache = self._pseudonyms[is_bot]
        return CACHE_LIMIT - len(cache) - sum(1 for value in values if value not in cache)

    def _row(self, values: list[str], line: int, ctx: ImportContext) -> Interaction | None:
        try:
            _check_text(self.columns, values)
            event = self._usual(values, ctx) or self._interaction(dict(zip(self.columns, values, strict=True)), ctx)
        except BadRow as bad:
            location = f"{self.path.name}, line {line}"
            where = f"{location}, field '{bad.field}'" if bad.field else location
            ctx.bad(location=where, reason=bad.reason, fields=sorted(c[:40] for c in self.columns[:50]))
            return None
        if not ctx.in_window(event.ts):
            ctx.skip("outside --since/--until")
            return None
        return event

    def _usual(self, values: list[str], ctx: ImportContext) -> Interaction | None:
        """The event of a row whose every value is plainly valid, read by column index; None for anything else,
        which :meth:`_interaction` then reads field by field (same event, or the BadRow naming the field).

        The common case costs a third of the general one (docs/performance.md): no dict per row, one C call to
        pick and one to strip the defined columns, and no check that cannot fail on such a row.
        """
        raw = self._defined([*values, ""])
        stripped = tuple(map(str.strip, raw))
        ts_text, kind, actor_value, targets_text, source, audience_text, duration_text = stripped[:7]
        channel, thread, source_id, *flag_texts = stripped[7:]
        if len(max(stripped[:3] + stripped[4:], key=len)) > MAX_VALUE_CHARS or not actor_value:
            return None
        source, kind = source.lower() or SOURCE, kind.lower()
        flags = [_FLAG_OF.get(text.lower()) for text in flag_texts]
        if source not in SOURCES or kind not in KINDS or None in flags:
            return None
        try:
            parsed = datetime.fromisoformat(ts_text)
            if parsed.tzinfo is None:
                return None
            ts = parsed.astimezone(UTC)
        except (ValueError, OverflowError):
            return None
        target_values = self._targets(raw[3], actor_value)  # from here on a BadRow is the general reader's too
        audience = _count(audience_text, "audience")
        if audience is not None and audience < len(target_values):
            raise BadRow("audience smaller than the number of targets", "audience")
        by_bot, via_ai, in_person = (bool(flag) for flag in flags)
        pseudonymiser = ctx.pseudonymiser
        return Interaction(
            org=ctx.org,
            event_id=pseudonymiser.event_id(source, source_id or _hash_of(stripped)),
            source=source,
            kind=kind,
            ts=ts,
            actor=self._pseudonym(ctx, actor_value, is_bot=by_bot),
            targets=self._target_pseudonyms(ctx, target_values),
            audience=len(target_values) if audience is None else audience,
            duration_s=_count(duration_text, "duration"),
            channel=self._channel(ctx, source, channel) if channel else None,
            thread=pseudonymiser.channel(source, f"{channel}:{thread}") if thread else None,
            by_bot=by_bot,
            via_ai=via_ai,
            in_person=in_person,
        )

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
            targets=self._target_pseudonyms(ctx, target_values),
            audience=len(target_values) if audience is None else audience,
            duration_s=duration,
            channel=self._channel(ctx, source, channel) if channel else None,
            thread=pseudonymiser.channel(source, f"{channel}:{thread}") if thread else None,
            **flags,
        )

    def _pseudonym(self, ctx: ImportContext, value: str, *, is_bot: bool = False) -> str:
        cache = self._pseudonyms[is_bot]
        cached = cache.get(value)
        if cached is None:
            if len(cache) >= CACHE_LIMIT:  # bounded memory whatever the number of distinct ids
                cache.clear()
            cached = cache[value] = ctx.identities.pseudonym(_identity(value, is_bot=is_bot))
        return cached

    def _target_pseudonyms(self, ctx: ImportContext, values: list[str]) -> tuple[str, ...]:
        known = self._pseudonyms[False].get
        return tuple(dict.fromkeys([known(v) or self._pseudonym(ctx, v) for v in values]))

    def _channel(self, ctx: ImportContext, source: str, channel: str) -> str:
        cached = self._channels.get((source, channel))
        if cached is None:
            if len(self._channels) >= CACHE_LIMIT:
                self._channels.clear()
            cached = self._channels[(source, channel)] = ctx.pseudonymiser.channel(source, channel)
        return cached

    @staticmethod
    def _targets(text: str, actor: str) -> list[str]:
        values = list(dict.fromkeys(filter(None, map(str.strip, text.lower().split(";")))))
        if len(values) > MAX_TARGETS:
            raise BadRow(f"more than {MAX_TARGETS} targets", "targets")
        if max(map(len, values), default=0) > MAX_VALUE_CHARS:
            raise BadRow(f"a target longer than {MAX_VALUE_CHARS} characters", "targets")
        actor = actor.lower()
        return [v for v in values if v != actor]


def _row_hash(row: dict[str, str]) -> str:
    """The default id: a hash of the defined columns (absent = empty), so column order and extras do not matter."""
    canonical = "\x1f".join(f"{c}={row.get(c, '').strip()}" for c in (*REQUIRED, *OPTIONAL))
    return "row:" + hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _hash_of(stripped: tuple[str, ...]) -> str:
    """:func:`_row_hash` of a row whose defined columns are given, stripped, in :data:`DEFINED` order."""
    canonical = "\x1f".join(map(str.__add__, _HASH_PREFIXES, stripped))
    return "row:" + hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _identity(value: str, *, is_bot: bool) -> SourceIdentity:
    raw_id = value.strip().lower()
    email = raw_id if _EMAIL.match(raw_id) else None
    label = f"{value.strip()[:200]} (CSV{', bot' if is_bot else ''})"
    return SourceIdentity(raw_id=raw_id, label=label, email=email, is_bot=is_bot)


__all__ = ["SOURCE", "BadRow", "CsvEvents", "sniff"]
