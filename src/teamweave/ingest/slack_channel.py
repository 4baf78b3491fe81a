"""One Slack conversation's day files -> events: messages, replies, mentions, reactions (rules: slack_export).

A :class:`ChannelReader` applies the rules message by message and hands each event to an :class:`EventSink`:
:class:`RecordSink` makes :class:`~teamweave.ingest.records.Interaction` records (the record path, the
reference), :class:`~teamweave.ingest.slack_tables.ColumnSink` appends to a block's columns (the table path,
whose :class:`~teamweave.ingest.slack_tables.ColumnReader` takes a shortcut through these rules for plain
messages). tests/ingest/test_slack_tables.py checks that both make the same events, errors, skips and identities.
Times travel as integer microseconds since the epoch (:func:`ts_micros`), exactly what :func:`parse_ts` reads.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, Protocol

import orjson

from teamweave.errors import InputFormatError
from teamweave.ingest.context import ImportContext
from teamweave.ingest.records import Interaction

if TYPE_CHECKING:
    from teamweave.ingest.slack_export import SlackChannel, SlackExport

SOURCE: Final = "slack"
SMALL_CHANNEL: Final = 50
INTERACTION_SUBTYPES: Final = frozenset(
    {None, "bot_message", "file_share", "file_comment", "me_message", "thread_broadcast", "reply_broadcast"}
)
MENTION: Final = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
PLAIN_TS: Final = re.compile(r"([0-9]{1,11})(?:\.([0-9]{0,6})[0-9]*)?")
"""A ``ts`` of ASCII digits whose seconds cannot leave datetime's range; anything else goes to parse_ts."""


def parse_ts(value: object) -> datetime | None:
    """Slack's ``"1452845865.000008"`` as an exact UTC datetime, or None when it is not one."""
    if not isinstance(value, str):
        return None
    seconds, _, fraction = value.partition(".")
    if not seconds.isdigit() or (fraction and not fraction.isdigit()):
        return None
    stamp = datetime.fromtimestamp(int(seconds), UTC)
    return stamp.replace(microsecond=int(fraction[:6].ljust(6, "0"))) if fraction else stamp


def micros(stamp: datetime) -> int:
    """An aware datetime as integer microseconds since the epoch."""
    return (stamp - EPOCH) // timedelta(microseconds=1)


def ts_micros(value: object) -> int | None:
    """:func:`parse_ts` as integer microseconds since the epoch (None when it is not a ts), without making a
    datetime for the usual ``"1452845865.000008"``."""
    if not isinstance(value, str):
        return None
    plain = PLAIN_TS.fullmatch(value)
    if plain is None:
        stamp = parse_ts(value)
        return None if stamp is None else micros(stamp)
    seconds, fraction = plain.groups()
    return int(seconds) * 1_000_000 + (int(fraction.ljust(6, "0")) if fraction else 0)


@dataclass(frozen=True, slots=True)
class Actor:
    pseudonym: str
    by_bot: bool


@dataclass
class Thread:
    """Who started a thread and who replied so far (pseudonyms, in order)."""

    parent: str | None
    repliers: list[str] = field(default_factory=list)


class EventSink(Protocol):
    """Where a :class:`ChannelReader` puts each event it makes (``key``: the source event id; ``ts``: µs)."""

    def add(
        self,
        key: str,
        kind: str,
        ts: int,
        actor: Actor,
        targets: tuple[str, ...],
        audience: int,
        channel: str,
        thread: str | None,
    ) -> None: ...


class RecordSink:
    """Events as :class:`~teamweave.ingest.records.Interaction` records, each with its keyed id (record path)."""

    def __init__(self, ctx: ImportContext) -> None:
        self.ctx = ctx
        self.records: list[Interaction] = []

    def add(
        self,
        key: str,
        kind: str,
        ts: int,
        actor: Actor,
        targets: tuple[str, ...],
        audience: int,
        channel: str,
        thread: str | None,
    ) -> None:
        self.records.append(
            Interaction(
                org=self.ctx.org,
                event_id=self.ctx.pseudonymiser.event_id(SOURCE, key),
                source=SOURCE,
                kind=kind,
                ts=EPOCH + timedelta(microseconds=ts),
                actor=actor.pseudonym,
                targets=targets,
                audience=audience,
                channel=channel,
                thread=thread,
                by_bot=actor.by_bot,
            )
        )

    def take(self) -> list[Interaction]:
        """The records made since the last take."""
        records, self.records = self.records, []
        return records


def _unique_except(items: list[str | None], actor: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for p in items if p is not None and p != actor))


