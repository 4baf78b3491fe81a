"""Generate the demo organisation as real-format files: ``hr.csv``, ``slack/`` and ``calendars/``.

Seeded and deterministic: the same seed and end date give byte-identical files. Five phenomena are planted
(see :mod:`teamweave.demo.slack_plan` and :mod:`teamweave.demo.calendar_writer`) and named in
``manifest.json``, written last.

Examples
--------
>>> import tempfile, pathlib, datetime
>>> with tempfile.TemporaryDirectory() as d:
...     m = generate(pathlib.Path(d), end=datetime.date(2026, 6, 30), people=120, teams=10)
...     (m.people, m.teams, len(m.sites), m.months)
(120, 11, 3, 12)
"""

from __future__ import annotations

import shutil
import time
from datetime import date
from pathlib import Path

import numpy as np

from teamweave.demo.calendar_writer import write_calendars
from teamweave.demo.manifest import MANIFEST_NAME, DemoLogin, DemoManifest, PlantedPhenomena
from teamweave.demo.org_chart import EMAIL_DOMAIN, SITES, DemoOrg, build_org, write_hr_csv
from teamweave.demo.slack_plan import AI_USER_ID, after_hours_matrix, build_plan
from teamweave.demo.slack_writer import write_slack_export
from teamweave.demo.timeline import build_window

ADMIN_USERNAME = f"admin@{EMAIL_DOMAIN}"
DEMO_PASSWORD = "demodemo"  # accounts.service refuses passwords under 8 characters


def _logins(org: DemoOrg) -> list[DemoLogin]:
    ph = org.phenomena
    small_manager = org.teams[ph.small_team].manager
    mixed_manager = org.teams[ph.mixed_team].manager
    assert small_manager is not None
    assert mixed_manager is not None

    def login(person: int, role: str, why: str) -> DemoLogin:
        email = org.people[person].email
        return DemoLogin(username=email, role=role, email=email, why=why)

    return [
        login(ph.member, "member", f"a member of {org.teams[org.people[ph.member].team].name}"),
        login(ph.new_hire, "member", "the new hire who never integrates"),
        login(mixed_manager, "manager", f"manager of {org.teams[ph.mixed_team].name} (a site slice under k)"),
        login(small_manager, "manager", f"manager of {org.teams[ph.small_team].name} (too few people to show)"),
        login(ph.people_admin, "people-admin", "people-admin (People Operations)"),
        DemoLogin(username=ADMIN_USERNAME, role="admin", email=None, why="administrator"),
    ]


def _phenomena(org: DemoOrg) -> PlantedPhenomena:
    ph = org.phenomena
    teams, people = org.teams, org.people
    return PlantedPhenomena(
        new_hire=people[ph.new_hire].email,
        new_hire_team=teams[people[ph.new_hire].team].name,
        siloed_team=teams[ph.siloed_team].name,
        bridge_person=people[ph.bridge_person].email,
        bridge_team=teams[people[ph.bridge_person].team].name,
        after_hours_creep_team=teams[ph.creep_team].name,
        bot_team=teams[ph.bot_team].name,
        small_team=teams[ph.small_team].name,
        mixed_site_team=teams[ph.mixed_team].name,
    )


def _clear(out_dir: Path) -> None:
    (out_dir / MANIFEST_NAME).unlink(missing_ok=True)
    for name in ("slack", "calendars"):
        if (out_dir / name).exists():
            shutil.rmtree(out_dir / name)
    (out_dir / "hr.csv").unlink(missing_ok=True)


def generate(
    out_dir: Path,
    *,
    seed: int = 7,
    end: date | None = None,
    people: int = 320,
    teams: int = 26,
    months: int = 12,
) -> DemoManifest:
    """Write the demo organisation into ``out_dir`` and return its manifest (also written as manifest.json).

    ``people`` counts everyone including the leadership team; ``teams`` counts the regular teams (the
    leadership team comes on top). ``end`` defaults to today; the data covers ``months`` calendar months
    ending with the month of ``end``.
    """
    began = time.perf_counter()
    end = end or date.today()
    out_dir.mkdir(parents=True, exist_ok=True)
    _clear(out_dir)
    org_seed, plan_seed, slack_seed, calendar_seed = np.random.SeedSequence(seed).spawn(4)
    org = build_org(np.random.default_rng(org_seed), end=end, people=people, teams=teams)
    window = build_window(end, months, tuple(zone for _, zone in SITES))
    write_hr_csv(org, out_dir / "hr.csv")
    plan = build_plan(org, window, np.random.default_rng(plan_seed))
    slack = write_slack_export(
        org, window, plan, after_hours_matrix(org, window), out_dir / "slack", np.random.default_rng(slack_seed)
    )
    calendars = write_calendars(org, window, plan, out_dir / "calendars", np.random.default_rng(calendar_seed))
    manifest = DemoManifest(
        seed=seed,
        start=window.start,
        end=end,
        months=months,
        people=len(org.people),
        teams=len(org.teams),
        sites=dict(SITES),
        slack_messages=slack.messages,
        slack_human_messages=slack.human_messages,
        slack_bot_messages=slack.bot_messages,
        slack_ai_messages=slack.ai_messages,
        slack_day_files=slack.day_files,
        slack_channels=sum(1 for p in plan.places if not p.is_dm),
        slack_dms=sum(1 for p in plan.places if p.is_dm),
        calendar_files=calendars.files,
        calendar_series=calendars.series,
        phenomena=_phenomena(org),
        logins=_logins(org),
        ai_assistant_slack_id=AI_USER_ID,
        seconds=round(time.perf_counter() - began, 2),
    )
    manifest.write(out_dir)
    return manifest
