"""Microsoft Viva Insights query exports -> collaboration ties and identities (docs/connectors.md, "Viva Insights").

**Person-to-person query.** Each row says that Viva Insights observed a collaboration tie, in the period that
starts on ``MetricDate`` (a week or a month), from the primary collaborator (who initiated the e-mails, meeting
invitations, chats and calls counted) to the secondary collaborator. It becomes one event: actor = the primary
collaborator, targets = the secondary collaborator, audience 1, kind :data:`KIND`, dated by
:func:`~teamweave.ingest.vivainsights_csv.tie_time`. So the stored events are exactly the directed edge list
vivainsights' ``network_p2p`` builds its graph from, and teamweave's ties are its undirected form (one tie
unit per row and period). The tie scores and types, and the collaborators' HR attributes, are not read.

**Person query.** Rows are per-person, per-period metrics Viva Insights computed (hours, counts, survey
scores) and HR attributes: no interaction between two people. Each row's PersonId is recorded as an identity of
the source (the measured population, listed for resolution like any unmatched identity); no event is made and
every other column is ignored; each row is counted as skipped with that reason.

PersonIds are de-identified ids without an e-mail address, so they never match a directory person by
themselves; each is pseudonymised with the keyed hash at once and its label names only a prefix of that
pseudonym: no raw PersonId is written anywhere. Each bad row is quarantined with its line and field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Final, TypeAlias

from teamweave.errors import InputFormatError
from teamweave.ingest.context import ImportContext
from teamweave.ingest.csv_limits import data_rows
from teamweave.ingest.identity import CACHE_LIMIT, SourceIdentity
from teamweave.ingest.records import Interaction
from teamweave.ingest.vivainsights_csv import (
    BadRow,
    QueryColumns,
    QueryType,
    check_text,
    is_group_query,
    metric_date,
    open_text,
    person_id,
    query_columns,
    read_header,
    sniff,
    tie_time,
)

SOURCE: Final = "vivainsights"
"""The source of the identities, the import run and the event ids' namespace."""
EVENT_SOURCE: Final = SOURCE
"""The events' ``source`` field (one of :data:`~teamweave.ingest.records.SOURCES`). Event ids are keyed on
:data:`SOURCE`."""
KIND: Final = "mention"
"""The kind of a tie event. No kind of records.KINDS is "a tie observed over a period"; ``mention`` is the one
whose treatment fits a tie: one tie unit for the pair (audience 1), and counted neither as a message sent nor
as meeting time (docs/metrics.md). Its channel in the channel mix is chat ("everything else")."""
PQ_SKIP_REASON: Final = "person query row: per-person metrics, not an interaction (the person is recorded)"
LABEL_PREFIX_CHARS: Final = 12
"""Characters of an identity's pseudonym its label shows (labels must tell identities apart)."""
_Reader: TypeAlias = Callable[[list[str], ImportContext], Interaction | None]


def _location(path: Path, line: int, field: str | None) -> str:
    where = f"{path.name}, line {line}"
    return f"{where}, field '{field}'" if field else where


