"""The messages of Teams Graph JSON files as columns: what :func:`~teamweave.ingest.teams_graph_json.parse_post`
makes of each message, without a :class:`~teamweave.ingest.teams_graph_json.Post` object per message.

A message of the usual shape (a ``message`` from a user with a valid id and a ``Z`` time, not deleted) is read
here field by field with the same checks as ``parse_post``; any other message (another type, a deleted one, an
application sender, an offset or odd time, any field of the wrong type) is read by ``parse_post`` itself, so
its Post, or its Problem naming file, message and field, is exactly the record path's. Each message's place in
its files (its outcome position) is kept, so events, errors and skips come out in the record path's order.
Only metadata is read: ``body``, ``subject``, ``summary``, ``attachments`` and ``eventDetail`` never are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Final, TypeGuard

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from teamweave.ingest.arrow_masks import TS_TYPE
from teamweave.ingest.teams_graph_json import (
    MAX_ID_CHARS,
    MAX_NAME_CHARS,
    Place,
    Post,
    Problem,
    Rejected,
    _context_conversation,
    _conversation,
    _text,
    _users,
    location,
    parse_post,
    parse_time,
    raw_items,
    rejected_problem,
)

_PLAIN_TIME: Final = re.compile(  # what parse_time reads as the same instant as Arrow's cast (below)
    r"[12][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,7})?Z"
).fullmatch
_LATE_DAY: Final = re.compile(  # the same with a day of 29 to 31, which parse_time must confirm
    r"[12][0-9]{3}-(0[1-9]|1[0-2])-(29|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,7})?Z"
).fullmatch


def is_plain_time(value: object) -> TypeGuard[str]:
    """True for a time of the usual shape (``Z``, 0 to 7 fraction digits) on a day that exists."""
    if type(value) is not str:
        return False
    return _PLAIN_TIME(value) is not None or (_LATE_DAY(value) is not None and parse_time(value) is not None)


_FIELD_NAMES: Final = (
    "messageType", "deletedDateTime", "id", "createdDateTime", "from", "chatId", "replyToId", "mentions", "reactions"
)  # fmt: skip
_FIELDS: Final = itemgetter(*_FIELD_NAMES)
_SEVEN_DIGITS_LENGTH: Final = 28  # a plain time with 7 fraction digits: parse_time drops the 7th (truncates)

_Row = tuple[int, str, bool, str, str | None, str, str, str, bool]
"""A Post's columns: position, conversation, is_chat, id, reply_to, ts text, sender key, name, is_bot."""
Index = npt.NDArray[np.int64]
Mask = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class MessageBlock:
    """The messages of some files as Arrow columns, one row per message that makes a Post, in file order.

    ``position`` is each row's outcome position (the index among all messages and problems of the block);
    ``problems`` the messages that make no Post, at theirs. Mentions and reactions are flat, ``*_rows`` naming
    the row they belong to (ascending)."""

    outcomes: int
    position: Index
    conversation: pa.Array
    is_chat: Mask
    id: pa.Array
    reply_to: pa.Array
    ts: pa.Array
    sender: pa.Array
    sender_name: list[str]
    sender_bot: Mask
    mention_rows: Index
    mention_key: pa.Array
    mention_name: list[str]
    reaction_rows: Index
    reaction_type: pa.Array
    reaction_key: pa.Array
    reaction_name: list[str]
    reaction_ts: pa.Array
    problems: list[tuple[int, Problem]]

    @property
    def rows(self) -> int:
        return len(self.position)


def utc_times(texts: list[str]) -> pa.Array:
    """Times checked by :data:`_PLAIN_TIME` (or written by ``datetime.isoformat``) as UTC timestamps."""
    array = pa.array(texts, pa.string())
    seven = pc.equal(pc.binary_length(array), _SEVEN_DIGITS_LENGTH)  # YYYY-MM-DDTHH:MM:SS.fffffffZ
    if pc.any(seven).as_py():
        array = pc.if_else(seven, pc.binary_join_element_wise(pc.utf8_slice_codeunits(array, 0, 26), "Z", ""), array)
    return pc.cast(array, TS_TYPE)


