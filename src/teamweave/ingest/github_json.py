"""GitHub REST API JSON (pulls, reviews, review comments, issue comments) -> review and comment events.

Input: one ``.json`` file or a folder of them (searched recursively), as saved by ``gh api --paginate``: one
JSON array per page written back to back, a single array, or (``--slurp``) an array of pages. Each object is
recognised by its shape, whatever file it is in:

- a pull request (``number`` with ``head``/``base`` or a ``.../pulls/N`` url) or an issue (``number`` and an
  ``.../issues/N`` url): only its author (``user.login``) is kept, to know whom reviews and comments reach;
- a review (``pull_request_url`` and ``state``) -> ``review`` from the reviewer to the pull request's author,
  at ``submitted_at`` (pending reviews, which have none, are skipped);
- a review comment (``pull_request_url`` and ``diff_hunk``/``path``) -> ``review`` from the commenter to the
  pull request's author; with ``in_reply_to_id`` it is a ``reply`` to the author of the comment it answers
  (the pull request's author when that comment is not in the files);
- an issue comment (``issue_url``) -> ``message`` to the author of the issue or pull request.

Every event has audience 1, channel = the repository, thread = the pull request or issue. Authors are looked
up across all files (a first pass reads only authors), so reviews and pulls may come in any order or file; a
review or comment whose pull request or issue is in none of the files is skipped, counted. Acting on one's own
pull request or issue is not an interaction between people (skipped, counted). ``user.type == "Bot"`` or a
login ending in ``[bot]`` is a tool: a bot identity, ``by_bot=True`` when it acts. Identities are
``github:<login>``, labelled ``@login (GitHub)``: these APIs give no e-mail address, so they stay unresolved
until an admin resolves them to people. Bodies, titles, diff hunks, paths and labels are never kept.

The pipeline reads :meth:`GitHubJson.event_tables` (:mod:`teamweave.ingest.github_tables`): the same events as
:meth:`GitHubJson.interactions`, the reference it is tested against, with each file parsed once (by orjson, page
by page, unless only the standard library's parser can say what it holds) and the rules applied column by column.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import pyarrow as pa

from teamweave.errors import InputFormatError
from teamweave.ingest.context import ImportContext
from teamweave.ingest.identity import CACHE_LIMIT, SourceIdentity
from teamweave.ingest.records import Interaction

SOURCE: Final = "github"
MAX_FILE_BYTES: Final = 512 * 1024**2
MAX_FOLDER_FILES: Final = 100_000
SNIFF_BYTES: Final = 64 * 1024
SHAPE_MARKERS: Final = (b'"pull_request_url"', b'"issue_url"', b'"repository_url"')
UNKNOWN_PARENT: Final = "pull request or issue not in the files (its author is unknown)"
OWN: Final = "on one's own pull request or issue"
_API_URL = re.compile(r"/repos/([^/\s]+/[^/\s]+)/(?:pulls|issues)/(\d+)(?:$|[/?#])")
_HTML_URL = re.compile(r"github\.[^/]+/([^/\s]+/[^/\s]+)/(?:pull|issues)/(\d+)(?:$|[/?#])")
_LOGIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}(\[bot\])?$")

Key = tuple[str, int]


@dataclass(frozen=True, slots=True)
class Login:
    login: str
    bot: bool


class BadField(Exception):
    """A field an object needs is missing or malformed; ``field`` names it (never its value)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(SNIFF_BYTES)
    except OSError:
        return b""


def _is_github_file(path: Path) -> bool:
    head = _head(path)
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    return start in (b"[", b"{") and b'"node_id"' in head and any(m in head for m in SHAPE_MARKERS)


def _json_files(folder: Path) -> list[Path]:
    files: list[Path] = []
    for path in folder.rglob("*.json"):
        if path.is_file():
            files.append(path)
        if len(files) >= MAX_FOLDER_FILES:
            break
    return sorted(files)


def sniff(path: Path) -> bool:
    """A ``.json`` file (or a folder holding one) whose objects have GitHub API shapes (``node_id`` and a
    ``pull_request_url``, ``issue_url`` or ``repository_url``) in its first 64 KiB."""
    path = Path(path)
    if path.is_dir():
        return any(_is_github_file(p) for p in _json_files(path)[:200])
    return path.is_file() and path.suffix.lower() == ".json" and _is_github_file(path)


def shape_of(obj: dict[str, Any]) -> str | None:
    """``pull``, ``issue``, ``review``, ``review_comment``, ``issue_comment``, or None for other objects."""
    if "pull_request_url" in obj:
        if "diff_hunk" in obj or "path" in obj:
            return "review_comment"
        return "review" if "state" in obj or "submitted_at" in obj else None
    if "number" in obj:
        url = obj.get("url")
        if "head" in obj or "base" in obj or (isinstance(url, str) and "/pulls/" in url):
            return "pull"
        return "issue" if isinstance(url, str) and "/issues/" in url else None
    return "issue_comment" if "issue_url" in obj else None


