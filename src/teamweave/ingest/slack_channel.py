"""One Slack conversation's day files -> events: messages, replies, mentions, reactions (rules: slack_export)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

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


def parse_ts(value: object) -> datetime | None:
    """Slack's ``"1452845865.000008"`` as an exact UTC datetime, or None when it is not one."""
    if not isinstance(value, str):
        return None
    seconds, _, fraction = value.partition(".")
    if not seconds.isdigit() or (fraction and not fraction.isdigit()):
        return None
    stamp = datetime.fromtimestamp(int(seconds), UTC)
    return stamp.replace(microsecond=int(fraction[:6].ljust(6, "0"))) if fraction else stamp


@dataclass(frozen=True, slots=True)
class Actor:
    pseudonym: str
    by_bot: bool


@dataclass
class Thread:
    """Who started a thread and who replied so far (pseudonyms, in order)."""

    parent: str | None
    repliers: list[str] = field(default_factory=list)


def _unique_except(items: list[str | None], actor: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for p in items if p is not None and p != actor))


class ChannelReader:
    """Reads one conversation's day files in order, keeping its thread state and resolved members."""

    def __init__(self, export: SlackExport, channel: SlackChannel, ctx: ImportContext) -> None:
        self.export = export
        self.channel = channel
        self.ctx = ctx
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
        since, until = self.ctx.since, self.ctx.until
        return bool(
            (since and day < since.date() - timedelta(days=1)) or (until and day > until.date() + timedelta(days=1))
        )

    def day_file(self, name: str, day: date) -> Iterator[Interaction]:
        """The events of one day file; an unreadable file is one quarantined item."""
        if self._outside(day):
            self.ctx.skip("day file outside --since/--until (not read)")
            return
        try:
            data = orjson.loads(self.export.archive.read(name))
        except (orjson.JSONDecodeError, zipfile.BadZipFile, OSError, InputFormatError):
            self.ctx.bad(location=name, reason="unreadable day file (not valid JSON)")
            return
        if not isinstance(data, list):
            self.ctx.bad(location=name, reason="day file is not a JSON array")
            return
        for index, message in sorted(enumerate(data), key=lambda item: _order_key(item[1])):
            location = f"{name}, message {index + 1}"
            if not isinstance(message, dict):
                self.ctx.bad(location=location, reason="message is not a JSON object")
                continue
            yield from self.message(message, location)

    def message(self, m: dict[str, Any], location: str) -> Iterator[Interaction]:
        """The events one message makes (itself, its mentions, its reactions), or none with a reason."""
        raw_ts = m.get("ts")
        ts = parse_ts(raw_ts)
        subtype = m.get("subtype")
        if ts is None or not isinstance(raw_ts, str):
            self.ctx.bad(location=location, reason="missing or invalid ts", fields=sorted(m), subtype=_short(subtype))
            return
        if subtype not in INTERACTION_SUBTYPES or m.get("type", "message") != "message":
            self.ctx.skip(f"{_short(subtype)}: not an interaction")
            return
        if not self.ctx.in_window(ts):
            self.ctx.skip("outside --since/--until")
            return
        actor = self.actor(m, location, raw_ts)
        if actor is None:
            return
        yield from self._events(m, raw_ts, ts, actor)

    def _events(self, m: dict[str, Any], raw_ts: str, ts: datetime, actor: Actor) -> Iterator[Interaction]:
        mentioned = self._mentions(m.get("text"), actor.pseudonym)
        thread_ts = m.get("thread_ts") if isinstance(m.get("thread_ts"), str) else None
        thread = self._thread_id(thread_ts) if thread_ts else None
        key = f"{self.channel.id}:{raw_ts}"
        if thread_ts and thread_ts != raw_ts:
            targets, audience = self._reply_targets(m, thread_ts, actor.pseudonym)
            yield self._event(key, "reply", ts, actor, targets, audience, thread)
        else:
            targets, audience = self._channel_targets(tuple(mentioned.values()), actor.pseudonym)
            if thread_ts:
                self.threads.setdefault(thread_ts, Thread(parent=actor.pseudonym))
            yield self._event(key, "message", ts, actor, targets, audience, thread)
        for user_id, target in mentioned.items():
            yield self._event(f"{key}:mention:{user_id}", "mention", ts, actor, (target,), 1, thread)
        yield from self._reactions(m, key, ts, actor.pseudonym, thread)

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

    def _reactions(
        self, m: dict[str, Any], key: str, ts: datetime, author: str, thread: str | None
    ) -> Iterator[Interaction]:
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
                    yield self._event(
                        reaction_key, "reaction", ts, Actor(pseudonym, reactor.is_bot), (author,), 1, thread
                    )

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

    def _event(
        self,
        key: str,
        kind: str,
        ts: datetime,
        actor: Actor,
        targets: tuple[str, ...],
        audience: int,
        thread: str | None,
    ) -> Interaction:
        return Interaction(
            org=self.ctx.org,
            event_id=self.ctx.pseudonymiser.event_id(SOURCE, key),
            source=SOURCE,
            kind=kind,
            ts=ts,
            actor=actor.pseudonym,
            targets=targets,
            audience=audience,
            channel=self.channel_pseudonym,
            thread=thread,
            by_bot=actor.by_bot,
        )


def _short(subtype: object) -> str:
    return subtype[:40] if isinstance(subtype, str) else "message"


def _order_key(message: object) -> float:
    if isinstance(message, dict) and isinstance(message.get("ts"), str):
        try:
            return float(message["ts"])
        except ValueError:
            return float("inf")
    return float("inf")