class VivaInsightsQuery:
    """A Viva Insights person-to-person or person query CSV. Use :meth:`open`."""

    def __init__(self, path: Path, columns: QueryColumns) -> None:
        self.path = path
        self.columns = columns
        self._pseudonyms: dict[str, str] = {}
        self._days: dict[str, tuple[date, datetime]] = {}  # MetricDate text -> (day, tie time): few distinct

    @property
    def query(self) -> QueryType:
        """``p2p`` (person-to-person) or ``pq`` (person)."""
        return self.columns.query

    @classmethod
    def open(cls, path: Path) -> VivaInsightsQuery:
        """Open and check the header; InputFormatError (naming the file and line 1) when it is not one of the two
        queries."""
        path = Path(path)
        names = read_header(path)
        if is_group_query(names):
            raise InputFormatError(
                "a Viva Insights group query (person-to-group or group-to-group): its ties are to groups, not to "
                "people, so there is nothing to read",
                file=path.name,
                line=1,
                hint="export a person-to-person query (Collaboration between individuals) instead",
            )
        columns = query_columns(names)
        if columns is None:
            raise InputFormatError(
                "not a Viva Insights person-to-person or person query",
                file=path.name,
                line=1,
                hint="the header needs PrimaryCollaborator_PersonId, SecondaryCollaborator_PersonId and MetricDate "
                "(person-to-person) or PersonId and MetricDate (person query); docs/connectors.md",
            )
        return cls(path, columns)

    def close(self) -> None:
        """The file is open only while :meth:`interactions` runs."""

    def interactions(self, ctx: ImportContext) -> Iterator[Interaction]:
        """One event per good person-to-person row; identities only for a person query; each bad row quarantined
        with its line and column."""
        ctx.progress.start("Reading a Viva Insights query", total=self.path.stat().st_size)
        read = self._tie if self.columns.query == "p2p" else self._person
        with open_text(self.path) as handle:
            for line, values in data_rows(handle, file=self.path.name, ctx=ctx):
                event = self._row(read, values, line, ctx)
                if event is not None:
                    yield event
        ctx.progress.finish()

    def _row(self, read: _Reader, values: list[str], line: int, ctx: ImportContext) -> Interaction | None:
        try:
            check_text(self.columns, values)
            return read(values, ctx)
        except BadRow as bad:
            ctx.bad(
                location=_location(self.path, line, bad.field),
                reason=bad.reason,
                fields=sorted(name[:60] for name in self.columns.names[:100]),
            )
            return None

    def _day(self, values: list[str]) -> tuple[date, datetime]:
        """The row's MetricDate and the time its tie is dated at (:func:`tie_time`)."""
        text = values[self.columns.day]
        known = self._days.get(text)
        if known is None:
            day = metric_date(text, self.columns.names[self.columns.day])
            if len(self._days) >= CACHE_LIMIT:
                self._days.clear()
            known = self._days[text] = (day, tie_time(day))
        return known

    def _person_id(self, values: list[str], position: int) -> str:
        index = self.columns.people[position]
        return person_id(values[index], self.columns.names[index])

    def _tie(self, values: list[str], ctx: ImportContext) -> Interaction | None:
        primary, secondary = self._person_id(values, 0), self._person_id(values, 1)
        day, ts = self._day(values)
        if primary == secondary:
            raise BadRow("the same person as the primary collaborator", self.columns.names[self.columns.people[1]])
        if not ctx.in_window(ts):
            ctx.skip("outside --since/--until")
            return None
        return Interaction(
            org=ctx.org,
            event_id=ctx.pseudonymiser.event_id(SOURCE, f"p2p\x1f{primary}\x1f{secondary}\x1f{day.isoformat()}"),
            source=EVENT_SOURCE,
            kind=KIND,
            ts=ts,
            actor=self._pseudonym(ctx, primary),
            targets=(self._pseudonym(ctx, secondary),),
            audience=1,
        )

    def _person(self, values: list[str], ctx: ImportContext) -> Interaction | None:
        person = self._person_id(values, 0)
        if not ctx.in_window(self._day(values)[1]):
            ctx.skip("outside --since/--until")
            return None
        self._pseudonym(ctx, person)
        ctx.skip(PQ_SKIP_REASON)
        return None

    def _pseudonym(self, ctx: ImportContext, raw_id: str) -> str:
        cached = self._pseudonyms.get(raw_id)
        if cached is None:
            if len(self._pseudonyms) >= CACHE_LIMIT:  # bounded memory whatever the number of distinct ids
                self._pseudonyms.clear()
            cached = self._pseudonyms[raw_id] = ctx.identities.pseudonym(_identity(ctx, raw_id))
        return cached


def _identity(ctx: ImportContext, raw_id: str) -> SourceIdentity:
    """A PersonId as an identity: no e-mail (it is de-identified), a label naming only its pseudonym's start."""
    prefix = ctx.pseudonymiser.identity(SOURCE, raw_id)[:LABEL_PREFIX_CHARS]
    return SourceIdentity(raw_id=raw_id, label=f"Viva Insights person {prefix} (de-identified PersonId)")


__all__ = ["EVENT_SOURCE", "KIND", "SOURCE", "VivaInsightsQuery", "sniff"]