def parent_key(obj: dict[str, Any], field: str) -> Key:
    """(``owner/repo``, number) from an API url field, or from ``html_url`` for a pull request or issue."""
    url = obj.get(field)
    match = _API_URL.search(url) if isinstance(url, str) and len(url) < 2000 else None
    if match is None and field == "url":
        html = obj.get("html_url")
        match = _HTML_URL.search(html) if isinstance(html, str) and len(html) < 2000 else None
    if match is None:
        raise BadField(field, "no pull request or issue url")
    return match[1].lower(), int(match[2][:18])


def user_of(obj: dict[str, Any]) -> Login | None:
    """The acting user; None for a deleted account (``user: null``); BadField when malformed."""
    user = obj.get("user")
    if user is None:
        return None
    if not isinstance(user, dict):
        raise BadField("user", "user is not an object")
    login = user.get("login")
    if not isinstance(login, str) or _LOGIN.match(login) is None:
        raise BadField("user.login", "missing or malformed login")
    return Login(login=login, bot=user.get("type") == "Bot" or login.lower().endswith("[bot]"))


def timestamp(obj: dict[str, Any], field: str) -> datetime:
    value = obj.get(field)
    if not isinstance(value, str) or len(value) > 40:
        raise BadField(field, "missing or malformed timestamp")
    try:
        ts = datetime.fromisoformat(value)
    except ValueError as exc:
        raise BadField(field, "malformed timestamp") from exc
    if ts.tzinfo is None:
        raise BadField(field, "timestamp without a time zone")
    return ts.astimezone(UTC)


def object_id(obj: dict[str, Any], field: str = "id") -> int:
    value = obj.get(field)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 2**63:
        raise BadField(field, "missing or malformed id")
    return value


def decode_pages(text: str) -> Iterator[Any]:
    """The JSON values of a file written page after page (``[...][...]``); ValueError/RecursionError when bad."""
    decoder = json.JSONDecoder()
    position, end = 0, len(text)
    while True:
        while position < end and text[position] in " \t\r\n":
            position += 1
        if position >= end:
            return
        value, position = decoder.raw_decode(text, position)
        yield value


def _objects(values: Iterator[Any]) -> Iterator[object]:
    for value in values:
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, list):
                yield from item
            else:
                yield item


