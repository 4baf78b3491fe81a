"""Slack workspace exports (zip or folder) -> interaction events (metadata only).

Layout read: ``users.json``, ``channels.json`` and, when present, ``groups.json`` (private channels),
``mpims.json`` (group DMs), ``dms.json`` (DMs), plus ``<channel>/<YYYY-MM-DD>.json`` day files, read one at a
time, channel by channel in date order. Message text is read only to find ``<@U…>`` mentions and is never kept.
The pipeline reads :meth:`SlackExport.event_tables` (blocks of events as Arrow columns, :mod:`slack_tables`);
:meth:`SlackExport.interactions` (records) is the reference it is tested against: both apply the same rules.

Rules (docs/connectors.md explains them):

- a top-level message (also ``file_share``, ``file_comment``, ``me_message``, ``bot_message``) is a
  ``message``; in a channel of at most :data:`SMALL_CHANNEL` members its targets are the other members
  (audience = their number); in a larger channel its targets are the users it mentions and its audience is the
  number of other members;
- a message whose ``thread_ts`` differs from its ``ts`` is a ``reply``: it targets the thread's parent author
  and the thread's earlier repliers (audience = their number);
- each user mentioned (other than the author) gets a separate ``mention`` event (audience 1);
- each user in a message's ``reactions`` gets a ``reaction`` event targeting the message's author;
- bot messages (subtype ``bot_message``, a ``bot_id``, or an ``is_bot`` user) have ``by_bot=True`` and the
  bot's identity as actor; joins, leaves, topic changes and other notices are skipped with a counted reason.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa

from teamweave.errors import InputFormatError
from teamweave.ingest.context import ImportContext
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.records import Interaction
from teamweave.ingest.slack_archive import SlackArchive
from teamweave.ingest.slack_channel import ChannelReader, EventSink, RecordSink
from teamweave.ingest.slack_tables import event_tables

DAY_FILE = re.compile(r"^([^/]+)/(\d{4}-\d{2}-\d{2})\.json$")


@dataclass(frozen=True, slots=True)
class SlackUser:
    id: str
    name: str
    email: str | None
    is_bot: bool
    bot_id: str | None = None


@dataclass(frozen=True, slots=True)
class SlackChannel:
    """A conversation; ``members`` is None when no list names it (membership unknown)."""

    id: str
    folder: str
    members: tuple[str, ...] | None


def _load_list(archive: SlackArchive, name: str, *, required: bool) -> list[dict[str, Any]]:
    if not archive.has(name):
        if required:
            raise InputFormatError(f"not a Slack export: {name} is missing", file=archive.path.name)
        return []
    try:
        data = orjson.loads(archive.read(name))
    except (orjson.JSONDecodeError, zipfile.BadZipFile, OSError) as exc:
        raise InputFormatError("not valid JSON", file=name) from exc
    if not isinstance(data, list):
        raise InputFormatError("expected a JSON array", file=name)
    return [item for item in data if isinstance(item, dict) and isinstance(item.get("id"), str)]


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _user(raw: dict[str, Any]) -> SlackUser:
    profile: dict[str, Any] = raw["profile"] if isinstance(raw.get("profile"), dict) else {}
    email = _text(profile.get("email"))
    return SlackUser(
        id=raw["id"],
        name=str(raw.get("name") or raw["id"])[:80],
        email=email if email and "@" in email else None,
        is_bot=bool(raw.get("is_bot")) or raw["id"] == "USLACKBOT",
        bot_id=_text(profile.get("bot_id")),
    )


class SlackExport:
    """An opened Slack export: users and conversations parsed, day files listed. Use :meth:`open`."""

    def __init__(self, archive: SlackArchive, users: dict[str, SlackUser], team_id: str) -> None:
        self.archive = archive
        self.users = users
        self.team_id = team_id
        self.channels: dict[str, SlackChannel] = {}
        self.pseudonyms: dict[str, str] = {}
        self.bot_users: dict[str, str] = {u.bot_id: u.id for u in users.values() if u.bot_id and u.is_bot}
        self.day_files: list[str] = sorted(n for n in archive.names if DAY_FILE.match(n))

    @classmethod
    def open(cls, path: Path, **limits: int) -> SlackExport:
        """Open and check an export; InputFormatError (nothing read further) when it is not one."""
        archive = SlackArchive(path, **limits)
        try:
            raw_users = _load_list(archive, "users.json", required=True)
            export = cls(archive, {u["id"]: _user(u) for u in raw_users}, _team_id(raw_users))
            for name in ("channels.json", "groups.json", "mpims.json", "dms.json"):
                for raw in _load_list(archive, name, required=name == "channels.json"):
                    export._add_channel(raw, by_id=name == "dms.json")
        except BaseException:
            archive.close()
            raise
        return export

    def _add_channel(self, raw: dict[str, Any], *, by_id: bool) -> None:
        members = raw.get("members")
        folder = raw["id"] if by_id else str(raw.get("name") or raw["id"])
        listed = tuple(m for m in members if isinstance(m, str)) if isinstance(members, list) else None
        self.channels[folder] = SlackChannel(id=raw["id"], folder=folder, members=listed)

    def close(self) -> None:
        self.archive.close()

    def channel_of(self, folder: str) -> SlackChannel:
        return self.channels.get(folder) or SlackChannel(id=folder, folder=folder, members=None)

    def user_pseudonym(self, ctx: ImportContext, user_id: str) -> str | None:
        """The pseudonym of a user in users.json (cached per id), None for an unknown id."""
        cached = self.pseudonyms.get(user_id)
        if cached is not None:
            return cached
        user = self.users.get(user_id)
        if user is None:
            return None
        label = f"@{user.name} (Slack {user.id}{', bot' if user.is_bot else ''})"
        identity = SourceIdentity(raw_id=f"{self.team_id}:{user.id}", label=label, email=user.email, is_bot=user.is_bot)
        pseudonym = self.pseudonyms[user_id] = ctx.identities.pseudonym(identity)
        return pseudonym

    def bot_pseudonym(self, ctx: ImportContext, bot_key: str, name: object) -> str:
        shown = name if isinstance(name, str) and name else bot_key
        label = f"bot {shown[:80]} (Slack {bot_key})"
        return ctx.identities.pseudonym(SourceIdentity(raw_id=f"{self.team_id}:{bot_key}", label=label, is_bot=True))

    def interactions(self, ctx: ImportContext) -> Iterator[Interaction]:
        """Every interaction of the export, channel by channel in date order; bad records go to ``ctx``."""
        sink = RecordSink(ctx)
        for _ in self.read_day_files(ctx, sink):
            yield from sink.take()

    def event_tables(self, ctx: ImportContext) -> Iterator[pa.Table]:
        """The events of :meth:`interactions`, in its order and with its effects on ``ctx``, as tables of
        :data:`~teamweave.store.events.EVENT_SCHEMA` (a block of day files each, :mod:`slack_tables`)."""
        return event_tables(self, ctx)

    def read_day_files(
        self, ctx: ImportContext, sink: EventSink, *, reader_type: type[ChannelReader] = ChannelReader
    ) -> Iterator[str]:
        """Read the day files in order, each message's events to ``sink`` (a ``reader_type`` a conversation);
        yields each file's name once read."""
        ctx.progress.start("Reading Slack export", total=len(self.day_files))
        reader: ChannelReader | None = None
        for name in self.day_files:
            folder, day = name.split("/", 1)
            if reader is None or reader.channel.folder != folder:
                reader = reader_type(self, self.channel_of(folder), ctx, sink)
            reader.day_file(name, date.fromisoformat(day.removesuffix(".json")))
            ctx.progress.advance()
            yield name
        ctx.progress.finish()


def _team_id(raw_users: list[dict[str, Any]]) -> str:
    for raw in raw_users:
        team = raw.get("team_id")
        if isinstance(team, str) and team:
            return team
    return "T"
