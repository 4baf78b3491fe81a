"""``manifest.json``: what the generator wrote and who carries each planted phenomenon.

The generator writes it last, so its presence means the generation completed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class PlantedPhenomena:
    """E-mails and team names of who carries each phenomenon (see ISSUE4 "The demo organisation")."""

    new_hire: str
    new_hire_team: str
    siloed_team: str
    bridge_person: str
    bridge_team: str
    after_hours_creep_team: str
    bot_team: str
    small_team: str
    mixed_site_team: str


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    email: str | None
    why: str


@dataclass(frozen=True)
class DemoManifest:
    seed: int
    start: date
    end: date
    months: int
    people: int
    teams: int
    sites: dict[str, str]
    slack_messages: int
    slack_human_messages: int
    slack_bot_messages: int
    slack_ai_messages: int
    slack_day_files: int
    slack_channels: int
    slack_dms: int
    calendar_files: int
    calendar_series: int
    phenomena: PlantedPhenomena
    logins: list[DemoLogin]
    ai_assistant_slack_id: str
    hr_csv: str = "hr.csv"
    slack_dir: str = "slack"
    calendars_dir: str = "calendars"
    version: int = MANIFEST_VERSION
    seconds: float = field(default=0.0, compare=False)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["start"] = self.start.isoformat()
        data["end"] = self.end.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DemoManifest:
        values = dict(data)
        values["start"] = date.fromisoformat(values["start"])
        values["end"] = date.fromisoformat(values["end"])
        values["phenomena"] = PlantedPhenomena(**values["phenomena"])
        values["logins"] = [DemoLogin(**login) for login in values["logins"]]
        return cls(**values)

    def write(self, directory: Path) -> Path:
        path = directory / MANIFEST_NAME
        tmp = directory / f".{MANIFEST_NAME}.tmp"
        tmp.write_text(json.dumps(self.to_json(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
        tmp.replace(path)
        return path


def read_manifest(directory: Path) -> DemoManifest | None:
    """The manifest in ``directory``, or None when there is none (or it is from another version)."""
    path = directory / MANIFEST_NAME
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("version") != MANIFEST_VERSION:
        return None
    return DemoManifest.from_json(data)
