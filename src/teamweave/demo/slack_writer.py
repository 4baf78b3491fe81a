"""Turn a :class:`SlackPlan` into a real Slack export folder.

Layout (as Slack writes it): ``users.json``, ``channels.json``, ``dms.json``, and one folder per channel
(by name) or DM (by id) holding ``YYYY-MM-DD.json`` day files (UTC days) of message objects.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import orjson

from teamweave.demo.names import SENTENCE_ENDS, SENTENCE_OBJECTS, SENTENCE_STARTS
from teamweave.demo.org_chart import SITES, DemoOrg
from teamweave.demo.slack_plan import (
    AI,
    AI_BOT_ID,
    AI_NAME,
    AI_USER_ID,
    DEPLOY_BOT_ID,
    DEPLOY_BOT_NAME,
    SlackPlan,
    Stream,
)
from teamweave.demo.timeline import DAY_SECONDS, EPOCH_ORDINAL, Window, sample_times

SLACK_TEAM_ID = "T0DEMO0001"
THREAD_PROBABILITY = 0.3
MENTION_PROBABILITY = 0.12
REACTION_PROBABILITY = 0.15
DM_FOLLOW_UPS = 6.5  # a DM conversation: the opener and about this many answers, alternating
REACTIONS = ("thumbsup", "eyes", "tada", "white_check_mark", "raised_hands", "pray", "rocket", "heart")
Message = dict[str, Any]


@dataclass
class SlackStats:
    messages: int = 0
    human_messages: int = 0
    bot_messages: int = 0
    ai_messages: int = 0
    day_files: int = 0


class _Sink:
    """Collects messages per folder and hands out unique ``ts`` strings."""

    def __init__(self) -> None:
        self.by_folder: dict[str, list[tuple[int, int, Message]]] = defaultdict(list)
        self.counter = 0

    def ts(self, seconds: float) -> tuple[int, int, str]:
        self.counter += 1
        whole, micro = int(seconds), self.counter % 1_000_000
        return whole, micro, f"{whole}.{micro:06d}"

    def add(self, folder: str, whole: int, micro: int, message: Message) -> None:
        self.by_folder[folder].append((whole, micro, message))


class SlackWriter:
    def __init__(self, org: DemoOrg, window: Window, plan: SlackPlan, rng: np.random.Generator) -> None:
        self.org, self.window, self.plan, self.rng = org, window, plan, rng
        self.sink = _Sink()
        self.stats = SlackStats()
        zones = {name: i for i, name in enumerate(window.zones)}
        self.zone = np.array([zones[org.timezone(p.index)] for p in org.people])
        self.start = np.array([p.start_date.toordinal() for p in org.people])
        self.sentences = [f"{s} {o}{e}" for s in SENTENCE_STARTS for o in SENTENCE_OBJECTS for e in SENTENCE_ENDS]
        self.reply_weight = np.ones(len(org.people))
        self.reply_weight[org.phenomena.new_hire] = 0.02
        self.reply_weight[org.phenomena.bridge_person] = 2.0

    def uid(self, person: int) -> str:
        return AI_USER_ID if person == AI else self.org.people[person].slack_id

    def text(self) -> str:
        return self.sentences[int(self.rng.integers(len(self.sentences)))]

    def _starts(self, stream: Stream, after_hours: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Authors and unix times of a stream's top-level messages (or bursts), sorted by time."""
        counts = self.rng.poisson(stream.rates)
        month, column = np.nonzero(counts)
        repeat = counts[month, column]
        month, column = np.repeat(month, repeat), np.repeat(column, repeat)
        authors = stream.posters[column]
        lo = np.maximum(self.window.month_first[month], self.start[authors])
        place = self.plan.places[stream.place]
        if place.is_dm:  # a conversation starts once everyone in it has joined the company
            lo = np.maximum(lo, max(int(self.start[m]) for m in place.members if m != AI))
        hi = self.window.month_last[month]
        if stream.until is not None:
            hi = np.minimum(hi, stream.until)
        keep = lo <= hi
        authors, month, lo, hi = authors[keep], month[keep], lo[keep], hi[keep]
        ts = sample_times(
            self.rng, self.window, lo=lo, hi=hi, zone=self.zone[authors], after_hours=after_hours[authors, month]
        )
        order = np.argsort(ts, kind="stable")
        return authors[order], ts[order]

    def write_stream(self, stream: Stream, after_hours: np.ndarray) -> None:
        place = self.plan.places[stream.place]
        authors, ts = self._starts(stream, after_hours)
        if stream.ai_replies:
            self._ai_dm(place.folder, authors, ts)
        elif place.is_dm:
            self._dm(place.folder, place.members, authors, ts)
        else:
            self._channel(place.folder, np.array(place.members), authors, ts)

    def _plain(self, folder: str, author: int, seconds: float, text: str | None = None) -> Message:
        whole, micro, ts = self.sink.ts(seconds)
        message: Message = {"type": "message", "user": self.uid(author), "text": text or self.text(), "ts": ts}
        if author == AI:
            message["bot_id"] = AI_BOT_ID
            self.stats.ai_messages += 1
        else:
            self.stats.human_messages += 1
        self.sink.add(folder, whole, micro, message)
        return message

    def _ai_dm(self, folder: str, authors: np.ndarray, ts: np.ndarray) -> None:
        for author, seconds in zip(authors.tolist(), ts.tolist(), strict=True):
            exchanges = 1 + int(self.rng.poisson(0.8))
            for _ in range(exchanges):
                self._plain(folder, author, seconds)
                self._plain(folder, AI, seconds + float(self.rng.uniform(6.0, 40.0)))
                seconds += 60.0 + float(self.rng.exponential(150.0))

    def _dm(self, folder: str, members: list[int], authors: np.ndarray, ts: np.ndarray) -> None:
        a, b = members
        for author, seconds in zip(authors.tolist(), ts.tolist(), strict=True):
            self._plain(folder, author, seconds)
            speaker = b if author == a else a
            for _ in range(int(self.rng.poisson(DM_FOLLOW_UPS))):
                seconds += 5.0 + float(self.rng.exponential(240.0))
                self._plain(folder, speaker, seconds)
                speaker = b if speaker == a else a

    def _channel(self, folder: str, members: np.ndarray, authors: np.ndarray, ts: np.ndarray) -> None:
        n = len(authors)
        zone = self.zone[members]
        base = self.reply_weight[members]
        weights = np.stack([base * np.where(zone == z, 4.0, 1.0) for z in range(len(self.window.zones))])
        cumulative = np.cumsum(weights, axis=1)
        cumulative /= cumulative[:, -1:]
        mention_pool = members[base > 0.5]
        replies = np.where(self.rng.random(n) < THREAD_PROBABILITY, 1 + np.minimum(self.rng.poisson(1.0, n), 5), 0)
        for i, (author, seconds) in enumerate(zip(authors.tolist(), ts.tolist(), strict=True)):
            parent = self._channel_message(folder, author, seconds, mention_pool)
            if replies[i]:
                self._thread(folder, parent, author, seconds, members, cumulative[self.zone[author]], int(replies[i]))

    def _channel_message(
        self, folder: str, author: int, seconds: float, mention_pool: np.ndarray, thread_ts: str | None = None
    ) -> Message:
        text = None
        if self.rng.random() < MENTION_PROBABILITY and len(mention_pool) > 1:
            target = int(mention_pool[int(self.rng.integers(len(mention_pool)))])
            if target != author:
                text = f"<@{self.uid(target)}> {self.text()}"
        message = self._plain(folder, author, seconds, text)
        if thread_ts is not None:
            message["thread_ts"] = thread_ts
        if self.rng.random() < REACTION_PROBABILITY:
            picks = {int(m) for m in self.rng.choice(mention_pool, size=min(3, len(mention_pool)))} - {author}
            if picks:
                users = [self.uid(p) for p in sorted(picks)]
                name = REACTIONS[int(self.rng.integers(len(REACTIONS)))]
                message["reactions"] = [{"name": name, "users": users, "count": len(users)}]
        return message

    def _thread(
        self,
        folder: str,
        parent: Message,
        author: int,
        seconds: float,
        members: np.ndarray,
        cumulative: np.ndarray,
        count: int,
    ) -> None:
        picks = np.searchsorted(cumulative, self.rng.random(count), side="right")
        picks = np.minimum(picks, len(members) - 1)
        repliers = [
            int(members[p]) if int(members[p]) != author else int(members[(p + 1) % len(members)]) for p in picks
        ]
        thread_ts = str(parent["ts"])
        parent["thread_ts"] = thread_ts
        mention_pool = np.array([author])
        replies: list[Message] = []
        for replier in repliers:
            seconds += 2.0 + min(float(self.rng.exponential(1200.0)), 5400.0)
            reply = self._channel_message(folder, replier, seconds, mention_pool, thread_ts=thread_ts)
            reply["parent_user_id"] = parent["user"]
            replies.append(reply)
        users = sorted({str(r["user"]) for r in replies})
        parent.update(
            reply_count=len(replies),
            reply_users_count=len(users),
            reply_users=users,
            latest_reply=replies[-1]["ts"],
            replies=[{"user": r["user"], "ts": r["ts"]} for r in replies],
        )

    def write_bot_posts(self) -> None:
        for place, monthly in self.plan.bot_posts:
            folder = self.plan.places[place].folder
            counts = self.rng.poisson(monthly)
            for month, count in enumerate(counts.tolist()):
                first = (int(self.window.month_first[month]) - EPOCH_ORDINAL) * DAY_SECONDS
                last = (int(self.window.month_last[month]) - EPOCH_ORDINAL + 1) * DAY_SECONDS
                for seconds in np.sort(self.rng.uniform(first, last, count)).tolist():
                    whole, micro, ts = self.sink.ts(seconds)
                    message: Message = {
                        "type": "message",
                        "subtype": "bot_message",
                        "bot_id": DEPLOY_BOT_ID,
                        "username": DEPLOY_BOT_NAME,
                        "text": f"deployed build {self.sink.counter} to staging",
                        "ts": ts,
                    }
                    self.sink.add(folder, whole, micro, message)
                    self.stats.bot_messages += 1

    def write_files(self, root: Path) -> None:
        created = int(datetime.combine(self.window.start, datetime.min.time(), tzinfo=UTC).timestamp()) - 30 * 86400
        _dump(root / "users.json", self._users())
        channels = [p for p in self.plan.places if not p.is_dm]
        dms = [p for p in self.plan.places if p.is_dm]
        _dump(
            root / "channels.json",
            [self._channel_json(p.id, p.name, p.members, p.creator, created, p.is_general) for p in channels],
        )
        _dump(
            root / "dms.json",
            [{"id": p.id, "created": created, "members": [self.uid(m) for m in p.members]} for p in dms],
        )
        for folder, rows in self.sink.by_folder.items():
            rows.sort(key=lambda row: (row[0], row[1]))
            by_day: dict[int, list[Message]] = defaultdict(list)
            for whole, _, message in rows:
                by_day[whole // DAY_SECONDS].append(message)
            directory = root / folder
            directory.mkdir(parents=True, exist_ok=True)
            for day, messages in by_day.items():
                name = date.fromordinal(day + EPOCH_ORDINAL).isoformat()
                (directory / f"{name}.json").write_bytes(orjson.dumps(messages, option=orjson.OPT_INDENT_2))
                self.stats.day_files += 1
        self.stats.messages = self.stats.human_messages + self.stats.ai_messages + self.stats.bot_messages

    def _channel_json(
        self, cid: str, name: str, members: list[int], creator: int, created: int, general: bool
    ) -> dict[str, Any]:
        empty = {"value": "", "creator": "", "last_set": 0}
        return {
            "id": cid,
            "name": name,
            "created": created,
            "creator": self.uid(creator),
            "is_archived": False,
            "is_general": general,
            "members": [self.uid(m) for m in members],
            "topic": empty,
            "purpose": empty,
        }

    def _users(self) -> list[dict[str, Any]]:
        noon = datetime.combine(self.window.end, datetime.min.time()).replace(hour=12)
        users = []
        for p in self.org.people:
            tz = SITES[p.site][1]
            offset = noon.replace(tzinfo=ZoneInfo(tz)).utcoffset()
            first, _, last = p.name.partition(" ")
            users.append(
                {
                    "id": p.slack_id,
                    "team_id": SLACK_TEAM_ID,
                    "name": p.local_part.replace(".", "_"),
                    "deleted": False,
                    "real_name": p.name,
                    "tz": tz,
                    "tz_offset": int(offset.total_seconds()) if offset else 0,
                    "is_admin": False,
                    "is_bot": False,
                    "profile": {
                        "real_name": p.name,
                        "display_name": first,
                        "first_name": first,
                        "last_name": last,
                        "email": p.email,
                    },
                }
            )
        users.append(
            {
                "id": AI_USER_ID,
                "team_id": SLACK_TEAM_ID,
                "name": AI_NAME,
                "deleted": False,
                "real_name": "Aria (AI assistant)",
                "is_bot": True,
                "is_app_user": False,
                "profile": {"real_name": "Aria (AI assistant)", "display_name": AI_NAME, "bot_id": AI_BOT_ID},
            }
        )
        return users


def _dump(path: Path, value: object) -> None:
    path.write_bytes(orjson.dumps(value, option=orjson.OPT_INDENT_2))


def write_slack_export(
    org: DemoOrg, window: Window, plan: SlackPlan, after_hours: np.ndarray, root: Path, rng: np.random.Generator
) -> SlackStats:
    """Write the export under ``root`` (created) and return what was written."""
    root.mkdir(parents=True, exist_ok=True)
    writer = SlackWriter(org, window, plan, rng)
    for stream in plan.streams:
        writer.write_stream(stream, after_hours)
    writer.write_bot_posts()
    writer.write_files(root)
    return writer.stats
