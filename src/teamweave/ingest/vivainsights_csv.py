"""The CSV files Microsoft Viva Insights (and Workplace Analytics before it) export for a query: which query a
header is, where its person ids and dates are, and how one row's values are read (docs/connectors.md, "Viva Insights").

Column names are compared the way Microsoft's own readers clean them (``import_query`` in the vivainsights R and
Python packages): case-insensitive, every character other than a letter, a digit or ``_`` read as ``_``, so
``Metric Date`` and ``MetricDate`` differ but ``PrimaryCollaborator PersonId`` is
``PrimaryCollaborator_PersonId``. Two query types are read:

- **person-to-person** (Viva Insights "Collaboration between individuals", Workplace Analytics "Network:
  person-to-person"): ``PrimaryCollaborator_PersonId``, ``SecondaryCollaborator_PersonId``, ``MetricDate``
  (Workplace Analytics: ``TieOrigin_PersonId``, ``TieDestination_PersonId``, ``Date``);
- **person** (one row per person and week or month): ``PersonId``, ``MetricDate`` (Workplace Analytics: ``Date``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import IO, Final, Literal

from teamweave.errors import InputFormatError
from teamweave.ingest.csv_limits import MAX_LINE_CHARS, TOO_LONG

QueryType = Literal["p2p", "pq"]
MAX_ID_CHARS: Final = 320
EVENT_HOUR: Final = 12
"""The hour (UTC) at which a tie is dated on its day: the row has a period, never a time of day."""
P2P_SPELLINGS: Final = (
    ("PrimaryCollaborator_PersonId", "SecondaryCollaborator_PersonId", "MetricDate"),
    ("TieOrigin_PersonId", "TieDestination_PersonId", "Date"),
)
PQ_SPELLINGS: Final = (("PersonId", "MetricDate"), ("PersonId", "Date"))
_NOT_NAME = re.compile(r"[^a-z0-9_]")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_NOT_TEXT = re.compile("[\x00\udc80-\udcff]")  # NUL and bytes that are not UTF-8 (kept as surrogates)
_NOT_TEXT_OR_CUT = re.compile("[\x00\ud800\udc80-\udcff]")  # either, or the long-line mark: the usual row's one check


class BadRow(Exception):
    """A row that cannot be read; ``field`` names the column at fault (as the file spells it)."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


@dataclass(frozen=True)
class QueryColumns:
    """Where a query's columns are: ``people`` holds one index for a person query, two (primary, secondary)
    for a person-to-person query; ``names`` are the file's own column names (for error messages)."""

    query: QueryType
    people: tuple[int, ...]
    day: int
    names: tuple[str, ...]

    @property
    def width(self) -> int:
        return len(self.names)


def clean_name(name: str) -> str:
    """A column name as compared: BOM and spaces around dropped, lower case, other characters ``_``.

    Examples
    --------
    >>> clean_name("\\ufeffPrimaryCollaborator PersonId "), clean_name("Metric-Date")
    ('primarycollaborator_personid', 'metric_date')
    """
    return _NOT_NAME.sub("_", name.strip().lstrip("\ufeff").strip().lower())


def query_columns(names: list[str]) -> QueryColumns | None:
    """The query a header belongs to (person-to-person first), or None when it is neither.

    Examples
    --------
    >>> query_columns(["PersonId", "MetricDate", "Collaboration_hours"]).query
    'pq'
    >>> query_columns(["MetricDate", "SecondaryCollaborator_PersonId", "PrimaryCollaborator_PersonId"]).people
    (2, 1)
    >>> query_columns(["PrimaryCollaborator_PersonId", "SecondaryCollaborator_FunctionType", "MetricDate"]) is None
    True
    """
    cleaned = [clean_name(name) for name in names]
    spellings: tuple[tuple[QueryType, tuple[tuple[str, ...], ...]], ...] = (
        ("p2p", P2P_SPELLINGS),
        ("pq", PQ_SPELLINGS),
    )
    for query, options in spellings:
        for spelling in options:
            wanted = [clean_name(column) for column in spelling]
            if all(column in cleaned for column in wanted):
                *people, day = (cleaned.index(column) for column in wanted)
                return QueryColumns(query, tuple(people), day, tuple(names))
    return None


def is_group_query(names: list[str]) -> bool:
    """A Viva Insights query about groups (person-to-group, group-to-group): primary collaborators, a date, but
    no secondary collaborator's PersonId. Recognised so that opening one says why it is not read.

    Examples
    --------
    >>> is_group_query(["PrimaryCollaborator_PersonId", "SecondaryCollaborator_FunctionType", "MetricDate"])
    True
    """
    cleaned = [clean_name(name) for name in names]
    dated = "metricdate" in cleaned or "date" in cleaned
    primary = any(name.startswith(("primarycollaborator_", "tieorigin_")) for name in cleaned)
    return dated and primary and query_columns(names) is None


