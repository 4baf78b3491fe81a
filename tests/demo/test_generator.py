"""The generator: deterministic, big enough, fast enough, and writing files the standard library can read."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar
from tests.demo.raw_export import RawDemo

from teamweave.demo.generator import generate
from teamweave.demo.manifest import DemoManifest, read_manifest

MAX_SECONDS = 30.0


def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != "manifest.json"):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    end = date(2026, 3, 15)
    first = generate(tmp_path / "a", seed=11, end=end, people=140, teams=12)
    second = generate(tmp_path / "b", seed=11, end=end, people=140, teams=12)
    generate(tmp_path / "c", seed=12, end=end, people=140, teams=12)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")
    assert first == second  # the manifest's timing is not compared


def test_regenerating_into_the_same_folder_replaces_the_files(tmp_path: Path) -> None:
    end = date(2026, 3, 15)
    generate(tmp_path, seed=3, end=end, people=140, teams=12)
    before = _digest(tmp_path)
    manifest = generate(tmp_path, seed=3, end=end, people=140, teams=12)
    assert _digest(tmp_path) == before
    assert read_manifest(tmp_path) == manifest


def test_default_size_and_time(generated: tuple[DemoManifest, float, float], demo_dir: Path) -> None:
    """Under 30 s of work. CPU time is asserted: wall time also counts whatever else the machine runs."""
    manifest, seconds, cpu_seconds = generated
    print(  # noqa: T201
        f"demo generation: {seconds:.1f} s wall, {cpu_seconds:.1f} s CPU, {manifest.slack_messages} Slack messages, "
        f"{manifest.slack_day_files} day files, {manifest.calendar_series} calendar series"
    )
    assert cpu_seconds < MAX_SECONDS
    assert manifest.people >= 300
    assert manifest.teams >= 25
    assert len(set(manifest.sites.values())) == 3
    assert 150_000 <= manifest.slack_messages <= 300_000
    assert manifest.months == 12
    assert (manifest.end - manifest.start).days >= 330
    assert read_manifest(demo_dir) == manifest


def test_hr_csv_parses_with_the_standard_library(demo_dir: Path, manifest: DemoManifest) -> None:
    with (demo_dir / "hr.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == [
        "email",
        "name",
        "team",
        "manager_email",
        "site",
        "timezone",
        "start_date",
        "birthday",
        "birthday_opt_in",
    ]
    assert len(rows) == manifest.people
    emails = {r["email"] for r in rows}
    assert len(emails) == len(rows)
    assert all(r["email"].endswith("@demo.teamweave.test") for r in rows)
    assert sum(1 for r in rows if not r["manager_email"]) == 1
    assert all(r["manager_email"] in emails for r in rows if r["manager_email"])
    sizes: dict[str, int] = {}
    for r in rows:
        sizes[r["team"]] = sizes.get(r["team"], 0) + 1
        date.fromisoformat(r["start_date"])
    assert len(sizes) == manifest.teams
    assert sizes[manifest.phenomena.small_team] in (3, 4)
    assert {r["timezone"] for r in rows} == {"Europe/Berlin", "America/New_York", "Asia/Kolkata"}
    managers = {r["manager_email"] for r in rows}
    directors = {r["email"] for r in rows if r["email"] in managers and r["team"] == "Engineering Leadership"}
    assert len(directors) >= 3
    mixed = [r["site"] for r in rows if r["team"] == manifest.phenomena.mixed_site_team]
    assert len(mixed) >= 5
    assert 0 < min(mixed.count(site) for site in set(mixed)) < 5


def test_slack_export_has_the_real_layout(demo_dir: Path, raw: RawDemo, manifest: DemoManifest) -> None:
    slack = demo_dir / "slack"
    users = json.loads((slack / "users.json").read_text())
    assert {"id", "team_id", "name", "real_name", "is_bot", "profile"} <= set(users[0])
    assert [u["id"] for u in users if u["is_bot"]] == [manifest.ai_assistant_slack_id]
    channels = json.loads((slack / "channels.json").read_text())
    assert all({"id", "name", "created", "creator", "members"} <= set(c) for c in channels)
    general = next(c for c in channels if c["name"] == "general")
    assert len(general["members"]) > 50
    assert len(raw.messages) == manifest.slack_messages
    sample = json.loads(next((slack / "general").glob("*.json")).read_text())[0]
    whole, _, micro = sample["ts"].partition(".")
    assert whole.isdigit()
    assert len(micro) == 6
    day_files = list(slack.glob("*/*.json"))
    assert len(day_files) == manifest.slack_day_files
    assert sum(1 for m in raw.messages if m.thread_ts and m.thread_ts != f"{m.ts:.6f}") > 10_000
    bot_messages = [m for m in raw.messages if m.bot and m.user is None]
    assert len(bot_messages) == manifest.slack_bot_messages > 0


def test_calendars_are_rfc5545_with_recurring_one_to_ones(demo_dir: Path, manifest: DemoManifest) -> None:
    files = sorted((demo_dir / "calendars").glob("*.ics"))
    assert len(files) == manifest.calendar_files
    events = []
    for path in files:
        calendar = Calendar.from_ical(path.read_bytes())
        assert calendar.walk("VTIMEZONE")
        events.extend(calendar.walk("VEVENT"))
    assert len(events) == manifest.calendar_series
    one_to_ones = [e for e in events if str(e["summary"]) == "1:1"]
    assert len(one_to_ones) > 250
    first = one_to_ones[0]
    assert first["rrule"]["FREQ"] == ["WEEKLY"]
    assert len(first["attendee"]) == 2
    assert str(first["organizer"]).startswith("mailto:")
    assert first["dtstart"].params.get("TZID")
    statuses = {a.params["PARTSTAT"] for e in events for a in e["attendee"]}
    assert statuses == {"ACCEPTED", "DECLINED"}
    assert sum(1 for e in events if "exdate" in e) > 50
    locations = {str(e["location"]).startswith("https://") for e in events}
    assert locations == {True, False}


@pytest.mark.parametrize(("people", "teams"), [(120, 10), (400, 30)])
def test_other_sizes_generate(tmp_path: Path, people: int, teams: int) -> None:
    manifest = generate(tmp_path, end=date(2026, 1, 31), people=people, teams=teams)
    assert manifest.people == people
    assert manifest.teams == teams + 1
