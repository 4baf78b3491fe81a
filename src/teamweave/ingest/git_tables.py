"""git history -> event tables (the connector's table path): the record path's rules, without a record per event.

:meth:`~teamweave.ingest.git_repo.GitRepository.interactions` parses each log record into a
:class:`~teamweave.ingest.git_log.GitCommit` and makes an :class:`~teamweave.ingest.records.Interaction` with
its keyed id per event. Here the records are read in the same blocks of
:data:`~teamweave.ingest.git_repo.PREFETCH_COMMITS` (so ``.mailmap`` is asked about the same people in the same
batches), each block split into fields at once and checked column by column (commit id, author address, a date
of 1 to 10 digits); a record that is not plain is read by the record path's :func:`parse_record`, in its place.
Trailer lines are read once per distinct line and trailer people looked up once per person, times are kept as
integers (microseconds), events are plain row tuples made into Arrow columns, and their keyed ids are computed in
DuckDB on a worker thread while the next block is read (git's output itself is read ahead on a thread,
:func:`~teamweave.ingest.git_log.log_records`, so git writes on meanwhile). Skips, errors,
quarantine lines and identity lookups happen in the record path's order, so the store holds the same rows in
the same order (``tests/ingest/test_git_tables.py`` imports every repository both ways).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from datetime import UTC, datetime, timedelta
from itertools import islice, repeat
from operator import contains
from typing import Final

import numpy as np
import pyarrow as pa

from teamweave.ingest.arrow_masks import TS_TYPE
from teamweave.ingest.context import ImportContext
from teamweave.ingest.git_log import (
    FIELD_SEP,
    TRAILER_KINDS,
    TRAILER_SEP,
    BadCommit,
    Mailmap,
    Trailer,
    log_records,
    parse_record,
    trailer_of,
)
from teamweave.ingest.git_repo import (
    NO_TRAILERS,
    PREFETCH_COMMITS,
    SELF_TRAILER,
    SOURCE,
    GitRepository,
    is_bot,
    pseudonym_of,
)
from teamweave.ingest.one_behind import one_behind
from teamweave.progress import shown
from teamweave.store.events import EVENT_SCHEMA

TABLE_EVENTS: Final = 10_000
"""Events per table at least (the last one fewer): the keyed ids of one are computed while the next is read."""
CACHE_LIMIT: Final = 65_536
"""Distinct trailer lines whose reading is kept (emptied when full)."""
OUTSIDE: Final = "outside the import window"
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)
_SHA: Final = re.compile("[0-9a-f]{40,64}")
_STAMP: Final = re.compile("[0-9]{1,10}")
_SHAS: Final = re.compile("(?:[0-9a-f]{40,64}\n)*")
_STAMPS: Final = re.compile("(?:[0-9]{1,10}\n)*")
_KINDS: Final = pa.array(["co_author", "review"])
Commit = tuple[str, str, str, int, tuple[Trailer, ...]]
"""A readable commit: id, author name (at most 100 characters), lower-case address, time (Unix microseconds),
trailers: what :func:`parse_record` makes of it."""


def _micros(ts: datetime) -> int:
    return (ts - _EPOCH) // _MICROSECOND


Row = tuple[str, bool, int, str, str, int, str, bool]
"""An event: source event id, co-author (else review), time (Unix microseconds), actor, target, audience, thread,
by a bot."""


_UNREAD: Final = Trailer("", "", None)


class _Trailers:
    """A record's trailer field -> its trailers, as :func:`parse_record` reads them (:func:`trailer_of`), each
    distinct line read once; and a trailer person's canonical name and lower-case address under ``.mailmap``,
    once per person."""

    def __init__(self, mailmap: Mailmap) -> None:
        self._lines: dict[str, Trailer | None] = {}
        self._mailmap = mailmap
        self._people: dict[tuple[str, str], tuple[str, str, bool]] = {}

    def __call__(self, text: str) -> tuple[Trailer, ...]:
        lines, found = self._lines, []
        for line in text.split(TRAILER_SEP):
            trailer = lines.get(line, _UNREAD)
            if trailer is _UNREAD:
                if len(lines) >= CACHE_LIMIT:
                    lines.clear()
                trailer = lines[line] = trailer_of(line)
            if trailer is not None:
                found.append(trailer)
        return tuple(found)

    def canonical(self, name: str, email: str) -> tuple[str, str, bool]:
        """:meth:`Mailmap.canonical`, the address in lower case, and whether that is a bot (:func:`is_bot`), once
        per person (the mailmap's own cache is never emptied either)."""
        key = (name, email)
        found = self._people.get(key)
        if found is None:
            mapped, address = self._mailmap.canonical(name, email)
            found = self._people[key] = (mapped, address.lower(), is_bot(mapped, address.lower()))
        return found


def _plain(fields: list[list[str]]) -> list[bool] | None:
    """Which split records :func:`parse_record` reads without a question (None: all of them): five fields, a
    commit id, an author address, a date of 1 to 10 digits. The others are read by it, one by one."""
    if all(len(parts) == 5 for parts in fields):
        shas, _, emails, stamps, _ = zip(*fields, strict=True)
        if _all_match(_SHAS, shas) and _all_match(_STAMPS, stamps) and all(map(contains, emails, repeat("@"))):
            return None
    return [
        len(parts) == 5
        and _SHA.fullmatch(parts[0]) is not None
        and "@" in parts[2]
        and _STAMP.fullmatch(parts[3]) is not None
        for parts in fields
    ]


def _all_match(pattern: re.Pattern[str], values: tuple[str, ...]) -> bool:
    """Whether every value matches ``pattern`` + newline (one regular expression over the joined values)."""
    joined = "\n".join(values) + "\n"
    return joined.count("\n") == len(values) and pattern.fullmatch(joined) is not None


class _Block:
    """One block of log records read into ``rows`` with the record path's rules and effects, in its order."""

    def __init__(self, repo: GitRepository, ctx: ImportContext, trailers: _Trailers, rows: list[Row]) -> None:
        self.repo, self.ctx, self.trailers, self.rows = repo, ctx, trailers, rows
        self.since = -(2**63) if ctx.since is None else _micros(ctx.since)
        self.until = 2**63 if ctx.until is None else _micros(ctx.until)

    def read(self, records: list[str]) -> None:
        """Read the block: the commits' trailer people looked up in ``.mailmap`` together, then each commit."""
        fields = [record.strip("\n").split(FIELD_SEP) for record in records]
        plain, trailers = _plain(fields), self.trailers
        items: list[Commit | BadCommit] = []
        for index, parts in enumerate(fields):
            if plain is None or plain[index]:
                sha, name, email, stamp, text = parts
                read = trailers(text) if text else ()
                items.append((sha, name[:100], email.strip().lower(), int(stamp) * 1_000_000, read))
                continue
            try:
                commit = parse_record(records[index])
            except BadCommit as bad:
                items.append(bad)
            else:
                items.append((commit.sha, commit.author_name, commit.author_email, _micros(commit.ts), commit.trailers))
        people = {
            (t.name, t.email): None
            for item in items
            if not isinstance(item, BadCommit)
            for t in item[4]
            if t.email is not None
        }
        self.repo.mailmap.prefetch(iter(people))
        repo, tally, ctx, since, until = self.repo, self.repo.tally, self.ctx, self.since, self.until
        for item in items:
            tally.commits += 1
            if isinstance(item, BadCommit):
                tally.bad += 1
                ctx.bad(
                    location=f"{repo.path.name}, commit {item.sha or tally.commits}", reason=item.reason, kind="commit"
                )
                continue
            sha, name, email, micros, found = item
            if micros < since or micros >= until:
                repo.skip(ctx, OUTSIDE)
            elif not found:
                repo.skip(ctx, NO_TRAILERS)
            elif self._events(sha, name, email, micros, found):
                tally.with_events += 1
                continue
            tally.skipped += 1

    def _events(self, sha: str, name: str, email: str, micros: int, trailers: tuple[Trailer, ...]) -> bool:
        """The record path's ``_commit`` and ``_event``: whether the commit made any event."""
        ctx, repo = self.ctx, self.repo
        author_bot = is_bot(name, email)
        author = pseudonym_of(ctx, name, email, bot=author_bot)
        people: dict[tuple[str, str], tuple[str, str, bool]] = {}
        co_authors = 0
        for trailer in trailers:
            if trailer.email is None:
                location = f"{repo.path.name}, commit {sha}, trailer {trailer.key}"
                ctx.bad(location=location, reason="trailer without an e-mail address", kind=TRAILER_KINDS[trailer.key])
                continue
            person = self.trailers.canonical(trailer.name, trailer.email)
            if person[1] == email:
                repo.skip(ctx, SELF_TRAILER)
            elif (trailer.key, person[1]) in people:
                repo.skip(ctx, "trailer person named twice")
            else:
                people[(trailer.key, person[1])] = person
                co_authors += TRAILER_KINDS[trailer.key] == "co_author"
        if not people:
            return False
        thread = ctx.pseudonymiser.channel(SOURCE, sha)
        append = self.rows.append
        made = False
        for (key, _), (person_name, person_email, person_bot) in people.items():
            other = pseudonym_of(ctx, person_name, person_email, bot=person_bot)
            if other == author:
                repo.skip(ctx, SELF_TRAILER)
            elif TRAILER_KINDS[key] == "co_author":
                append((f"{sha}:{key}:{person_email}", True, micros, author, other, co_authors, thread, author_bot))
                made = True
            else:
                append((f"{sha}:{key}:{person_email}", False, micros, other, author, 1, thread, person_bot))
                made = True
        return made


def _table(ctx: ImportContext, channel: str, rows: list[Row], hasher: ThreadPoolExecutor) -> Callable[[], pa.Table]:
    """What makes the table of ``rows`` once their keyed ids are computed (started on ``hasher`` now)."""
    count = len(rows)
    source_ids, co_author, micros, actors, targets, audience, threads, bots = zip(*rows, strict=True)
    ids = hasher.submit(
        ctx.pseudonymiser.event_id_array, pa.repeat(pa.scalar(SOURCE), count), pa.array(source_ids, pa.string())
    )
    kinds = pa.array(np.logical_not(np.array(co_author, dtype=bool)).astype(np.int64))
    columns = {
        "org": pa.repeat(pa.scalar(ctx.org, pa.string()), count),
        "source": pa.repeat(pa.scalar(SOURCE, pa.string()), count),
        "kind": _KINDS.take(kinds),
        "ts": pa.array(np.array(micros, dtype=np.int64)).cast(TS_TYPE),
        "duration_s": pa.nulls(count, pa.int32()),
        "actor": pa.array(actors, pa.string()),
        "targets": pa.ListArray.from_arrays(
            pa.array(np.arange(count + 1, dtype=np.int32)), pa.array(targets, pa.string())
        ),
        "audience": pa.array(audience, pa.int32()),
        "channel": pa.repeat(pa.scalar(channel, pa.string()), count),
        "thread": pa.array(threads, pa.string()),
        "by_bot": pa.array(bots, pa.bool_()),
        "via_ai": pa.repeat(pa.scalar(False), count),
        "in_person": pa.repeat(pa.scalar(False), count),
    }

    def table() -> pa.Table:
        columns["event_id"] = ids.result()
        names = zip(EVENT_SCHEMA.names, EVENT_SCHEMA, strict=True)
        return pa.Table.from_arrays([columns[name].cast(field.type) for name, field in names], schema=EVENT_SCHEMA)

    return table


def event_tables(repo: GitRepository, ctx: ImportContext) -> Iterator[pa.Table]:
    """The events of :meth:`GitRepository.interactions` as tables of :data:`TABLE_EVENTS` or more, with the same
    effects on ``ctx`` and on the repository's tally, in the same order."""
    ctx.progress.start("Reading git history", total=repo.commit_count() if shown(ctx.progress) else None)
    with closing(log_records(repo.path)) as records, ThreadPoolExecutor(1, "git-event-ids") as hasher:
        yield from one_behind(_started(repo, ctx, records, hasher))  # a table's ids computed meanwhile
    ctx.progress.finish()


def _started(
    repo: GitRepository, ctx: ImportContext, records: Iterator[str], hasher: ThreadPoolExecutor
) -> Iterator[Callable[[], pa.Table]]:
    """Tables of :data:`TABLE_EVENTS` events or more (the last one fewer), started (what waits for their keyed
    ids and makes the table)."""
    channel = ctx.pseudonymiser.channel(SOURCE, repo.path.name)
    trailers, rows = _Trailers(repo.mailmap), list[Row]()
    while block := list(islice(records, PREFETCH_COMMITS)):
        _Block(repo, ctx, trailers, rows).read(block)
        ctx.progress.advance(len(block))
        if len(rows) >= TABLE_EVENTS:
            made, rows = _table(ctx, channel, rows, hasher), []
            yield made
    if rows:
        yield _table(ctx, channel, rows, hasher)
