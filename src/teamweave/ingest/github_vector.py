"""The events of a block of GitHub objects (:class:`~teamweave.ingest.github_scan.BlockScan`), made column by
column with the record path's rules once every author is known.

For each event row, as :meth:`~teamweave.ingest.github_json.GitHubJson._comment` decides from its author
lookups on: the target is the pull request's or issue's author, or for a reply the author of the comment it
answers when that comment is known; no target, acting on one's own pull request or issue (logins compared case
blind) or a time outside the window is a counted skip. Authors are looked up once per distinct pull request and
answered comment, identities resolved once per distinct user in the order the record path first resolves them
(each event's actor, then its target), channels and threads once per distinct repository and pull request, and
the keyed event ids computed in DuckDB on a worker thread. Skips and errors are reported in the record path's
order: each error where it happens, each skip reason's count where it first happens.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.ingest.arrow_masks import TS_TYPE, in_window
from teamweave.ingest.context import ImportContext
from teamweave.ingest.github_columns import ISSUE_COMMENT, SHAPES, Codes
from teamweave.ingest.github_json import OWN, SOURCE, UNKNOWN_PARENT
from teamweave.ingest.github_scan import BlockScan
from teamweave.store.events import EVENT_SCHEMA

if TYPE_CHECKING:
    from teamweave.ingest.github_json import GitHubJson

OUTSIDE: Final = "outside the import window"
_KINDS: Final = pa.array(["review", "message", "reply"])
_SHAPE_NAMES: Final = pa.array(list(SHAPES))
Index = npt.NDArray[np.int64]


def _lookup(keys: Index, find: Callable[[int], int]) -> Index:
    """``find`` of each distinct key, taken for every key (-1: not found)."""
    distinct, inverse = np.unique(keys, return_inverse=True)
    found = np.array([find(key) for key in distinct.tolist()], dtype=np.int64)
    return found[inverse] if len(keys) else np.zeros(0, dtype=np.int64)


def _targets(scan: BlockScan, parent: Index, reply: Index) -> tuple[Index, Index]:
    """Each row's target login code (-1: unknown), and the rows that answer a comment."""
    reader, codes = scan.reader, scan.codes
    known = codes.parent_authors  # every author is known in the second pass: each parent looked up once
    for code in range(len(known), len(codes.parents)):
        found = reader.authors.get(codes.parents[code])
        known.append(-1 if found is None else codes.login(found))

    def comment_author(reply_to: int) -> int:
        found = reader.comment_authors.get(reply_to)
        return -1 if found is None else codes.login(found)

    target = np.array(known, dtype=np.int64)[parent]
    replies = np.flatnonzero(reply >= 0)
    if len(replies):
        answered = _lookup(reply[replies], comment_author)
        target[replies] = np.where(answered >= 0, answered, target[replies])
    return target, replies


def _lowered(codes: Codes) -> Index:
    """Each login code's case-blind code."""
    seen: dict[str, int] = {}
    return np.array([seen.setdefault(user.login.lower(), len(seen)) for user in codes.logins], dtype=np.int64)


def _report(ctx: ImportContext, scan: BlockScan, position: Index, skips: list[tuple[str, Any]]) -> None:
    """The block's reports in order: the first pass's one by one, each second-pass skip reason's count where it
    first happens (``skips``: reason and mask over the rows)."""
    due: list[tuple[int, str, Any]] = list(scan.reports)
    for reason, where in skips:
        rows = np.flatnonzero(where)
        if len(rows):
            due.append((int(position[rows[0]]), "skips", (reason, len(rows))))
    due.sort(key=itemgetter(0))
    for _, what, detail in due:
        if what == "skip":
            ctx.skip(detail)
        elif what == "skips":
            ctx.skip(*detail)
        else:
            location, reason, keys = detail
            ctx.bad(location=location, reason=reason, **keys)


def _pseudonyms(scan: BlockScan, ctx: ImportContext, actor: Index, target: Index) -> tuple[pa.Array, pa.Array]:
    """Actor and target pseudonyms, each user resolved in the record path's order (actor, target, event by event)."""
    both = np.empty(2 * len(actor), dtype=np.int64)
    both[0::2], both[1::2] = actor, target
    distinct, first = np.unique(both, return_index=True)
    named: dict[int, str] = {}
    for code in distinct[np.argsort(first, kind="stable")].tolist():
        named[code] = scan.reader.pseudonym(ctx, scan.codes.logins[code])
    names = pa.array([named[code] for code in distinct.tolist()], pa.string())
    return names.take(pa.array(np.searchsorted(distinct, actor))), names.take(
        pa.array(np.searchsorted(distinct, target))
    )


