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
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote

import orjson

from teamweave.errors import InputFormatError
from teamweave.ingest.context import ImportContext
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.records import Interaction

SOURCE: Final = "teams"
MAX_FILE_BYTES: Final = 100 * 1024**2  # a whole file is parsed at once: larger exports are split
MAX_ID_CHARS: Final = 512
MAX_NAME_CHARS: Final = 100
SNIFF_BYTES: Final = 64 * 1024
CACHE_POSTS: Final = 200_000  # parsed messages kept between the two passes (~100 MB); beyond, files are re-read
_MARKERS: Final = (b'"messageType"', b"#chats(", b"/channels(", b"chatMessage")
_CHAT_CONTEXT = re.compile(r"chats\('([^']+)'\)")
_CHANNEL_CONTEXT = re.compile(r"teams\('([^']+)'\)/channels\('([^']+)'\)")
NOT_GRAPH: Final = "not a Graph response, array of responses or array of chatMessage objects"
_FRACTION = re.compile(r"(\.\d{6})\d+")


class _Rejected(Exception):
    """A message that yields no event: ``bad`` ones are quarantined, the others only counted."""

    def __init__(self, reason: str, *, bad: bool, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.bad = bad
        self.field = field


@dataclass(frozen=True, slots=True)
class Sender:
    """A Teams identity: ``key`` is the AAD user id (``app:<id>`` for an application)."""

    key: str
    name: str
    is_bot: bool = False


@dataclass(frozen=True, slots=True)
class Post:
    """What the rules need of one chatMessage (never its body, subject or attachments)."""

    conversation: str
    is_chat: bool
    id: str
    reply_to: str | None
    ts: datetime
    sender: Sender
    mentions: tuple[Sender, ...]
    reactions: tuple[tuple[str, Sender, datetime], ...]


@dataclass(frozen=True, slots=True)
class Problem:
    """A message that makes no event: quarantined when ``bad``, else a counted skip."""

    location: str
    reason: str
    bad: bool
    keys: dict[str, object] = field(default_factory=dict)


def _head(path: Path) -> bytes:
    """The file's first bytes as UTF-8, leading blanks removed."""
    with open(path, "rb") as handle:
        return _to_utf8(handle.read(SNIFF_BYTES), strict=False).lstrip()


def _looks_like_graph(head: bytes) -> bool:
    return head[:1] in (b"{", b"[") and any(marker in head for marker in _MARKERS)


def _json_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".json")


def sniff(path: Path) -> bool:
    """True for a Graph chatMessage JSON file, or a folder whose first .json files are (not a Slack export)."""
    path = Path(path)
    try:
        if path.is_dir():
            if (path / "users.json").is_file() and (path / "channels.json").is_file():
                return False
            files = _json_files(path)[:5]
            return bool(files) and all(_looks_like_graph(_head(f)) for f in files)
        return path.suffix.lower() == ".json" and _looks_like_graph(_head(path))
    except OSError:
        return False


def _to_utf8(data: bytes, *, strict: bool = True) -> bytes:
    """UTF-8 bytes for orjson: a UTF-8 BOM dropped; UTF-16 with a BOM (PowerShell's Out-File) decoded."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="strict" if strict else "replace").encode("utf-8", "surrogatepass")
    return data


def _text(value: object, *, limit: int = MAX_ID_CHARS) -> str | None:
    return value if isinstance(value, str) and value and len(value) <= limit else None


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def parse_time(value: object) -> datetime | None:
    """Graph's ISO 8601 timestamp (``Z``, 0 to 7 fraction digits) as UTC; None when it is not one."""
    if not isinstance(value, str) or not 10 <= len(value) <= 40:
        return None
    try:
        parsed = datetime.fromisoformat(_FRACTION.sub(r"\1", value) if len(value) > 27 else value)
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _named(entry: object, prefix: str) -> Sender | None:
    """A teamworkUserIdentity (prefix "") or teamworkApplicationIdentity ("app:") with a usable id."""
    if not isinstance(entry, dict):
        return None
    raw_id = entry.get("id")
    if not isinstance(raw_id, str) or not raw_id or len(raw_id) > MAX_ID_CHARS:
        return None
    name = entry.get("displayName")
    shown = name[:MAX_NAME_CHARS].strip() if isinstance(name, str) else ""
    return Sender(prefix + raw_id, shown, bool(prefix))