def person_id(value: str, field: str) -> str:
    """A PersonId as a raw identity id: spaces around dropped, lower case (Viva's ids are GUIDs).

    Examples
    --------
    >>> person_id(" 0006B6C5-1DAE-30D3-9232-B5283D9F75DC", "PersonId")
    '0006b6c5-1dae-30d3-9232-b5283d9f75dc'
    """
    text = value.strip()
    if not text:
        raise BadRow("missing person id", field)
    if len(text) > MAX_ID_CHARS:
        raise BadRow(f"person id longer than {MAX_ID_CHARS} characters", field)
    return text.lower()


def metric_date(value: str, field: str) -> date:
    """The first day of the period a row covers: ``YYYY-MM-DD`` or ``M/D/YYYY`` (month first, as Viva Insights
    writes it and Microsoft's ``import_query`` reads it). A bad value is never quoted: the reason goes to the
    quarantine file, which holds no cell of a row.

    Examples
    --------
    >>> metric_date("01/04/2023", "MetricDate"), metric_date("2024-03-31", "MetricDate")
    (datetime.date(2023, 1, 4), datetime.date(2024, 3, 31))
    """
    text = value.strip()
    if not text:
        raise BadRow("missing date", field)
    found = _ISO_DATE.match(text)
    if found:
        year, month, day = (int(part) for part in found.groups())
    elif found := _US_DATE.match(text):
        month, day, year = (int(part) for part in found.groups())
    else:
        raise BadRow("not a date (use YYYY-MM-DD or M/D/YYYY)", field)
    try:
        return date(year, month, day)
    except ValueError:
        raise BadRow("no such day", field) from None


def tie_time(day: date) -> datetime:
    """When a tie of the period starting on ``day`` is dated: 12:00 UTC that day, or the Monday after when the
    day is a Sunday (Viva Insights' weeks run Sunday to Saturday; teamweave's weeks are ISO weeks, Monday to
    Sunday, so the Monday puts the tie in the week that shares six of its seven days; a month starting on a
    Sunday keeps it in that month).

    Examples
    --------
    >>> tie_time(date(2024, 3, 31)).isoformat()  # a Sunday
    '2024-04-01T12:00:00+00:00'
    >>> tie_time(date(2023, 1, 4)).isoformat()
    '2023-01-04T12:00:00+00:00'
    """
    shifted = day + timedelta(days=1) if day.isoweekday() == 7 else day
    return datetime.combine(shifted, time(EVENT_HOUR), tzinfo=UTC)


def check_text(columns: QueryColumns, values: list[str]) -> None:
    """A row has as many values as the header has columns, each of them text (UTF-8, no NUL, not cut)."""
    if len(values) == columns.width and not _NOT_TEXT_OR_CUT.search("".join(values)):
        return  # the usual row: one search over the whole row
    if any(TOO_LONG in value for value in values):
        raise BadRow(f"line longer than {MAX_LINE_CHARS} characters")
    if len(values) != columns.width:
        raise BadRow(f"{len(values)} values but the header has {columns.width} columns")
    for name, value in zip(columns.names, values, strict=True):
        if _NOT_TEXT.search(value):
            raise BadRow("NUL byte" if "\x00" in value else "not valid UTF-8 text", name)


def open_text(path: Path) -> IO[str]:
    """The file as text: UTF-8 (a BOM dropped); bytes that are not UTF-8 kept as surrogates, found per row."""
    return open(path, encoding="utf-8-sig", errors="surrogateescape", newline="")  # closed by the caller


def read_header(path: Path) -> list[str]:
    """The header row's column names; InputFormatError when the file cannot be read as CSV text."""
    try:
        with open_text(path) as handle:
            first = handle.readline(MAX_LINE_CHARS)
    except OSError as exc:
        raise InputFormatError("cannot read the file", file=path.name) from exc
    if _NOT_TEXT.search(first):
        raise InputFormatError("the header is not UTF-8 text", file=path.name, line=1, hint="save the file as UTF-8")
    try:
        return next(csv.reader([first]), [])
    except csv.Error as exc:
        raise InputFormatError("unreadable CSV header", file=path.name, line=1) from exc


def sniff(path: Path) -> bool:
    """True for a ``.csv`` file whose header is a Viva Insights query: person-to-person, person, or a group query
    (which the connector then refuses, saying why)."""
    path = Path(path)
    if not path.is_file() or path.suffix.lower() != ".csv":
        return False
    try:
        names = read_header(path)
    except InputFormatError:
        return False
    return query_columns(names) is not None or is_group_query(names)