class GitHubJson:
    """One GitHub API JSON file or a folder of them. Use :meth:`open`."""

    def __init__(self, root: Path, files: list[Path]) -> None:
        self.root = root
        self.files = files
        self.authors: dict[Key, Login] = {}
        self.comment_authors: dict[int, Login] = {}
        self._pseudonyms: dict[tuple[str, bool], str] = {}
        self._channels: dict[str, str] = {}

    @classmethod
    def open(cls, path: Path) -> GitHubJson:
        """InputFormatError (nothing read beyond the first 64 KiB) when ``path`` is not GitHub API JSON."""
        path = Path(path)
        if path.is_dir():
            files = _json_files(path)
            if not any(_is_github_file(p) for p in files):
                raise InputFormatError("no GitHub API JSON files in this folder", file=path.name or str(path))
            return cls(path, files)
        if not path.is_file():
            raise InputFormatError(f"no such file or folder: {path}", file=path.name or str(path))
        if not _is_github_file(path):
            raise InputFormatError(
                "not GitHub API JSON (pulls, reviews or comments)",
                file=path.name,
                hint="save it with: gh api --paginate repos/OWNER/REPO/pulls > pulls.json",
            )
        return cls(path.parent, [path])

    def close(self) -> None:
        """Files are read one at a time and closed."""

    def name(self, file: Path) -> str:
        """A file's name in errors: its path under the folder opened."""
        return file.relative_to(self.root).as_posix() if file.is_relative_to(self.root) else file.name

    def event_tables(self, ctx: ImportContext) -> Iterator[pa.Table]:
        """The events of :meth:`interactions`, in its order and with its effects on ``ctx``, as Arrow tables, each
        file parsed once (:mod:`teamweave.ingest.github_tables`)."""
        from teamweave.ingest.github_tables import event_tables  # it builds on this module

        return event_tables(self, ctx)

    def interactions(self, ctx: ImportContext) -> Iterator[Interaction]:
        """First every file's authors, then every file's events; bad records are located and quarantined."""
        ctx.progress.start("Reading GitHub JSON", total=2 * len(self.files))
        for file in self.files:
            for _, obj, _ in self._read(file, ctx, report=False):
                self.remember(obj)
            ctx.progress.advance()
        for file in self.files:
            for location, obj, shape in self._read(file, ctx, report=True):
                event = self._event(ctx, location, obj, shape)
                if event is not None:
                    yield event
            ctx.progress.advance()
        ctx.progress.finish()

    def _read(self, file: Path, ctx: ImportContext, *, report: bool) -> Iterator[tuple[str, dict[str, Any], str]]:
        """(location, object, shape) of each recognised object; file problems reported in the second pass."""
        name = self.name(file)
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                if report:
                    ctx.bad(location=name, reason="file too large")
                return
            text = file.read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError):
            if report:
                ctx.bad(location=name, reason="unreadable file (not UTF-8 text)")
            return
        index = 0
        try:
            for obj in _objects(decode_pages(text)):
                index += 1
                shape = shape_of(obj) if isinstance(obj, dict) else None
                if shape is not None and isinstance(obj, dict):
                    yield f"{name}, item {index}", obj, shape
                elif report:
                    ctx.skip("not a pull request, review or comment (ignored)")
        except json.JSONDecodeError as exc:
            if report:
                ctx.bad(location=f"{name}, line {exc.lineno}", reason="not valid JSON (truncated?)")
        except (ValueError, RecursionError) as exc:
            if report:
                ctx.bad(location=f"{name}, after item {index}", reason=f"unreadable JSON ({type(exc).__name__})")

    def pseudonym(self, ctx: ImportContext, user: Login) -> str:
        """A user's pseudonym, cached (bounded) per login: the identity resolver sees each login once."""
        key = (user.login, user.bot)
        cached = self._pseudonyms.get(key)
        if cached is None:
            if len(self._pseudonyms) >= CACHE_LIMIT:
                self._pseudonyms.clear()
            label = f"@{user.login} (GitHub{', bot' if user.bot else ''})"
            identity = SourceIdentity(raw_id=f"github:{user.login.lower()}", label=label, is_bot=user.bot)
            cached = self._pseudonyms[key] = ctx.identities.pseudonym(identity)
        return cached

    def channel(self, ctx: ImportContext, name: str) -> str:
        """The pseudonym of a repository or a pull request / issue, cached (bounded): one HMAC each, not per event."""
        cached = self._channels.get(name)
        if cached is None:
            if len(self._channels) >= CACHE_LIMIT:
                self._channels.clear()
            cached = self._channels[name] = ctx.pseudonymiser.channel(SOURCE, name)
        return cached

    def remember(self, obj: dict[str, Any]) -> None:
        """First pass: authors of pull requests and issues, and of review comments (for replies)."""
        shape = shape_of(obj)
        try:
            user = user_of(obj)
            if user is None:
                return
            if shape in ("pull", "issue"):
                self.authors.setdefault(parent_key(obj, "url"), user)
            elif shape == "review_comment":
                self.comment_authors[object_id(obj)] = user
        except BadField:
            return

    def _event(self, ctx: ImportContext, location: str, obj: dict[str, Any], shape: str) -> Interaction | None:
        try:
            if shape in ("pull", "issue"):
                parent_key(obj, "url")
                user_of(obj)
                ctx.skip("pull request or issue (its author is recorded, not an interaction)")
                return None
            return self._comment(ctx, obj, shape)
        except BadField as bad:
            ctx.bad(location=f"{location}, field '{bad.field}'", reason=bad.reason, kind=shape)
            return None

    def _comment(self, ctx: ImportContext, obj: dict[str, Any], shape: str) -> Interaction | None:
        event_key = object_id(obj)
        parent = parent_key(obj, "issue_url" if shape == "issue_comment" else "pull_request_url")
        actor = user_of(obj)
        if actor is None:
            ctx.skip("deleted account (no user)")
            return None
        if shape == "review" and obj.get("submitted_at") is None:
            ctx.skip("pending review (not submitted)")
            return None
        ts = timestamp(obj, "submitted_at" if shape == "review" else "created_at")
        kind = {"review": "review", "review_comment": "review", "issue_comment": "message"}[shape]
        target = self.authors.get(parent)
        reply_to = obj.get("in_reply_to_id") if shape == "review_comment" else None
        if reply_to is not None:
            kind = "reply"
            target = self.comment_authors.get(object_id(obj, "in_reply_to_id")) or target
        if target is None:
            ctx.skip(UNKNOWN_PARENT)
            return None
        if target.login.lower() == actor.login.lower():
            ctx.skip(OWN)
            return None
        if not ctx.in_window(ts):
            ctx.skip("outside the import window")
            return None
        repo, number = parent
        return Interaction(
            org=ctx.org,
            event_id=ctx.pseudonymiser.event_id(SOURCE, f"{shape}:{event_key}"),
            source=SOURCE,
            kind=kind,
            ts=ts,
            actor=self.pseudonym(ctx, actor),
            targets=(self.pseudonym(ctx, target),),
            audience=1,
            channel=self.channel(ctx, repo),
            thread=self.channel(ctx, f"{repo}#{number}"),
            by_bot=actor.bot,
        )