def _identity(identity_set: object) -> Sender | None:
    """The user (else application) of an identity set; None when it names neither with an id."""
    if not isinstance(identity_set, dict):
        return None
    return _named(identity_set.get("user"), "") or _named(identity_set.get("application"), "app:")


def _conversation(m: dict[str, Any], fallback: str | None) -> tuple[str, bool]:
    chat_id = _text(m.get("chatId"))
    if chat_id is not None:
        return f"chat:{chat_id}", True
    channel = _dict(m.get("channelIdentity"))
    team_id, channel_id = _text(channel.get("teamId")), _text(channel.get("channelId"))
    if team_id is not None and channel_id is not None:
        return f"channel:{team_id}:{channel_id}", False
    if fallback is not None:
        return fallback, fallback.startswith("chat:")
    raise _Rejected("message without chatId or channelIdentity", bad=True, field="chatId")


def _users(items: object, *, path: str) -> Iterator[tuple[dict[str, Any], Sender]]:
    """(entry, user) for the entries of ``mentions`` (path "mentioned") or ``reactions`` (path "user")."""
    for entry in items if isinstance(items, list) else ():
        holder = entry.get(path) if isinstance(entry, dict) else None
        user = _named(holder.get("user"), "") if isinstance(holder, dict) else None
        if user is not None:
            yield entry, user


def parse_post(m: dict[str, Any], context: str | None) -> Post:
    """The metadata of one chatMessage; raises _Rejected (skip or bad) when it makes no event."""
    message_type = m.get("messageType")
    if not isinstance(message_type, str):
        raise _Rejected("missing or invalid messageType", bad=True, field="messageType")
    if message_type != "message":
        raise _Rejected(f"{message_type[:40]}: not an interaction", bad=False)
    if m.get("deletedDateTime") is not None:
        raise _Rejected("deleted message", bad=False)
    message_id = _text(m.get("id"))
    if message_id is None:
        raise _Rejected("missing or invalid id", bad=True, field="id")
    ts = parse_time(m.get("createdDateTime"))
    if ts is None:
        raise _Rejected("missing or invalid createdDateTime", bad=True, field="createdDateTime")
    sender = _identity(m.get("from"))
    if sender is None:
        raise _Rejected("message without a sender (from.user or from.application)", bad=True, field="from")
    conversation, is_chat = _conversation(m, context)
    mentions = tuple(user for _, user in _users(m.get("mentions"), path="mentioned"))
    reactions = tuple(
        (_text(entry.get("reactionType"), limit=64) or "reaction", user, parse_time(entry.get("createdDateTime")) or ts)
        for entry, user in _users(m.get("reactions"), path="user")
    )
    reply_to = _text(m.get("replyToId"))
    return Post(conversation, is_chat, message_id, reply_to, ts, sender, mentions, reactions)


def _context_conversation(context: object) -> str | None:
    """The conversation a page's ``@odata.context`` names (``chats('…')`` or ``teams('…')/channels('…')``)."""
    if not isinstance(context, str) or len(context) > 4096:
        return None
    channel = _CHANNEL_CONTEXT.search(context)
    if channel is not None:
        return f"channel:{unquote(channel.group(1))}:{unquote(channel.group(2))}"
    chat = _CHAT_CONTEXT.search(context)
    return f"chat:{unquote(chat.group(1))}" if chat is not None else None


Item = tuple[str, object, str | None]


def _messages(values: list[Any], where: str, context: str | None) -> Iterator[Item]:
    for index, message in enumerate(values):
        location = f"{where}, message {index + 1}"
        yield location, message, context
        replies = _dict(message).get("replies")  # $expand=replies
        for number, reply in enumerate(replies if isinstance(replies, list) else []):
            yield f"{location}, reply {number + 1}", reply, context


