"""The objects of GitHub REST JSON files as rows of a block: what the table path's first pass makes of them.

Each object gets an outcome at its position (its index among the block's objects and file problems): an event
row (a review or comment that passed every check the record path makes before it looks an author up), or a
report (a skip or an error, in order). Pages of one usual shape are read column by column
(:mod:`teamweave.ingest.github_columns`); in other pages an object of the usual shape (an ``id`` and a ``user``
of the right types, a pull request or issue API url, a ``...Z`` time, ``in_reply_to_id`` empty or an id) is
checked here with the record path's rules, once per distinct login and url; any other object is checked by the
record path's own functions (``_checked`` of :mod:`teamweave.ingest.github_tables`), so its outcome, and the
error naming file, item and field, are exactly the record path's. Files orjson cannot vouch for
(:mod:`teamweave.ingest.github_pages`) are read by the record path's parser, object by object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from teamweave.ingest.github_columns import (
    IGNORED,
    ISSUE_COMMENT,
    MAX_ID,
    PULL_OR_ISSUE,
    REVIEW,
    REVIEW_COMMENT,
    SHAPES,
    Codes,
    page_of,
    plain_times,
)
from teamweave.ingest.github_json import MAX_FILE_BYTES
from teamweave.ingest.github_pages import Unvouched, parse_pages

if TYPE_CHECKING:
    from teamweave.ingest.github_json import GitHubJson

Report = tuple[int, str, Any]
"""(position, "skip", reason), (position, "skips", (reason, count)) for ``count`` objects from ``position`` on,
or (position, "bad", (location, reason, keys))."""
Checked = Callable[["GitHubJson | None", str, dict[str, Any], str], tuple[str, Any]]


class BlockScan:
    """Event rows (as columns) and reports of some files, in order (:meth:`add_file`); ``outcomes`` counts
    positions."""

    def __init__(self, reader: GitHubJson, codes: Codes, checked: Checked) -> None:
        self.reader, self.codes, self.checked = reader, codes, checked
        self.outcomes = 0
        self.position: list[int] = []
        self.shape: list[int] = []
        self.key: list[int] = []
        self.parent: list[int] = []
        self.when: list[str] = []
        self.reply: list[int] = []
        self.actor: list[int] = []
        self.reports: list[Report] = []
        self.ids: Callable[[], pa.Array] | None = None
        """What waits for the keyed ids of the event rows, once started."""

    @property
    def columns(self) -> tuple[list[int], list[int], list[int], list[int], list[str], list[int], list[int]]:
        return self.position, self.shape, self.key, self.parent, self.when, self.reply, self.actor

    def add_file(self, file: Path, *, remember: bool, fallback: Callable[[], list[tuple[str, Any]]]) -> None:
        """A file's outcomes; ``fallback`` gives them as the record path's parser reads the file, for a file
        orjson cannot vouch for (its errors are then the record path's; what this read of it added is dropped,
        the authors it learned are learned again in the same order)."""
        try:
            data = file.read_bytes() if file.stat().st_size <= MAX_FILE_BYTES else b""
        except OSError:
            data = b""
        rows, reports, outcomes = len(self.position), len(self.reports), self.outcomes
        try:
            if not data:
                raise Unvouched
            self._pages(parse_pages(data), self.reader.name(file), remember)
        except Unvouched:
            for column in self.columns:
                del column[rows:]
            del self.reports[reports:]
            self.outcomes = outcomes
            for outcome in fallback():
                self._outcome(outcome)

    def _pages(self, pages: Iterator[Any], name: str, remember: bool) -> None:
        """Every object of the pages, as ``_objects`` walks them (a page of the usual kind at once)."""
        index = 0
        for value in pages:
            if type(value) is list and self._page(value, remember):
                index += len(value)
                continue
            for item in value if type(value) is list else [value]:
                if type(item) is list:
                    for inner in item:
                        index += 1
                        self._object(inner, name, index, remember)
                else:
                    index += 1
                    self._object(item, name, index, remember)

    def _outcome(self, outcome: tuple[str, Any]) -> None:
        """An outcome of the record path's functions: an event becomes a row, a skip or error a report."""
        what, detail = outcome
        if what != "event":
            self.reports.append((self.outcomes, what, detail))
            self.outcomes += 1
            return
        shape, event_key, parent, actor, ts, reply_to = detail
        codes = self.codes
        self._row(SHAPES.index(shape), event_key, codes.parent(parent), ts.isoformat(), reply_to, codes.login(actor))

    def _row(self, shape: int, key: int, parent: int, when: str, reply: int | None, actor: int) -> None:
        self.position.append(self.outcomes)
        self.outcomes += 1
        self.shape.append(shape)
        self.key.append(key)
        self.parent.append(parent)
        self.when.append(when)
        self.reply.append(-1 if reply is None else reply)
        self.actor.append(actor)

    def _page(self, items: list[Any], remember: bool) -> bool:
        """Add a page whose objects all have one usual shape and plain fields, column by column; False
        (nothing added) for any other page."""
        return page_of(self, items, remember)

    def _object(self, obj: object, name: str, index: int, remember: bool) -> None:
        if type(obj) is not dict:
            self._skip(IGNORED)
        elif "pull_request_url" in obj:
            if "diff_hunk" in obj or "path" in obj:
                self._comment(obj, REVIEW_COMMENT, obj.get("pull_request_url"), name, index, remember)
            elif "state" in obj or "submitted_at" in obj:
                self._comment(obj, REVIEW, obj.get("pull_request_url"), name, index, remember)
            else:
                self._skip(IGNORED)
        elif "number" in obj:
            url = obj.get("url")
            if "head" in obj or "base" in obj or (type(url) is str and "/pulls/" in url):
                self._parent(obj, url, "pull", name, index, remember)
            elif type(url) is str and "/issues/" in url:
                self._parent(obj, url, "issue", name, index, remember)
            else:
                self._skip(IGNORED)
        elif "issue_url" in obj:
            self._comment(obj, ISSUE_COMMENT, obj.get("issue_url"), name, index, remember)
        else:
            self._skip(IGNORED)

    def _skip(self, reason: str) -> None:
        self.reports.append((self.outcomes, "skip", reason))
        self.outcomes += 1

    def _slow(self, obj: dict[str, Any], shape: str, name: str, index: int, remember: bool) -> None:
        self._outcome(self.checked(self.reader if remember else None, f"{name}, item {index}", obj, shape))

    def _parent(self, obj: dict[str, Any], url: object, shape: str, name: str, index: int, remember: bool) -> None:
        """A pull request or issue: its author learned (``remember``), a skip reported."""
        user = obj.get("user")
        parent = self.codes.api_url(url) if type(url) is str else -1
        actor = self.codes.user(user) if type(user) is dict and parent >= 0 else -1
        if actor < 0:
            self._slow(obj, shape, name, index, remember)
            return
        if remember:
            codes = self.codes
            self.reader.authors.setdefault(codes.parents[parent], codes.logins[actor])
        self._skip(PULL_OR_ISSUE)

    def _comment(self, obj: dict[str, Any], shape: int, url: object, name: str, index: int, remember: bool) -> None:
        """A review or comment of the usual shape as an event row; any other by the record path's checks."""
        codes = self.codes
        event_key, user = obj.get("id"), obj.get("user")
        when = obj.get("submitted_at" if shape == REVIEW else "created_at")
        reply = obj.get("in_reply_to_id") if shape == REVIEW_COMMENT else None
        if (
            type(event_key) is not int
            or not 0 < event_key < MAX_ID
            or type(user) is not dict
            or type(url) is not str
            or type(when) is not str
            or not plain_times([when])
            or (reply is not None and (type(reply) is not int or not 0 < reply < MAX_ID))
        ):
            self._slow(obj, SHAPES[shape], name, index, remember)
            return
        actor = codes.user(user)
        parent = codes.api_url(url) if actor >= 0 else -1
        if parent < 0:
            self._slow(obj, SHAPES[shape], name, index, remember)
            return
        if remember and shape == REVIEW_COMMENT:
            self.reader.comment_authors[event_key] = codes.logins[actor]
        self._row(shape, event_key, parent, when, reply, actor)
