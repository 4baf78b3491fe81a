"""Read the generated demo files back with the standard library only (csv, json), for raw-file checks."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo


@dataclass
class RawMessage:
    place: str
    user: str | None
    ts: float
    bot: bool
    thread_ts: str | None


@dataclass
class RawDemo:
    people: dict[str, dict[str, str]]  # email -> HR row
    email_of: dict[str, str]  # slack user id -> email
    bots: set[str]
    members: dict[str, list[str]]  # place (channel name or DM id) -> slack user ids
    general: set[str]
    messages: list[RawMessage] = field(default_factory=list)

    def team_of(self, uid: str | None) -> str | None:
        email = self.email_of.get(uid or "")
        return self.people[email]["team"] if email else None

    def uids_of_team(self, team: str) -> set[str]:
        return {uid for uid, email in self.email_of.items() if self.people[email]["team"] == team}

    def uid_of(self, email: str) -> str:
        return next(uid for uid, e in self.email_of.items() if e == email)

    def month(self, ts: float) -> str:
        return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m")

    def after_hours(self, message: RawMessage) -> bool:
        email = self.email_of[message.user or ""]
        local = datetime.fromtimestamp(message.ts, UTC).astimezone(ZoneInfo(self.people[email]["timezone"]))
        return local.weekday() >= 5 or not (8 <= local.hour < 19)


def read_hr(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["email"]: row for row in csv.DictReader(handle)}


def read_demo(root: Path) -> RawDemo:
    slack = root / "slack"
    users = json.loads((slack / "users.json").read_text())
    channels = json.loads((slack / "channels.json").read_text())
    dms = json.loads((slack / "dms.json").read_text())
    demo = RawDemo(
        people=read_hr(root / "hr.csv"),
        email_of={u["id"]: u["profile"]["email"] for u in users if not u["is_bot"]},
        bots={u["id"] for u in users if u["is_bot"]},
        members={**{c["name"]: c["members"] for c in channels}, **{d["id"]: d["members"] for d in dms}},
        general={c["name"] for c in channels if c["is_general"]},
    )
    for place in demo.members:
        for day_file in sorted((slack / place).glob("*.json")):
            date.fromisoformat(day_file.stem)
            for m in json.loads(day_file.read_text()):
                bot = m.get("subtype") == "bot_message" or "bot_id" in m or m.get("user") in demo.bots
                demo.messages.append(RawMessage(place, m.get("user"), float(m["ts"]), bot, m.get("thread_ts")))
    return demo


def monthly(counts: dict[str, int], months: list[str]) -> list[int]:
    return [counts.get(m, 0) for m in months]


def by_month(items: list[RawMessage], demo: RawDemo) -> dict[str, int]:
    result: dict[str, int] = defaultdict(int)
    for m in items:
        result[demo.month(m.ts)] += 1
    return result
