"""Read and validate an HR CSV file (the format is documented in docs/hr-csv.md).

This module checks what one row can tell on its own: required fields, e-mail syntax, IANA time zones, ISO
dates, and duplicate e-mails within the file. What needs the whole organisation (unknown managers,
management cycles) is checked by :func:`teamweave.people.service.import_people`.

The file is streamed with :mod:`csv`: each record becomes an :class:`HrRow`, or one
:class:`~teamweave.errors.InputFormatError` per bad field, located by file name, line and field.
"""

from __future__ import annotations

import csv
import re
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import IO
from zoneinfo import available_timezones

from teamweave.errors import InputFormatError

COLUMNS = (
    "email",
    "name",
    "team",
    "manager_email",
    "site",
    "timezone",
    "start_date",
    "birthday",
    "birthday_opt_in",
)
REQUIRED_COLUMNS = ("email", "name", "timezone")
OPT_IN_VALUES = frozenset({"yes", "true", "1"})
OPT_OUT_VALUES = frozenset({"", "no", "false", "0"})
MAX_LENGTHS = {"email": 320, "name": 200, "team": 200, "site": 200, "manager_email": 320}

_EMAIL = re.compile(r"^[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\"]+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UTF8_HINT = "save the file as UTF-8 CSV"


@dataclass(frozen=True)
class HrRow:
    """One valid HR record. ``birthday`` is already None unless the person opted in; ``birthday_opt_in`` is None
    when the file does not say (empty cell or no such column), True or False when it does."""

    line: int
    email: str
    name: str
    team: str | None
    manager_email: str | None
    site: str | None
    timezone: str
    start_date: date | None
    birthday: date | None
    birthday_opt_in: bool | None = None


@lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_valid_timezone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone known to :mod:`zoneinfo` (case-sensitive).

    Examples
    --------
    >>> is_valid_timezone("Europe/Berlin"), is_valid_timezone("Mars/Olympus")
    (True, False)
    """
    return name in _zones()


def normalise_email(value: str) -> str:
    """An e-mail address as stored: spaces trimmed, lower case.

    Examples
    --------
    >>> normalise_email("  Ana.Silva@Example.ORG ")
    'ana.silva@example.org'
    """
    return value.strip().lower()


def is_valid_email(value: str) -> bool:
    """A light syntax check: one ``@``, a dot in the domain, no spaces.

    Examples
    --------
    >>> is_valid_email("ana@example.org"), is_valid_email("ana@localhost"), is_valid_email("a b@x.org")
    (True, False, False)
    """
    return bool(_EMAIL.match(value))


class HrCsvReader:
    """Stream an HR CSV file: ``with HrCsvReader(path) as reader: for item in reader: ...``.

    Entering checks the header: a missing required column raises :class:`InputFormatError` (fatal), unknown
    columns are listed in :attr:`unknown_columns` and otherwise ignored. Iterating yields an :class:`HrRow`
    for each good record and :class:`InputFormatError` for each problem of a bad one (a bad record yields no
    row). Line numbers are those of the file, the header being line 1. After iterating,
    :attr:`rejected_emails` maps the e-mail of each rejected record (first occurrence) to its line.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.file_name = path.name
        self.unknown_columns: list[str] = []
        self.opt_in_notes: list[InputFormatError] = []
        self.rejected_emails: dict[str, int] = {}
        self._handle: IO[bytes] | None = None
        self._lines: Iterator[str] = iter(())
        self._bad_lines: set[int] = set()
        self._header: list[str] = []
        self._first_line: dict[str, int] = {}

    def __enter__(self) -> HrCsvReader:
        try:
            self._handle = self.path.open("rb")
        except OSError as exc:
            raise InputFormatError(f"cannot read the file: {exc.strerror}", file=str(self.path)) from exc
        self._lines = self._decoded(self._handle)
        try:
            self._read_header()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def _decoded(self, handle: IO[bytes]) -> Iterator[str]:
        """The file's lines as text; a line that is not UTF-8 is remembered (and its record rejected)."""
        for number, raw in enumerate(handle, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                self._bad_lines.add(number)
                text = raw.decode("utf-8", errors="replace")
            yield text.removeprefix("\ufeff") if number == 1 else text

    def _read_header(self) -> None:
        first = next(self._lines, "")
        if 1 in self._bad_lines:
            raise InputFormatError("the file is not UTF-8 text", file=self.file_name, line=1, hint=_UTF8_HINT)
        header = next(csv.reader([first]), [])
        self._header = [name.strip().lower() for name in header]
        for column in REQUIRED_COLUMNS:
            if column not in self._header:
                raise InputFormatError(
                    "required column missing from the header",
                    file=self.file_name,
                    line=1,
                    field=column,
                    hint="the header must name " + ",".join(COLUMNS),
                )
        self.unknown_columns = [name for name in self._header if name not in COLUMNS]

    def __iter__(self) -> Iterator[HrRow | InputFormatError]:
        assert self._handle is not None, "use HrCsvReader as a context manager"
        reader = csv.reader(self._lines)
        start = 2
        try:
            for record in reader:
                line, start = start, 2 + reader.line_num
                if not any(cell.strip() for cell in record):
                    continue
                if self._bad_lines.intersection(range(line, start)):
                    yield self._error(line, None, f"not UTF-8 text ({_UTF8_HINT})")
                    continue
                yield from self._parse(record, line)
        except csv.Error as exc:
            yield InputFormatError(f"unreadable CSV from here on: {exc}", file=self.file_name, line=start)

    def _error(self, line: int, field: str | None, message: str) -> InputFormatError:
        return InputFormatError(message, file=self.file_name, line=line, field=field)

    def _parse(self, record: list[str], line: int) -> Iterator[HrRow | InputFormatError]:
        if len(record) > len(self._header) and any(cell.strip() for cell in record[len(self._header) :]):
            yield self._error(line, None, f"{len(record)} fields but the header has {len(self._header)}")
            return
        values = {name: cell.strip() for name, cell in zip(self._header, record, strict=False)}
        errors = list(self._check(values, line))
        email = normalise_email(values.get("email", ""))
        if email and is_valid_email(email):
            first = self._first_line.setdefault(email, line)
            if first != line:
                errors.insert(0, self._error(line, "email", f"duplicate email {email} (first on line {first})"))
        if errors:
            if self._first_line.get(email) == line:
                self.rejected_emails[email] = line
            yield from errors
            return
        yield self._row(values, line)

    def _check(self, values: dict[str, str], line: int) -> Iterator[InputFormatError]:
        for column in REQUIRED_COLUMNS:
            if not values.get(column):
                yield self._error(line, column, "required field is empty")
        for column, limit in MAX_LENGTHS.items():
            if len(values.get(column, "")) > limit:
                yield self._error(line, column, f"longer than {limit} characters")
        for column in ("email", "manager_email"):
            value = values.get(column, "")
            if value and not is_valid_email(normalise_email(value)):
                yield self._error(line, column, f"invalid email address {value!r}")
        zone = values.get("timezone", "")
        if zone and not is_valid_timezone(zone):
            yield self._error(line, "timezone", f"unknown IANA time zone {zone!r}")
        columns = ("start_date", "birthday") if self._opted_in(values, line) else ("start_date",)
        for column in columns:
            value = values.get(column, "")
            if value and _parse_date(value) is None:
                yield self._error(line, column, f"bad date {value!r} (expected YYYY-MM-DD)")

    def _opted_in(self, values: dict[str, str], line: int) -> bool:
        answer = values.get("birthday_opt_in", "").lower()
        if answer not in OPT_IN_VALUES | OPT_OUT_VALUES:
            self.opt_in_notes.append(
                self._error(line, "birthday_opt_in", f"{answer!r} read as no (use yes/true/1 to opt in)")
            )
        return answer in OPT_IN_VALUES

    def _row(self, values: dict[str, str], line: int) -> HrRow:
        answer = values.get("birthday_opt_in", "").lower()
        opted_in = answer in OPT_IN_VALUES
        manager = normalise_email(values.get("manager_email", ""))
        return HrRow(
            line=line,
            email=normalise_email(values["email"]),
            name=values["name"],
            team=values.get("team") or None,
            manager_email=manager or None,
            site=values.get("site") or None,
            timezone=values["timezone"],
            start_date=_parse_date(values.get("start_date", "")),
            birthday=_parse_date(values.get("birthday", "")) if opted_in else None,
            birthday_opt_in=None if not answer else opted_in,
        )


def _parse_date(value: str) -> date | None:
    """An ISO ``YYYY-MM-DD`` date, or None when empty or malformed."""
    if not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


@dataclass
class ManagerCheck:
    """What :func:`check_managers` decided.

    ``rows``: the rows that still go in; ``rejected``: rows skipped for an unknown manager;
    ``errors``: one located error per rejected row and per row on a management cycle;
    ``without_manager``: e-mails whose manager link is dropped because it closes a cycle.
    """

    rows: list[HrRow]
    rejected: list[HrRow]
    errors: list[InputFormatError]
    without_manager: set[str]


def check_managers(
    rows: list[HrRow],
    *,
    file_name: str,
    directory: Mapping[str, str | None],
    rejected_emails: Mapping[str, int] | None = None,
) -> ManagerCheck:
    """Check the manager links of valid rows against the file and the people already in the directory.

    Parameters
    ----------
    rows
        Valid rows of the file (no duplicate e-mails).
    file_name
        Used to locate the errors.
    directory
        E-mail -> manager e-mail (or None) of everyone already stored.
    rejected_emails
        E-mail -> line of rows rejected earlier, to explain why their reports' manager is unknown.

    Returns
    -------
    ManagerCheck
        A row whose manager is neither a kept row nor in the directory is rejected; rejection cascades to
        that person's own reports in the file when they are not in the directory either. On each management
        cycle (including self-management) every row of the file is reported, and the link of the row read
        last (highest line) is dropped: that person is imported without a manager.
    """
    earlier = dict(rejected_emails or {})
    kept = {row.email: row for row in rows}
    reports: dict[str, list[HrRow]] = {}
    for row in rows:
        if row.manager_email is not None:
            reports.setdefault(row.manager_email, []).append(row)
    queue = deque(
        r for r in rows if r.manager_email and r.manager_email not in kept and r.manager_email not in directory
    )
    rejected: list[HrRow] = []
    errors: list[InputFormatError] = []
    while queue:
        row = queue.popleft()
        if row.email not in kept:
            continue
        del kept[row.email]
        rejected.append(row)
        errors.append(_unknown_manager(row, file_name, earlier))
        earlier[row.email] = row.line
        if row.email not in directory:
            queue.extend(reports.get(row.email, []))
    remaining = [row for row in rows if row.email in kept]
    cycle_errors, dropped = _cycles(remaining, file_name=file_name, directory=directory)
    errors.extend(cycle_errors)
    errors.sort(key=lambda error: error.line or 0)
    return ManagerCheck(rows=remaining, rejected=rejected, errors=errors, without_manager=dropped)


def _unknown_manager(row: HrRow, file_name: str, earlier: Mapping[str, int]) -> InputFormatError:
    manager = row.manager_email
    if manager is not None and manager in earlier:
        reason = f"its own row, line {earlier[manager]}, was rejected, and it is not in the directory"
    else:
        reason = "not in the file or the directory"
    return InputFormatError(
        f"unknown manager {manager} ({reason})", file=file_name, line=row.line, field="manager_email"
    )


def _cycles(
    rows: list[HrRow], *, file_name: str, directory: Mapping[str, str | None]
) -> tuple[list[InputFormatError], set[str]]:
    """Find management cycles through the file's rows; report each row on one and pick the link to drop."""
    by_email = {row.email: row for row in rows}
    manager_of: dict[str, str | None] = dict(directory)
    manager_of.update({row.email: row.manager_email for row in rows})
    done: set[str] = set()
    errors: list[InputFormatError] = []
    dropped: set[str] = set()
    for row in rows:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = row.email
        while node is not None and node not in done and node not in on_path:
            path.append(node)
            on_path.add(node)
            node = manager_of.get(node)
        if node is not None and node in on_path:
            cycle = path[path.index(node) :]
            members = [by_email[email] for email in cycle if email in by_email]
            if members:
                errors.extend(_cycle_errors(cycle, members, file_name))
                dropped.add(max(members, key=lambda member: member.line).email)
        done.update(path)
    return errors, dropped


def _cycle_errors(cycle: list[str], members: list[HrRow], file_name: str) -> Iterator[InputFormatError]:
    closer = max(members, key=lambda member: member.line)
    start = cycle.index(closer.email)
    ordered = cycle[start:] + cycle[:start] + [closer.email]
    message = (
        f"management cycle {' -> '.join(ordered)}; imported, but without the link "
        f"{closer.email} -> {closer.manager_email} (line {closer.line}), which closes the cycle"
    )
    for member in sorted(members, key=lambda m: m.line):
        yield InputFormatError(message, file=file_name, line=member.line, field="manager_email")
