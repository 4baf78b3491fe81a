"""GitHub REST JSON -> event tables, each file parsed once (the connector's table path).

:meth:`~teamweave.ingest.github_json.GitHubJson.interactions` parses every file twice: once for the authors of
pull requests, issues and review comments, once for the events. Here the first pass parses each file once with
orjson (:mod:`teamweave.ingest.github_pages`), learns the authors and checks each object as the second pass of
the record path does (:mod:`teamweave.ingest.github_scan`: objects of the usual shape by the same rules with
caches, any other by :func:`_checked`, the record path's functions in its order), keeping blocks of whole files
as rows (an event's fields) and reports (a skip or an error), for up to :data:`CACHE_OBJECTS` objects in all;
blocks beyond that are read again. The second pass applies the rules that need every author (the target, one's
own pull request, the window) column by column and makes Arrow tables (:mod:`teamweave.ingest.github_vector`),
the keyed event ids computed in DuckDB. A file orjson cannot vouch for is read by the record path's parser
(:func:`_file_outcomes`), so its errors name the same line. Errors, skips, identities and events happen in the
record path's order, so the store holds the same rows in the same order (``tests/ingest/test_github_tables.py``
imports every input both ways).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import pyarrow as pa

from teamweave.ingest.context import ImportContext
from teamweave.ingest.github_columns import IGNORED, PULL_OR_ISSUE, Codes
from teamweave.ingest.github_json import (
    MAX_FILE_BYTES,
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
from teamweave.ingest.github_scan import BlockScan
from teamweave.ingest.github_vector import block_events, start_ids
from teamweave.ingest.one_behind import one_behind

if TYPE_CHECKING:
    from teamweave.ingest.github_json import GitHubJson

CACHE_OBJECTS: Final = 200_000
"""Objects whose outcome the first pass keeps for the second (tens of bytes each)."""
TABLE_EVENTS: Final = 50_000
"""Objects (and file problems) per block: a block of whole files is closed, and later makes one table, when it
holds this many."""

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


def event_tables(reader: GitHubJson, ctx: ImportContext) -> Iterator[pa.Table]:
    """First pass: authors, and blocks of whole files' outcomes (within :data:`CACHE_OBJECTS`), their keyed ids
    computed on a worker thread meanwhile; second pass: each block's events (:mod:`teamweave.ingest.github_vector`),
    the blocks not kept read again."""
    ctx.progress.start("Reading GitHub JSON", total=2 * len(reader.files))
    codes = Codes.empty()
    plan: list[tuple[list[Path], BlockScan | None]] = []
    budget = CACHE_OBJECTS
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="github-event-ids") as hasher:
        for group, scan in _blocks(reader, codes, reader.files, remember=True, progress=ctx, limit=TABLE_EVENTS):
            fits = scan.outcomes <= budget
            budget -= scan.outcomes if fits else 0
            if fits:
                start_ids(scan, ctx, hasher)
            plan.append((group, scan if fits else None))
        yield from one_behind(_second_pass(reader, codes, plan, ctx, hasher))  # a block's ids computed meanwhile
    ctx.progress.finish()


def _second_pass(
    reader: GitHubJson,
    codes: Codes,
    plan: list[tuple[list[Path], BlockScan | None]],
    ctx: ImportContext,
    hasher: ThreadPoolExecutor,
) -> Iterator[Callable[[], pa.Table]]:
    """Each block's events, started (what waits for their keyed ids and makes the table); a block without
    events gives nothing."""
    for group, kept in plan:
        if kept is None:
            ((_, kept),) = _blocks(reader, codes, group, remember=False, progress=None, limit=None)
        made = block_events(kept, ctx, hasher)
        for _ in group:
            ctx.progress.advance()
        if made is not None:
            yield made


def _blocks(
    reader: GitHubJson,
    codes: Codes,
    files: list[Path],
    *,
    remember: bool,
    progress: ImportContext | None,
    limit: int | None,
) -> Iterator[tuple[list[Path], BlockScan]]:
    """Blocks of whole files holding ``limit`` outcomes or more (the last one fewer; None: one block)."""
    scan, group = BlockScan(reader, codes, _checked), []
    for file in files:
        scan.add_file(file, remember=remember, fallback=partial(_file_outcomes, reader, file, remember=remember))
        group.append(file)
        if progress is not None:
            progress.progress.advance()
        if limit is not None and scan.outcomes >= limit:
            yield group, scan
            scan, group = BlockScan(reader, codes, _checked), []
    if group:
        yield group, scan
