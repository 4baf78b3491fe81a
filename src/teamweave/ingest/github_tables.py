"""GitHub REST JSON -> event tables, each file parsed once (the connector's table path).

:meth:`~teamweave.ingest.github_json.GitHubJson.interactions` parses every file twice: once for the authors of
pull requests, issues and review comments, once for the events. Here the first pass also checks each object
the way the second pass of the record path does, with the same functions and in the same order, and keeps
only what the events need (:data:`Outcome`: a skip, an error, or the fields of an event), for up to
:data:`CACHE_OBJECTS` objects in all; files beyond that are parsed again. The second pass applies the rules that
need every author (the target, one's own pull request, the window) and makes Arrow tables, the keyed event ids
computed in DuckDB. Errors, skips, identities and events happen in the record path's order, so the store holds
the same rows in the same order (``tests/ingest/test_github_tables.py`` imports every input both ways).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import pyarrow as pa

from teamweave.ingest.context import ImportContext
from teamweave.ingest.github_json import (
    MAX_FILE_BYTES,
    OWN,
    SOURCE,
    UNKNOWN_PARENT,
    BadField,
    Key,
    Login,
    _objects,
    decode_pages,
    object_id,
    parent_key,
    shape_of,
    timestamp,
    user_of,
)
from teamweave.store.events import EVENT_SCHEMA

if TYPE_CHECKING:
    from teamweave.ingest.github_json import GitHubJson

CACHE_OBJECTS: Final = 200_000
"""Objects whose outcome the first pass keeps for the second (a few hundred bytes each)."""
TABLE_EVENTS: Final = 50_000
"""Events per table handed to the pipeline."""
IGNORED: Final = "not a pull request, review or comment (ignored)"
PULL_OR_ISSUE: Final = "pull request or issue (its author is recorded, not an interaction)"
_KINDS: Final = {"review": "review", "review_comment": "review", "issue_comment": "message"}

_T = TypeVar("_T")
Event = tuple[str, int, Key, Login, datetime, int | None]
"""What an event needs of a review or comment: shape, id, (repo, number), actor, time, in_reply_to_id."""
Outcome = tuple[str, Any]
"""("skip", reason), ("bad", (location, reason, keys)) or ("event", :data:`Event`)."""


def _attempt(check: Callable[[], _T]) -> _T | BadField:
    try:
        return check()
    except BadField as bad:
        return bad


def _checked(reader: GitHubJson | None, location: str, obj: dict[str, Any], shape: str) -> Outcome:
    """What the record path's ``_event`` makes of an object before it looks any author up; with a ``reader``,
    the object's author is learned as its ``remember`` learns it (the same checks, made once for both)."""
    if shape in ("pull", "issue"):
        parent = _attempt(lambda: parent_key(obj, "url"))
        user = _attempt(lambda: user_of(obj))
        if reader is not None and isinstance(user, Login) and not isinstance(parent, BadField):
            reader.authors.setdefault(parent, user)
        for checked in (parent, user):
            if isinstance(checked, BadField):
                return _bad(location, checked, shape)
        return "skip", PULL_OR_ISSUE
    event_key = _attempt(lambda: object_id(obj))
    actor = _attempt(lambda: user_of(obj))
    if reader is not None and shape == "review_comment" and isinstance(actor, Login) and isinstance(event_key, int):
        reader.comment_authors[event_key] = actor
    try:
        if isinstance(event_key, BadField):
            raise event_key
        parent = parent_key(obj, "issue_url" if shape == "issue_comment" else "pull_request_url")
        if isinstance(actor, BadField):
            raise actor
        if actor is None:
            return "skip", "deleted account (no user)"
        if shape == "review" and obj.get("submitted_at") is None:
            return "skip", "pending review (not submitted)"
        ts = timestamp(obj, "submitted_at" if shape == "review" else "created_at")
        replied = obj.get("in_reply_to_id") if shape == "review_comment" else None
        reply_to = object_id(obj, "in_reply_to_id") if replied is not None else None
        return "event", (shape, event_key, parent, actor, ts, reply_to)
    except BadField as bad:
        return _bad(location, bad, shape)


def _bad(location: str, bad: BadField, shape: str) -> Outcome:
    return "bad", (f"{location}, field '{bad.field}'", bad.reason, {"kind": shape})


def _file_outcomes(reader: GitHubJson, file: Path, *, remember: bool) -> list[Outcome]:
    """Every outcome of a file in order, as the record path's second pass reads it (file problems included);
    with ``remember``, the authors are learned on the way, as its first pass does."""
    name = reader.name(file)
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            return [("bad", (name, "file too large", {}))]
        text = file.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return [("bad", (name, "unreadable file (not UTF-8 text)", {}))]
    outcomes: list[Outcome] = []
    index = 0
    objects = _objects(decode_pages(text))
    while True:
        try:
            obj = next(objects)
        except StopIteration:
            break
        except json.JSONDecodeError as exc:
            outcomes.append(("bad", (f"{name}, line {exc.lineno}", "not valid JSON (truncated?)", {})))
            break
        except (ValueError, RecursionError) as exc:
            reason = f"unreadable JSON ({type(exc).__name__})"
            outcomes.append(("bad", (f"{name}, after item {index}", reason, {})))
            break
        index += 1
        shape = shape_of(obj) if isinstance(obj, dict) else None
        if shape is None or not isinstance(obj, dict):
            outcomes.append(("skip", IGNORED))
            continue
        outcomes.append(_checked(reader if remember else None, f"{name}, item {index}", obj, shape))
    return outcomes


