"""Microsoft Graph ``chatMessage`` JSON as Teams exports hold it: sniffing, pages, and parsed posts.

Reads the shapes of ``GET /chats/{id}/messages`` and ``GET /teams/{id}/channels/{id}/messages`` responses (one
page, an array of pages, a bare array of messages, or one message) into :class:`Post` records holding only
metadata; ``body``, ``subject``, ``summary``, ``attachments`` and ``eventDetail`` are never read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final
from urllib.parse import unquote

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


class Rejected(Exception):
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


def head_bytes(path: Path) -> bytes:
    """The file's first bytes as UTF-8, leading blanks removed."""
    with open(path, "rb") as handle:
        return to_utf8(handle.read(SNIFF_BYTES), strict=False).lstrip()


def _looks_like_graph(head: bytes) -> bool:
    return head[:1] in (b"{", b"[") and any(marker in head for marker in _MARKERS)


def json_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".json")


def sniff(path: Path) -> bool:
    """True for a Graph chatMessage JSON file, or a folder whose first .json files are (not a Slack export)."""
    path = Path(path)
    try:
        if path.is_dir():
            if (path / "users.json").is_file() and (path / "channels.json").is_file():
                return False
            files = json_files(path)[:5]
            return bool(files) and all(_looks_like_graph(head_bytes(f)) for f in files)
        return path.suffix.lower() == ".json" and _looks_like_graph(head_bytes(path))
    except OSError:
        return False


def to_utf8(data: bytes, *, strict: bool = True) -> bytes:
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
    try:  # Python >= 3.11 reads 7 fraction digits itself (and drops the 7th, as the substitution does)
        parsed = datetime.fromisoformat(value)
    except ValueError:
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
    raise Rejected("message without chatId or channelIdentity", bad=True, field="chatId")


def _users(items: object, *, path: str) -> Iterator[tuple[dict[str, Any], Sender]]:
    """(entry, user) for the entries of ``mentions`` (path "mentioned") or ``reactions`` (path "user")."""
    for entry in items if isinstance(items, list) else ():
        holder = entry.get(path) if isinstance(entry, dict) else None
        user = _named(holder.get("user"), "") if isinstance(holder, dict) else None
        if user is not None:
            yield entry, user


def parse_post(m: dict[str, Any], context: str | None) -> Post:
    """The metadata of one chatMessage; raises Rejected (skip or bad) when it makes no event."""
    message_type = m.get("messageType")
    if not isinstance(message_type, str):
        raise Rejected("missing or invalid messageType", bad=True, field="messageType")
    if message_type != "message":
        raise Rejected(f"{message_type[:40]}: not an interaction", bad=False)
    if m.get("deletedDateTime") is not None:
        raise Rejected("deleted message", bad=False)
    message_id = _text(m.get("id"))
    if message_id is None:
        raise Rejected("missing or invalid id", bad=True, field="id")
    ts = parse_time(m.get("createdDateTime"))
    if ts is None:
        raise Rejected("missing or invalid createdDateTime", bad=True, field="createdDateTime")
    sender = _identity(m.get("from"))
    if sender is None:
        raise Rejected("message without a sender (from.user or from.application)", bad=True, field="from")
    conversation, is_chat = _conversation(m, context)
    mentions = tuple(user for _, user in _users(m.get("mentions"), path="mentioned"))
    reactions = tuple(
        (_text(entry.get("reactionType"), limit=64) or "reaction", user, parse_time(entry.get("createdDateTime")) or ts)
        for entry, user in _users(m.get("reactions"), path="user")
    )
    reply_to = _text(m.get("replyToId"))
    return Post(conversation, is_chat, message_id, reply_to, ts, sender, mentions, reactions)


def rejected_problem(location: str, rejected: Rejected, raw: dict[str, Any]) -> Problem:
    """A rejected message as a Problem: located to its field; keys are field names and the time, never content."""
    if not rejected.bad:
        return Problem(location, rejected.reason, bad=False)
    where = f"{location}, field '{rejected.field}'" if rejected.field else location
    ts = parse_time(raw.get("createdDateTime"))
    keys: dict[str, object] = {"fields": sorted(str(k)[:40] for k in list(raw)[:50])}
    if ts is not None:
        keys["ts"] = ts.isoformat()
    return Problem(where, rejected.reason, bad=True, keys=keys)


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
Place = tuple[str, int, int]
"""Where a message is in a file: the page's location, its index on the page, and its reply number (0: not a
reply); :func:`location` spells it out."""
RawItem = tuple[Place, object, str | None]


def location(place: Place) -> str:
    """A message's location, as errors name it (``file, page 2, message 3, reply 1``)."""
    where, index, reply = place
    return f"{where}, message {index + 1}, reply {reply}" if reply else f"{where}, message {index + 1}"


def _messages(values: list[Any], where: str, context: str | None) -> Iterator[RawItem]:
    for index, message in enumerate(values):
        yield (where, index, 0), message, context
        replies = message.get("replies") if isinstance(message, dict) else None  # $expand=replies
        for number, reply in enumerate(replies if isinstance(replies, list) else []):
            yield (where, index, number + 1), reply, context


def _page_items(page: dict[str, Any], where: str) -> Iterator[RawItem]:
    context = _context_conversation(page.get("@odata.context"))
    values = page.get("value", [page])  # no "value": one chatMessage (GET of a single message)
    if not isinstance(values, list):
        raise Rejected("a response whose 'value' is not an array", bad=True)
    yield from _messages(values, where, context)


def raw_items(data: object, name: str) -> Iterator[RawItem]:
    """(place, raw message, conversation of its page) for every message a file holds, replies included; raises
    Rejected (bad) when the document is not a Graph shape, after the messages before that point."""
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
        raise Rejected(NOT_GRAPH, bad=True)


def items(data: object, name: str) -> Iterator[Item]:
    """(location, raw message, conversation of its page) for every message a file holds, replies included."""
    for place, raw, context in raw_items(data, name):
        yield location(place), raw, context
