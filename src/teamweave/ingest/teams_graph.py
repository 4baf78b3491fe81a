"""Microsoft Teams chat and channel messages as Microsoft Graph ``chatMessage`` JSON -> events (metadata only).

Read: what ``GET /chats/{id}/messages``, ``GET /teams/{id}/channels/{id}/messages`` (also with
``$expand=replies``) and ``.../messages/{id}/replies`` return, saved as files: one response page
``{"@odata.context": ..., "value": [chatMessage, ...], "@odata.nextLink": ...}``, a JSON array of such pages,
a bare array of chatMessage objects, or one chatMessage; one ``.json`` file or a folder of them (recursively).
``body``, ``subject``, ``summary``, ``attachments`` and ``eventDetail`` are never read.

Rules (docs/connectors/teams.md explains them): a ``message`` is a ``message``, or a ``reply`` when it has a
``replyToId``; actor = ``from.user``, or ``from.application`` (a tool: ``by_bot``). In a chat it targets the chat's
other participants seen in the files (Graph lists no members); in a channel the users it mentions and, for a
reply, the parent's author, audience = the channel's other participants seen. Mentions and reactions are also
``mention`` and ``reaction`` events; other message types and deleted messages are skipped, counted.

Two passes, one file at a time: the first learns each conversation's participants and top-level authors (and
keeps up to :data:`CACHE_POSTS` parsed messages), the second emits events; memory never holds a whole export.
The pipeline reads :meth:`TeamsMessages.event_tables`: the same two passes over blocks of files, the rules
applied column by column (:mod:`teamweave.ingest.teams_tables`), the same events; :meth:`interactions`, one
record per event, is the reference it is tested against.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import orjson
import pyarrow as pa

from teamweave.errors import InputFormatError
from teamweave.ingest.context import ImportContext
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.records import Interaction
from teamweave.ingest.teams_graph_json import (
    CACHE_POSTS,
    MAX_FILE_BYTES,
    NOT_GRAPH,
    SOURCE,
    Post,
    Problem,
    Rejected,
    Sender,
    head_bytes,
    items,
    json_files,
    parse_post,
    parse_time,
    rejected_problem,
    sniff,
    to_utf8,
)
from teamweave.ingest.teams_tables import TeamsTables

__all__ = ["SOURCE", "TeamsMessages", "parse_time", "sniff"]


class TeamsMessages:
    """One Graph chatMessage JSON file or a folder of them (searched recursively). Use :meth:`open`."""

    def __init__(
        self, root: Path, files: list[Path], *, max_file_bytes: int = MAX_FILE_BYTES, cache_posts: int = CACHE_POSTS
    ) -> None:
        self.root = root
        self.files = files
        self.max_file_bytes = max_file_bytes
        self.cache_posts = cache_posts
        self.participants: dict[str, dict[str, None]] = {}
        self.authors: dict[tuple[str, str], Sender] = {}
        self.names: dict[str, str] = {}
        self._unreadable: set[Path] = set()
        self._names: dict[Path, str] = {}
        self._seen: set[str] = set()
        self._pseudonyms: dict[str, str] = {}
        self._channels: dict[str, str] = {}

    @classmethod
    def open(cls, path: Path, *, max_file_bytes: int = MAX_FILE_BYTES, cache_posts: int = CACHE_POSTS) -> TeamsMessages:
        """Open a file or folder; InputFormatError (nothing read further) when it holds no Graph JSON."""
        path = Path(path)
        if path.is_dir():
            files = json_files(path)
            if not files:
                raise InputFormatError("no .json files in this folder", file=path.name)
            return cls(path, files, max_file_bytes=max_file_bytes, cache_posts=cache_posts)
        try:
            head = head_bytes(path)
        except OSError as exc:
            raise InputFormatError("cannot read the file", file=path.name) from exc
        if head[:1] not in (b"{", b"["):
            raise InputFormatError(
                "not Microsoft Graph JSON (expected a JSON object or array)",
                file=path.name,
                hint="save what GET /chats/{id}/messages or /teams/{id}/channels/{id}/messages returns",
            )
        return cls(path.parent, [path], max_file_bytes=max_file_bytes, cache_posts=cache_posts)

    def close(self) -> None:
        """Nothing stays open between files."""

    def name(self, file: Path) -> str:
        """A file's name in errors: its path under the folder opened."""
        name = self._names.get(file)
        if name is None:
            text, prefix = str(file), os.path.join(str(self.root), "")
            if text.startswith(prefix):  # (Path.relative_to gives the same, ten times slower)
                name = text[len(prefix) :].replace(os.sep, "/")
            else:
                inside = file.is_relative_to(self.root)
                name = file.relative_to(self.root).as_posix() if inside else file.name
            self._names[file] = name
        return name

    def load(self, file: Path, ctx: ImportContext) -> object | None:
        """A file's JSON; None (quarantined once, in the first pass) when it cannot be read."""
        if file in self._unreadable:
            return None
        try:
            with open(file, "rb") as handle:
                if os.fstat(handle.fileno()).st_size > self.max_file_bytes:
                    raise Rejected("file too large", bad=True)
                content = handle.read()
            data: object = orjson.loads(to_utf8(content))
            if data is None:
                raise Rejected(NOT_GRAPH, bad=True)
            return data
        except (OSError, orjson.JSONDecodeError, UnicodeError, Rejected) as exc:
            reason = exc.reason if isinstance(exc, Rejected) else "unreadable file (not valid JSON)"
            ctx.bad(location=self.name(file), reason=reason)
            self._unreadable.add(file)
            return None

    def _outcomes(self, file: Path, ctx: ImportContext) -> list[Post | Problem]:
        """What each message of a file makes: a Post, or a Problem to report; [] for an unreadable file."""
        data = self.load(file, ctx)
        if data is None:
            return []
        outcomes: list[Post | Problem] = []
        try:
            for location, raw, context in items(data, self.name(file)):
                if not isinstance(raw, dict):
                    outcomes.append(Problem(location, "message is not a JSON object", bad=True))
                    continue
                try:
                    outcomes.append(parse_post(raw, context))
                except Rejected as rejected:
                    outcomes.append(rejected_problem(location, rejected, raw))
        except Rejected as rejected:
            outcomes.append(Problem(self.name(file), rejected.reason, bad=True))
        return outcomes

    def _learn(self, post: Post) -> None:
        members = self.participants.setdefault(post.conversation, {})
        people = [post.sender, *post.mentions, *(user for _, user, _ in post.reactions)]
        for person in people:
            if person.name:
                self.names.setdefault(person.key, person.name)
            if not person.is_bot:
                members.setdefault(person.key, None)
        if post.reply_to is None:
            self.authors.setdefault((post.conversation, post.id), post.sender)

    def interactions(self, ctx: ImportContext) -> Iterator[Interaction]:
        """First pass: participants and authors; second pass: events. Bad records go to ``ctx``.

        The first pass keeps up to ``cache_posts`` parsed messages, so smaller exports are parsed only once."""
        ctx.progress.start("Reading Teams messages", total=2 * len(self.files))
        kept: dict[Path, list[Post | Problem]] = {}
        budget = self.cache_posts
        for file in self.files:
            outcomes = self._outcomes(file, ctx)
            for outcome in outcomes:
                if isinstance(outcome, Post):
                    self._learn(outcome)
            if len(outcomes) <= budget:
                kept[file], budget = outcomes, budget - len(outcomes)
            ctx.progress.advance()
        for file in self.files:
            cached = kept.pop(file, None)
            for outcome in self._outcomes(file, ctx) if cached is None else cached:
                if isinstance(outcome, Post):
                    yield from self._events(outcome, ctx)
                elif outcome.bad:
                    ctx.bad(location=outcome.location, reason=outcome.reason, **outcome.keys)
                else:
                    ctx.skip(outcome.reason)
            ctx.progress.advance()
        ctx.progress.finish()

    def event_tables(self, ctx: ImportContext) -> Iterator[pa.Table]:
        """The events of :meth:`interactions`, in its order and with its effects on ``ctx``, as Arrow tables made
        a block of messages at a time (:mod:`teamweave.ingest.teams_tables`)."""
        return TeamsTables(self).tables(ctx)

    def _pseudonym(self, ctx: ImportContext, sender: Sender) -> str:
        cached = self._pseudonyms.get(sender.key)
        if cached is None:
            name = self.names.get(sender.key) or sender.name or sender.key.removeprefix("app:")
            label = f"{name} (Teams{' app' if sender.is_bot else ''})"
            identity = SourceIdentity(raw_id=sender.key, label=label, is_bot=sender.is_bot)
            cached = self._pseudonyms[sender.key] = ctx.identities.pseudonym(identity)
        return cached

    def channel(self, ctx: ImportContext, conversation: str | None) -> str | None:
        """The pseudonym of a conversation or thread id (cached)."""
        if conversation is None:
            return None
        cached = self._channels.get(conversation)
        if cached is None:
            cached = self._channels[conversation] = ctx.pseudonymiser.channel(SOURCE, conversation)
        return cached

    def _events(self, post: Post, ctx: ImportContext) -> Iterator[Interaction]:
        key = f"{post.conversation}:{post.id}"
        if key in self._seen:
            ctx.skip("same message in another file or page")
            return
        self._seen.add(key)
        event = _Event(self, ctx, post, self._pseudonym(ctx, post.sender))
        if ctx.in_window(post.ts):
            yield from self._message(post, ctx, event, key)
        else:
            ctx.skip("outside --since/--until")
        for reaction_type, user, ts in post.reactions:
            if user.key == post.sender.key:
                ctx.skip("reaction to one's own message")
            elif not ctx.in_window(ts):
                ctx.skip("outside --since/--until")
            else:
                reactor = self._pseudonym(ctx, user)
                yield event.make(f"{key}:reaction:{reaction_type}:{user.key}", "reaction", ts, reactor, (event.author,))

    def _message(self, post: Post, ctx: ImportContext, event: _Event, key: str) -> Iterator[Interaction]:
        """The message or reply itself, then one ``mention`` event per mentioned user."""
        own = post.sender.key
        known = {u.key: u for u in post.mentions}
        members = self.participants.get(post.conversation, {})
        others = len(members) - (own in members)
        mentioned = [k for k in dict.fromkeys(u.key for u in post.mentions) if k != own]
        if post.is_chat:
            target_keys = [k for k in members if k != own]
        else:
            parent = self.authors.get((post.conversation, post.reply_to)) if post.reply_to else None
            if parent is not None and parent.key != own:
                known[parent.key] = parent
                target_keys = list(dict.fromkeys([parent.key, *mentioned]))
            else:
                target_keys = mentioned
        cached = self._pseudonyms.get
        targets = tuple(cached(k) or self._pseudonym(ctx, known.get(k) or Sender(k, "")) for k in target_keys)
        audience = max(others, len(targets))
        kind = "reply" if post.reply_to else "message"
        by_bot = post.sender.is_bot
        yield event.make(key, kind, post.ts, event.author, targets, audience, by_bot=by_bot)
        for user in mentioned:
            target = (self._pseudonym(ctx, known[user]),)
            yield event.make(f"{key}:mention:{user}", "mention", post.ts, event.author, target, by_bot=by_bot)


@dataclass(frozen=True, slots=True)
class _Event:
    """Builds the events of one post: same channel and thread for all of them."""

    reader: TeamsMessages
    ctx: ImportContext
    post: Post
    author: str

    def make(
        self,
        key: str,
        kind: str,
        ts: datetime,
        actor: str,
        targets: tuple[str, ...],
        audience: int = 1,
        *,
        by_bot: bool = False,
    ) -> Interaction:
        post = self.post
        thread = None if post.is_chat and post.reply_to is None else f"{post.conversation}:{post.reply_to or post.id}"
        return Interaction(
            org=self.ctx.org,
            event_id=self.ctx.pseudonymiser.event_id(SOURCE, key),
            source=SOURCE,
            kind=kind,
            ts=ts,
            actor=actor,
            targets=targets,
            audience=audience,
            channel=self.reader.channel(self.ctx, post.conversation),
            thread=self.reader.channel(self.ctx, thread),
            by_bot=by_bot,
        )