def _page_items(page: dict[str, Any], where: str) -> Iterator[Item]:
    context = _context_conversation(page.get("@odata.context"))
    values = page.get("value", [page])  # no "value": one chatMessage (GET of a single message)
    if not isinstance(values, list):
        raise _Rejected("a response whose 'value' is not an array", bad=True)
    yield from _messages(values, where, context)


def items(data: object, name: str) -> Iterator[Item]:
    """(location, raw message, conversation of its page) for every message a file holds, replies included."""
    if isinstance(data, dict):
        yield from _page_items(data, name)
    elif (
        isinstance(data, list) and data and all(isinstance(e, dict) and isinstance(e.get("value"), list) for e in data)
    ):
        for index, entry in enumerate(data):
            yield from _page_items(entry, f"{name}, page {index + 1}")
    elif isinstance(data, list):
        yield from _messages(data, name, None)
    else:
        raise _Rejected(NOT_GRAPH, bad=True)


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
        self._seen: set[str] = set()
        self._pseudonyms: dict[str, str] = {}
        self._channels: dict[str, str] = {}

    @classmethod
    def open(cls, path: Path, *, max_file_bytes: int = MAX_FILE_BYTES, cache_posts: int = CACHE_POSTS) -> TeamsMessages:
        """Open a file or folder; InputFormatError (nothing read further) when it holds no Graph JSON."""
        path = Path(path)
        if path.is_dir():
            files = _json_files(path)
            if not files:
                raise InputFormatError("no .json files in this folder", file=path.name)
            return cls(path, files, max_file_bytes=max_file_bytes, cache_posts=cache_posts)
        try:
            head = _head(path)
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

    def _name(self, file: Path) -> str:
        return file.relative_to(self.root).as_posix() if file.is_relative_to(self.root) else file.name

    def _load(self, file: Path, ctx: ImportContext) -> object | None:
        """A file's JSON; None (quarantined once, in the first pass) when it cannot be read."""
        if file in self._unreadable:
            return None
        name = self._name(file)
        try:
            if file.stat().st_size > self.max_file_bytes:
                raise _Rejected("file too large", bad=True)
            data: object = orjson.loads(_to_utf8(file.read_bytes()))
            if data is None:
                raise _Rejected(NOT_GRAPH, bad=True)
            return data
        except (OSError, orjson.JSONDecodeError, UnicodeError, _Rejected) as exc:
            reason = exc.reason if isinstance(exc, _Rejected) else "unreadable file (not valid JSON)"
            ctx.bad(location=name, reason=reason)
            self._unreadable.add(file)
            return None

    def _outcomes(self, file: Path, ctx: ImportContext) -> list[Post | Problem]:
        """What each message of a file makes: a Post, or a Problem to report; [] for an unreadable file."""
        data = self._load(file, ctx)
        if data is None:
            return []
        outcomes: list[Post | Problem] = []
        try:
            for location, raw, context in items(data, self._name(file)):
                if not isinstance(raw, dict):
                    outcomes.append(Problem(location, "message is not a JSON object", bad=True))
                    continue
                try:
                    outcomes.append(parse_post(raw, context))
                except _Rejected as rejected:
                    outcomes.append(_problem(location, rejected, raw))
        except _Rejected as rejected:
            outcomes.append(Problem(self._name(file), rejected.reason, bad=True))
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
        targets = tuple(self._pseudonym(ctx, known.get(k) or Sender(k, "")) for k in target_keys)
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


def _problem(location: str, rejected: _Rejected, raw: dict[str, Any]) -> Problem:
    """A rejected message as a Problem: located to its field; keys are field names and the time, never content."""
    if not rejected.bad:
        return Problem(location, rejected.reason, bad=False)
    where = f"{location}, field '{rejected.field}'" if rejected.field else location
    ts = parse_time(raw.get("createdDateTime"))
    keys: dict[str, object] = {"fields": sorted(str(k)[:40] for k in list(raw)[:50])}
    if ts is not None:
        keys["ts"] = ts.isoformat()
    return Problem(where, rejected.reason, bad=True, keys=keys)