class ChannelReader:
    """Reads one conversation's day files in order, keeping its thread state and resolved members."""

    def __init__(self, export: SlackExport, channel: SlackChannel, ctx: ImportContext, sink: EventSink) -> None:
        self.export = export
        self.channel = channel
        self.ctx = ctx
        self.sink = sink
        self._since = None if ctx.since is None else micros(ctx.since)
        self._until = None if ctx.until is None else micros(ctx.until)
        self.channel_pseudonym = ctx.pseudonymiser.channel(SOURCE, channel.id)
        self.threads: dict[str, Thread] = {}
        self.members: tuple[str, ...] | None = None
        if channel.members is not None:
            resolved = (self.person(m) for m in channel.members)
            self.members = tuple(dict.fromkeys(p for p in resolved if p is not None))
        self._others: dict[str, tuple[str, ...]] = {}
        self._thread_ids: dict[str, str] = {}

    def person(self, user_id: object) -> str | None:
        """A user's pseudonym; None (and noted) when users.json does not know them."""
        if not isinstance(user_id, str):
            return None
        pseudonym = self.export.user_pseudonym(self.ctx, user_id)
        if pseudonym is None:
            self.ctx.unknown_targets.add(user_id)
        return pseudonym

    def _outside(self, day: date) -> bool:
        return outside_window(self.ctx, day)

    def day_file(self, name: str, day: date) -> None:
        """The events of one day file, to the sink; an unreadable file is one quarantined item."""
        data = self.load(name, day)
        if data is not None:
            self.messages(name, data)

    def load(self, name: str, day: date) -> list[Any] | None:
        """A day file's messages, or None when it is outside the window (skipped) or unreadable (quarantined)."""
        if self._outside(day):
            self.ctx.skip("day file outside --since/--until (not read)")
            return None
        try:
            data = orjson.loads(self.read_bytes(name))
        except (orjson.JSONDecodeError, zipfile.BadZipFile, OSError, InputFormatError):
            self.ctx.bad(location=name, reason="unreadable day file (not valid JSON)")
            return None
        if not isinstance(data, list):
            self.ctx.bad(location=name, reason="day file is not a JSON array")
            return None
        return data

    def read_bytes(self, name: str) -> bytes:
        """A day file's bytes (:meth:`~teamweave.ingest.slack_archive.SlackArchive.read`)."""
        return self.export.archive.read(name)

    def messages(self, name: str, data: list[Any]) -> None:
        """A day file's messages in ``ts`` order (as read when equal or unreadable), each to :meth:`message`."""
        for index, message in sorted(enumerate(data), key=lambda item: order_key(item[1])):
            location = f"{name}, message {index + 1}"
            if not isinstance(message, dict):
                self.ctx.bad(location=location, reason="message is not a JSON object")
                continue
            self.message(message, location)

    def message(self, m: dict[str, Any], location: str) -> None:
        """The events one message makes (itself, its mentions, its reactions), or none with a reason."""
        raw_ts = m.get("ts")
        ts = ts_micros(raw_ts)
        subtype = m.get("subtype")
        if ts is None or not isinstance(raw_ts, str):
            self.ctx.bad(location=location, reason="missing or invalid ts", fields=sorted(m), subtype=_short(subtype))
            return
        kept = isinstance(subtype, str | None) and subtype in INTERACTION_SUBTYPES  # a list: not hashable
        if not kept or m.get("type", "message") != "message":
            self.ctx.skip(f"{_short(subtype)}: not an interaction")
            return
        if (self._since is not None and ts < self._since) or (self._until is not None and ts >= self._until):
            self.ctx.skip("outside --since/--until")
            return
        actor = self.actor(m, location, raw_ts)
        if actor is None:
            return
        self._events(m, raw_ts, ts, actor)

    def _events(self, m: dict[str, Any], raw_ts: str, ts: int, actor: Actor) -> None:
        mentioned = self._mentions(m.get("text"), actor.pseudonym)
        thread_ts = m.get("thread_ts") if isinstance(m.get("thread_ts"), str) else None
        thread = self._thread_id(thread_ts) if thread_ts else None
        key = f"{self.channel.id}:{raw_ts}"
        if thread_ts and thread_ts != raw_ts:
            targets, audience = self._reply_targets(m, thread_ts, actor.pseudonym)
            self.sink.add(key, "reply", ts, actor, targets, audience, self.channel_pseudonym, thread)
        else:
            targets, audience = self._channel_targets(tuple(mentioned.values()), actor.pseudonym)
            if thread_ts:
                self.threads.setdefault(thread_ts, Thread(parent=actor.pseudonym))
            self.sink.add(key, "message", ts, actor, targets, audience, self.channel_pseudonym, thread)
        for user_id, target in mentioned.items():
            mention_key = f"{key}:mention:{user_id}"
            self.sink.add(mention_key, "mention", ts, actor, (target,), 1, self.channel_pseudonym, thread)
        self._reactions(m, key, ts, actor.pseudonym, thread)

    def _mentions(self, text: object, actor: str) -> dict[str, str]:
        """Users the text mentions (raw id -> pseudonym), without the author; the text itself is dropped."""
        if not isinstance(text, str) or "<@" not in text:
            return {}
        found: dict[str, str] = {}
        for user_id in MENTION.findall(text):
            pseudonym = self.person(user_id)
            if pseudonym is not None and pseudonym != actor:
                found.setdefault(user_id, pseudonym)
        return found

    def _thread_id(self, thread_ts: str) -> str:
        thread = self._thread_ids.get(thread_ts)
        if thread is None:
            thread = self._thread_ids[thread_ts] = self.ctx.pseudonymiser.channel(
                SOURCE, f"{self.channel.id}:{thread_ts}"
            )
        return thread

    def _channel_targets(self, mentioned: tuple[str, ...], actor: str) -> tuple[tuple[str, ...], int]:
        """Small conversations: every other member; large ones: the mentioned. Audience: other members."""
        if self.members is None:
            return mentioned, len(mentioned)
        others = self._others.get(actor)
        if others is None:
            others = self._others[actor] = tuple(p for p in self.members if p != actor)
        if len(self.members) <= SMALL_CHANNEL:
            return others, len(others)
        return mentioned, len(others)

    def _reply_targets(self, m: dict[str, Any], thread_ts: str, actor: str) -> tuple[tuple[str, ...], int]:
        thread = self.threads.get(thread_ts)
        if thread is None:
            thread = self.threads[thread_ts] = Thread(parent=self.person(m.get("parent_user_id")))
        targets = _unique_except([thread.parent, *thread.repliers], actor)
        thread.repliers.append(actor)
        return targets, len(targets)

    def _reactions(self, m: dict[str, Any], key: str, ts: int, author: str, thread: str | None) -> None:
        reactions = m.get("reactions")
        for reaction in reactions if isinstance(reactions, list) else []:
            if not isinstance(reaction, dict) or not isinstance(reaction.get("users"), list):
                continue
            for user_id in reaction["users"]:
                reactor = self.export.users.get(user_id) if isinstance(user_id, str) else None
                pseudonym = self.person(user_id) if reactor is not None else None
                if reactor is None or pseudonym is None:
                    self.ctx.skip("reaction by a user not in users.json")
                elif pseudonym == author:
                    self.ctx.skip("reaction to one's own message")
                else:
                    reaction_key = f"{key}:reaction:{reaction.get('name')}:{user_id}"
                    reactor_actor = Actor(pseudonym, reactor.is_bot)
                    channel = self.channel_pseudonym
                    self.sink.add(reaction_key, "reaction", ts, reactor_actor, (author,), 1, channel, thread)

    def actor(self, m: dict[str, Any], location: str, raw_ts: str) -> Actor | None:
        """Who posted (None, quarantined, when unknown).

        Bot messages: the ``is_bot`` user who posted, else the bot user whose profile names the ``bot_id``, else
        an identity for the ``bot_id`` itself.
        """
        subtype = m.get("subtype")
        user_id = m.get("user")
        if subtype == "file_comment" and isinstance(m.get("comment"), dict):
            user_id = m["comment"].get("user", user_id)
        user = self.export.users.get(user_id) if isinstance(user_id, str) else None
        bot_id = m.get("bot_id")
        if (user is None or not user.is_bot) and isinstance(bot_id, str) and bot_id:
            bot_user = self.export.bot_users.get(bot_id)
            if bot_user is None:
                profile = m.get("bot_profile")
                name = profile.get("name") if isinstance(profile, dict) else None
                return Actor(self.export.bot_pseudonym(self.ctx, bot_id, m.get("username") or name), True)
            user = self.export.users[bot_user]
        if user is not None:
            pseudonym = self.person(user.id)
            assert pseudonym is not None
            return Actor(pseudonym, user.is_bot or subtype == "bot_message" or bool(bot_id))
        if subtype == "bot_message" and isinstance(m.get("username"), str) and m["username"]:
            key = f"bot-username:{m['username'][:80]}"
            return Actor(self.export.bot_pseudonym(self.ctx, key, m["username"]), True)
        reason = "message without a user" if user_id is None else "user not in users.json"
        self.ctx.bad(location=location, reason=reason, fields=sorted(m), subtype=_short(subtype), ts=raw_ts)
        return None


def outside_window(ctx: ImportContext, day: date) -> bool:
    """Whether a day file's events all fall outside ``--since``/``--until`` (a day's margin for time zones)."""
    since, until = ctx.since, ctx.until
    return bool(
        (since and day < since.date() - timedelta(days=1)) or (until and day > until.date() + timedelta(days=1))
    )


def _short(subtype: object) -> str:
    return subtype[:40] if isinstance(subtype, str) else "message"


def order_key(message: object) -> float:
    if isinstance(message, dict) and isinstance(message.get("ts"), str):
        try:
            return float(message["ts"])
        except ValueError:
            return float("inf")
    return float("inf")
