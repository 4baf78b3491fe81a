"""A small seeded organisation for web, network-service and end-to-end tests (ORM rows, no import).

Teams (k = 5):
* Platform: Mia (manager) and 7 reports; 6 in Lisbon, 2 in Austin (the Austin slice is under k); 2 joined
  recently (the "joined in the last 6 months" slice is under k).
* Data: Dan (manager) and 5 more, all in Lisbon; Pat (people-admin) is one of them.
* Tiny: 2 people reporting to Mia (the whole team is under k).
Logins: alice (member, Platform), bob (member, Platform), mia (manager), pat (people-admin, Data),
root (admin, no person), port (portfolio-viewer, no person). Every password is PASSWORD.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from teamweave.accounts import service as accounts_service
from teamweave.accounts.models import User
from teamweave.accounts.service import create_user
from teamweave.imports.models import Identity, ImportRun
from teamweave.network.models import PersonMetric, TeamMetric, TeamTie
from teamweave.people.models import Person, Site, Team

PASSWORD = "correct horse battery"
MONTHS = (date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1))
WEEKS = tuple(date(2026, 9, 7) + timedelta(weeks=i) for i in range(8))
LATEST_MONTH = MONTHS[-1]


@pytest.fixture
def cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests log in often: a cheap argon2 profile keeps them fast (production keeps the default profile)."""
    monkeypatch.setattr(accounts_service, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@dataclass
class SeededOrg:
    org: str
    teams: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)


def _person(session: Session, org: str, name: str, team: Team, site: Site, **extra: object) -> Person:
    person = Person(
        org=org,
        email=f"{name}@example.org",
        name=name.capitalize(),
        pseudonym=f"ps-{name}",
        team_id=team.id,
        site_id=site.id,
        timezone=site.timezone,
        start_date=extra.pop("start_date", date(2022, 1, 10)),
        **extra,
    )
    session.add(person)
    session.flush()
    return person