class BlockBuilder:
    """Collects the messages of files, one file at a time (:meth:`add_file`), then makes a :class:`MessageBlock`."""

    def __init__(self) -> None:
        self.outcomes = 0
        self.posts: list[_Row] = []
        self.mention_rows: list[int] = []
        self.mention_key: list[str] = []
        self.mention_name: list[str] = []
        self.reaction_rows: list[int] = []
        self.reaction_type: list[str] = []
        self.reaction_key: list[str] = []
        self.reaction_name: list[str] = []
        self.reaction_ts: list[str] = []
        self.problems: list[tuple[int, Problem]] = []

    def add_file(self, data: object, name: str) -> None:
        """Every message of a file's parsed JSON (as :func:`~teamweave.ingest.teams_graph_json.raw_items`
        walks it); a document that is not a Graph shape adds a Problem after the messages before that point."""
        if type(data) is dict and type(values := data.get("value")) is list:  # one response page: the usual file
            self._add_page(values, name, _context_conversation(data.get("@odata.context")))
            return
        try:
            for place, raw, context in raw_items(data, name):
                self._add(place, raw, context)
        except Rejected as rejected:
            self.problems.append((self.outcomes, Problem(name, rejected.reason, bad=True)))
            self.outcomes += 1

    def _add_page(self, values: list[Any], name: str, context: str | None) -> None:
        """The messages of a page and their replies, in :func:`raw_items`' order, the usual ones read at once."""
        plain = self._plain
        for index, message in enumerate(values):
            if type(message) is dict:
                if plain(message, context, self.outcomes):
                    self.outcomes += 1
                else:
                    self._add((name, index, 0), message, context)
                replies = message.get("replies")
                if type(replies) is list:
                    for number, reply in enumerate(replies):
                        self._add((name, index, number + 1), reply, context)
            else:
                self._add((name, index, 0), message, context)

    def _add(self, place: Place, raw: object, context: str | None) -> None:
        position = self.outcomes
        self.outcomes += 1
        if type(raw) is not dict:
            self.problems.append((position, Problem(location(place), "message is not a JSON object", bad=True)))
        elif not self._plain(raw, context, position):  # (raw_items: any other shape of file)
            try:
                post = parse_post(raw, context)
            except Rejected as rejected:
                self.problems.append((position, rejected_problem(location(place), rejected, raw)))
            else:
                self._add_post(post, position)

    def _plain(self, m: dict[str, Any], context: str | None, position: int) -> bool:
        """Add a message of the usual shape, checked as ``parse_post`` checks it; False (nothing added) for any
        other message."""
        try:
            message_type, deleted, message_id, created, sender, chat, reply_to, mentions, reactions = _FIELDS(m)
        except KeyError:  # Graph writes every property, null when unset; a file that does not is read by get
            message_type, deleted, message_id, created, sender, chat, reply_to, mentions, reactions = map(
                m.get, _FIELD_NAMES
            )
        if message_type != "message" or deleted is not None:
            return False
        if (
            type(message_id) is not str
            or not 0 < len(message_id) <= MAX_ID_CHARS
            or type(created) is not str
            or (_PLAIN_TIME(created) is None and not is_plain_time(created))
            or type(sender) is not dict
        ):
            return False
        user = sender.get("user")
        if type(user) is not dict:
            return False
        key = user.get("id")
        if type(key) is not str or not 0 < len(key) <= MAX_ID_CHARS:
            return False
        if type(chat) is str and 0 < len(chat) <= MAX_ID_CHARS:
            conversation, is_chat = "chat:" + chat, True
        else:
            try:
                conversation, is_chat = _conversation(m, context)
            except Rejected:
                return False
        name = user.get("displayName")
        if reply_to is not None and (type(reply_to) is not str or not 0 < len(reply_to) <= MAX_ID_CHARS):
            reply_to = None  # as _text reads it
        row = len(self.posts)
        self.posts.append(
            (
                position,
                conversation,
                is_chat,
                message_id,
                reply_to,
                created,
                key,
                name[:MAX_NAME_CHARS].strip() if type(name) is str else "",
                False,
            )
        )
        if mentions:
            for _, person in _users(mentions, path="mentioned"):
                self.mention_rows.append(row)
                self.mention_key.append(person.key)
                self.mention_name.append(person.name)
        if reactions:
            for entry, person in _users(reactions, path="user"):
                reacted = entry.get("createdDateTime")
                if is_plain_time(reacted):
                    when = reacted
                else:
                    parsed = parse_time(reacted)
                    when = created if parsed is None else parsed.isoformat()
                self._reaction(row, _text(entry.get("reactionType"), limit=64) or "reaction", person.key, when)
                self.reaction_name.append(person.name)
        return True

    def _reaction(self, row: int, kind: str, key: str, when: str) -> None:
        self.reaction_rows.append(row)
        self.reaction_type.append(kind)
        self.reaction_key.append(key)
        self.reaction_ts.append(when)

    def _add_post(self, post: Post, position: int) -> None:
        row = len(self.posts)
        sender = post.sender
        when = post.ts.isoformat()
        self.posts.append(
            (
                position,
                post.conversation,
                post.is_chat,
                post.id,
                post.reply_to,
                when,
                sender.key,
                sender.name,
                sender.is_bot,
            )
        )
        for person in post.mentions:
            self.mention_rows.append(row)
            self.mention_key.append(person.key)
            self.mention_name.append(person.name)
        for kind, person, reacted in post.reactions:
            self._reaction(row, kind, person.key, reacted.isoformat())
            self.reaction_name.append(person.name)

    def build(self) -> MessageBlock:
        """The messages added so far as a block."""
        string = pa.string()
        columns = [list(map(itemgetter(index), self.posts)) for index in range(9)]  # (zip(*posts): 3x slower)
        position, conversation, is_chat, ids, reply_to, ts, sender, sender_name, sender_bot = columns
        return MessageBlock(
            outcomes=self.outcomes,
            position=np.array(position, dtype=np.int64),
            conversation=pa.array(conversation, string),
            is_chat=np.array(is_chat, dtype=bool),
            id=pa.array(ids, string),
            reply_to=pa.array(reply_to, string),
            ts=utc_times(ts),
            sender=pa.array(sender, string),
            sender_name=sender_name,
            sender_bot=np.array(sender_bot, dtype=bool),
            mention_rows=np.array(self.mention_rows, dtype=np.int64),
            mention_key=pa.array(self.mention_key, string),
            mention_name=self.mention_name,
            reaction_rows=np.array(self.reaction_rows, dtype=np.int64),
            reaction_type=pa.array(self.reaction_type, string),
            reaction_key=pa.array(self.reaction_key, string),
            reaction_name=self.reaction_name,
            reaction_ts=utc_times(self.reaction_ts),
            problems=self.problems,
        )