def _channels(reader: GitHubJson, ctx: ImportContext, codes: Codes, parent: Index) -> tuple[pa.Array, pa.Array]:
    """Each event's repository and pull request / issue pseudonyms (each computed once a read)."""
    repos, threads = codes.repo_names, codes.thread_names
    missing = [None] * (len(codes.parents) - len(threads))
    repos.extend(missing)
    threads.extend(missing)
    for code in np.unique(parent).tolist():
        if threads[code] is None:  # a new thread: the reader's cache is skipped (the same value)
            repo, number = codes.parents[code]
            repos[code] = reader.channel(ctx, repo)
            threads[code] = ctx.pseudonymiser.channel(SOURCE, f"{repo}#{number}")
    taken = pa.array(parent)
    return pa.array(repos, pa.string()).take(taken), pa.array(threads, pa.string()).take(taken)


def start_ids(scan: BlockScan, ctx: ImportContext, hasher: ThreadPoolExecutor) -> None:
    """Start computing the keyed ids of every event row of the block on ``hasher`` (``scan.ids`` waits for
    them): they depend on no author, so the first pass starts them while it reads the next block."""
    source_ids = pc.binary_join_element_wise(
        _SHAPE_NAMES.take(pa.array(scan.shape, pa.int64())), pa.array(scan.key, pa.int64()).cast(pa.string()), ":"
    )
    count = len(source_ids)
    scan.ids = hasher.submit(ctx.pseudonymiser.event_id_array, pa.repeat(pa.scalar(SOURCE), count), source_ids).result


def block_events(scan: BlockScan, ctx: ImportContext, hasher: ThreadPoolExecutor) -> Callable[[], pa.Table] | None:
    """What makes the block's event table once its keyed ids are computed (on ``hasher``), None when it has no
    event; its skips and errors are reported and its identities resolved when this returns."""
    position, shape, _, parent, when, reply, actor = scan.columns
    positions = np.array(position, dtype=np.int64)
    parents, replies_to, actors = (np.array(column, dtype=np.int64) for column in (parent, reply, actor))
    shapes = np.array(shape, dtype=np.int64)
    ts = pc.cast(pa.array(when, pa.string()), TS_TYPE)
    target, replies = _targets(scan, parents, replies_to)
    unknown = target < 0
    lowered = _lowered(scan.codes)
    own = ~unknown & (lowered[actors] == lowered[np.maximum(target, 0)])
    inside = in_window(ts, ctx)
    outside = ~unknown & ~own & ~inside
    _report(ctx, scan, positions, [(UNKNOWN_PARENT, unknown), (OWN, own), (OUTSIDE, outside)])
    made = np.flatnonzero(~unknown & ~own & inside)
    count = len(made)
    if count == 0:
        return None
    taken = pa.array(made)
    actor_names, target_names = _pseudonyms(scan, ctx, actors[made], target[made])
    channels, threads = _channels(scan.reader, ctx, scan.codes, parents[made])
    kinds = (shapes == ISSUE_COMMENT).astype(np.int64)
    kinds[replies] = 2
    if scan.ids is None:
        start_ids(scan, ctx, hasher)
    ids = scan.ids
    assert ids is not None
    bots = np.array([user.bot for user in scan.codes.logins], dtype=bool)
    columns = {
        "org": pa.repeat(pa.scalar(ctx.org, pa.string()), count),
        "source": pa.repeat(pa.scalar(SOURCE, pa.string()), count),
        "kind": _KINDS.take(pa.array(kinds[made])),
        "ts": ts.take(taken),
        "duration_s": pa.nulls(count, pa.int32()),
        "actor": actor_names,
        "targets": pa.ListArray.from_arrays(pa.array(np.arange(count + 1, dtype=np.int32)), target_names),
        "audience": pa.repeat(pa.scalar(1, pa.int32()), count),
        "channel": channels,
        "thread": threads,
        "by_bot": pa.array(bots[actors[made]]),
        "via_ai": pa.repeat(pa.scalar(False), count),
        "in_person": pa.repeat(pa.scalar(False), count),
    }

    def table() -> pa.Table:
        columns["event_id"] = ids().take(taken)
        names = zip(EVENT_SCHEMA.names, EVENT_SCHEMA, strict=True)
        return pa.Table.from_arrays([columns[name].cast(field.type) for name, field in names], schema=EVENT_SCHEMA)

    return table