def _person_metrics(session: Session, org: str, person: Person, base: int) -> None:
    for period, windows in (("month", MONTHS), ("week", WEEKS)):
        previous: int | None = None
        for i, window in enumerate(windows):
            ties = base + i
            session.add(
                PersonMetric(
                    org=org,
                    period=period,
                    window_start=window,
                    pseudonym=person.pseudonym,
                    ties=ties,
                    strong_ties=max(0, ties // 3),
                    weak_ties=ties - max(0, ties // 3),
                    strength=ties * 2.5,
                    cross_team_share=0.25,
                    human_events=80,
                    tool_events=20,
                    human_share=0.8,
                    after_hours_share=0.1 + 0.02 * i,
                    ties_change=None if previous is None else ties - previous,
                    strength_change=None,
                )
            )
            previous = ties


def _team_metrics(session: Session, org: str, team_id: int, members: int, ei: float) -> None:
    for i, window in enumerate(MONTHS):
        session.add(
            TeamMetric(
                org=org,
                period="month",
                window_start=window,
                team_id=team_id,
                members=members,
                density=0.4 + 0.05 * i,
                ei_index=ei,
                external_share=0.3,
                no_strong_tie=1,
                human_share=0.8 - 0.05 * i,
                after_hours_share=0.1 + 0.05 * i,
                mean_ties=6.0,
            )
        )


def _imports(session: Session, org: str) -> None:
    run = ImportRun(
        org=org,
        source="slack",
        file_name="export.zip",
        started_at=datetime(2026, 11, 1, 9, 0, tzinfo=UTC),
        finished_at=datetime(2026, 11, 1, 9, 1, tzinfo=UTC),
        status="done",
        added=120,
        duplicates=3,
        skipped=1,
        counts={"message": 100, "reaction": 20},
        errors=["general/2026-10-01.json, record 4: no user"],
        quarantine_file=None,
    )
    session.add(run)
    session.flush()
    session.add(Identity(org=org, source="slack", pseudonym="id-ghost", label="@ghost", first_import_id=run.id))


def seed_org(session: Session, *, org: str = "default") -> SeededOrg:
    """Add the organisation described in the module docstring; the caller commits."""
    seeded = SeededOrg(org=org)
    lisbon = Site(org=org, name="Lisbon", timezone="Europe/Lisbon")
    austin = Site(org=org, name="Austin", timezone="America/Chicago")
    teams = {name: Team(org=org, name=name) for name in ("Platform", "Data", "Tiny")}
    session.add_all([lisbon, austin, *teams.values()])
    session.flush()
    seeded.teams = {name: team.id for name, team in teams.items()}
    mia = _person(session, org, "mia", teams["Platform"], lisbon)
    dan = _person(session, org, "dan", teams["Data"], lisbon)
    people = {"mia": mia, "dan": dan}
    platform = [
        ("alice", lisbon, {}),
        ("bob", lisbon, {}),
        ("carol", lisbon, {}),
        ("dave", lisbon, {}),
        ("erin", lisbon, {"start_date": date(2026, 9, 1)}),
        ("frank", austin, {"start_date": date(2026, 8, 15)}),
        ("gina", austin, {}),
    ]
    for name, site, extra in platform:
        people[name] = _person(session, org, name, teams["Platform"], site, manager_id=mia.id, **extra)
    for name in ("pat", "quinn", "rosa", "sam", "tess"):
        people[name] = _person(session, org, name, teams["Data"], lisbon, manager_id=dan.id)
    for name in ("uma", "vic"):
        people[name] = _person(session, org, name, teams["Tiny"], lisbon, manager_id=mia.id)
    for i, person in enumerate(people.values()):
        _person_metrics(session, org, person, base=4 + i % 5)
    _team_metrics(session, org, seeded.teams["Platform"], members=8, ei=-0.2)
    _team_metrics(session, org, seeded.teams["Data"], members=6, ei=0.3)
    _team_metrics(session, org, seeded.teams["Tiny"], members=2, ei=0.9)
    for window in MONTHS:
        a, b = sorted((seeded.teams["Platform"], seeded.teams["Data"]))
        session.add(TeamTie(org=org, period="month", window_start=window, team_a=a, team_b=b, weight=12.5, ties=9))
        a, b = sorted((seeded.teams["Platform"], seeded.teams["Tiny"]))
        session.add(TeamTie(org=org, period="month", window_start=window, team_a=a, team_b=b, weight=3.0, ties=2))
    seeded.people = {name: p.id for name, p in people.items()}
    logins = {
        "alice": ("member", people["alice"].id),
        "bob": ("member", people["bob"].id),
        "mia": ("manager", mia.id),
        "pat": ("people-admin", people["pat"].id),
        "root": ("admin", None),
        "port": ("portfolio-viewer", None),
    }
    for username, (role, person_id) in logins.items():
        user = create_user(session, org=org, username=username, password=PASSWORD, role=role, person_id=person_id)
        seeded.users[username] = user.id
    _imports(session, org)
    session.flush()
    return seeded


def seed_more_teams(session: Session, *, org: str = "default", count: int = 14) -> list[int]:
    """Add ``count`` teams (metrics and ties only, in the latest month) so the organisation map has a shape.

    Team i has 5 + 2i members and an E-I index running from -0.8 (siloed) to +0.6; neighbours in a ring are
    tied, and every third team is tied to the first. The caller commits.
    """
    names = ["Payments", "Search", "Mobile", "Growth", "Infra", "Security", "Billing", "Design", "Support", "Docs"]
    teams = [Team(org=org, name=names[i] if i < len(names) else f"Team {i + 1}") for i in range(count)]
    session.add_all(teams)
    session.flush()
    ids = [t.id for t in teams]
    for i, team_id in enumerate(ids):
        session.add(
            TeamMetric(
                org=org,
                period="month",
                window_start=LATEST_MONTH,
                team_id=team_id,
                members=5 + 2 * i,
                density=0.3,
                ei_index=-0.8 + 1.4 * i / max(1, count - 1),
                external_share=0.4,
                no_strong_tie=1,
                human_share=0.8,
                after_hours_share=0.1,
                mean_ties=5.0,
            )
        )
    pairs = {tuple(sorted((ids[i], ids[(i + 1) % count]))) for i in range(count)}
    pairs |= {tuple(sorted((ids[0], ids[i]))) for i in range(3, count, 3)}
    for n, (a, b) in enumerate(sorted(pairs)):
        session.add(
            TeamTie(org=org, period="month", window_start=LATEST_MONTH, team_a=a, team_b=b, weight=2.0 + n % 7, ties=3)
        )
    session.flush()
    return ids


def login_of(session: Session, seeded: SeededOrg, name: str) -> User:
    """The login of a seeded person; a member login is created for a person who has none."""
    if name not in seeded.users:
        made = create_user(
            session,
            org=seeded.org,
            username=name,
            password="pw-123456789",
            role="member",
            person_id=seeded.people[name],
        )
        seeded.users[name] = made.id
    found = session.get(User, seeded.users[name])
    assert found is not None
    return found


def seed_org_with_dan(session: Session, *, org: str = "default") -> SeededOrg:
    """The seeded org, plus a login for Dan (manager of Data); committed."""
    seeded = seed_org(session, org=org)
    dan = create_user(
        session, org=org, username="dan", password="pw-dan-123456", role="manager", person_id=seeded.people["dan"]
    )
    seeded.users["dan"] = dan.id
    session.commit()
    return seeded