class _Columns:
    """Event columns collected in order, made into a table :data:`TABLE_EVENTS` events at a time."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, datetime, str, str, str, str, bool]] = []

    def table(self, ctx: ImportContext, hasher: ThreadPoolExecutor) -> Callable[[], pa.Table]:
        """What makes the table of the rows collected (and forgets them) once their keyed ids, computed on
        ``hasher``, are ready."""
        source_ids, kinds, ts, actors, targets, channels, threads, bots = (
            list(c) for c in zip(*self.rows, strict=True)
        )
        self.rows = []
        count = len(source_ids)
        sources, keys = pa.repeat(pa.scalar(SOURCE), count), pa.array(source_ids, pa.string())
        ids = hasher.submit(ctx.pseudonymiser.event_id_array, sources, keys).result
        columns = {
            "org": pa.repeat(pa.scalar(ctx.org, pa.string()), count),
            "source": pa.repeat(pa.scalar(SOURCE, pa.string()), count),
            "kind": pa.array(kinds, pa.string()),
            "ts": pa.array(ts, EVENT_SCHEMA.field("ts").type),
            "duration_s": pa.nulls(count, pa.int32()),
            "actor": pa.array(actors, pa.string()),
            "targets": pa.ListArray.from_arrays(pa.array(range(count + 1), pa.int32()), pa.array(targets, pa.string())),
            "audience": pa.repeat(pa.scalar(1, pa.int32()), count),
            "channel": pa.array(channels, pa.string()),
            "thread": pa.array(threads, pa.string()),
            "by_bot": pa.array(bots, pa.bool_()),
            "via_ai": pa.repeat(pa.scalar(False), count),
            "in_person": pa.repeat(pa.scalar(False), count),
        }

        def table() -> pa.Table:
            columns["event_id"] = ids()
            names = zip(EVENT_SCHEMA.names, EVENT_SCHEMA, strict=True)
            return pa.Table.from_arrays([columns[name].cast(field.type) for name, field in names], schema=EVENT_SCHEMA)

        return table


def _event(reader: GitHubJson, ctx: ImportContext, event: Event, columns: _Columns) -> None:
    """The record path's ``_comment`` from the author lookups on: an event, or a counted skip."""
    shape, event_key, parent, actor, ts, reply_to = event
    kind = _KINDS[shape]
    target = reader.authors.get(parent)
    if reply_to is not None:
        kind = "reply"
        target = reader.comment_authors.get(reply_to) or target
    if target is None:
        ctx.skip(UNKNOWN_PARENT)
    elif target.login.lower() == actor.login.lower():
        ctx.skip(OWN)
    elif not ctx.in_window(ts):
        ctx.skip("outside the import window")
    else:
        repo, number = parent
        actor_pseudonym = reader.pseudonym(ctx, actor)  # the record path's order: actor, target, channel, thread
        target_pseudonym = reader.pseudonym(ctx, target)
        channel, thread = reader.channel(ctx, repo), reader.channel(ctx, f"{repo}#{number}")
        columns.rows.append(
            (f"{shape}:{event_key}", kind, ts, actor_pseudonym, target_pseudonym, channel, thread, actor.bot)
        )


def event_tables(reader: GitHubJson, ctx: ImportContext) -> Iterator[pa.Table]:
    """First pass: authors, and each file's outcomes (within :data:`CACHE_OBJECTS`); second pass: events."""
    ctx.progress.start("Reading GitHub JSON", total=2 * len(reader.files))
    kept: list[list[Outcome] | None] = []
    budget = CACHE_OBJECTS
    for file in reader.files:
        outcomes = _file_outcomes(reader, file, remember=True)
        fits = len(outcomes) <= budget
        kept.append(outcomes if fits else None)
        budget -= len(outcomes) if fits else 0
        ctx.progress.advance()
    columns = _Columns()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="github-event-ids") as hasher:
        pending: Callable[[], pa.Table] | None = None  # the previous table, its ids being computed
        for file, cached in zip(reader.files, kept, strict=True):
            for what, outcome in cached if cached is not None else _file_outcomes(reader, file, remember=False):
                if what == "event":
                    _event(reader, ctx, outcome, columns)
                    if len(columns.rows) >= TABLE_EVENTS:
                        made = columns.table(ctx, hasher)
                        if pending is not None:
                            yield pending()
                        pending = made
                elif what == "skip":
                    ctx.skip(outcome)
                else:
                    location, reason, keys = outcome
                    ctx.bad(location=location, reason=reason, **keys)
            ctx.progress.advance()
        last = columns.table(ctx, hasher) if columns.rows else None
        for waiting in (pending, last):
            if waiting is not None:
                yield waiting()
    ctx.progress.finish()
