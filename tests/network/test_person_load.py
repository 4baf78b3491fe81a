"""analyze() stores cross-site reach (from the directory's sites), meeting hours and messages sent, and an
incremental run stores what a full run stores."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from teamweave.imports.models import Identity
from teamweave.ingest.records import Interaction
from teamweave.network.analysis import analyze
from teamweave.network.models import PersonMetric
from teamweave.people.models import Person, Site, Team
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore

ORG = "acme"
P = Pseudonymiser(b"s" * 32)
BOT = P.identity("slack", "B-BOT")
WEEK = datetime(2024, 3, 4, 10, tzinfo=UTC)  # a Monday
SITE_OF = {"ana": "Lyon", "ben": "Lyon", "cy": "Oslo", "dee": None, "eve": "Oslo", "fay": None}


def pid(name: str) -> str:
    return P.person_of_email(f"{name}@acme.test")


def _seed(session: Session) -> None:
    team = Team(org=ORG, name="All")
    sites = {name: Site(org=ORG, name=name, timezone="UTC") for name in ("Lyon", "Oslo")}
    session.add_all([team, *sites.values()])
    session.flush()
    for name, site in SITE_OF.items():
        session.add(
            Person(
                org=ORG,
                email=f"{name}@acme.test",
                name=name.title(),
                pseudonym=pid(name),
                team_id=team.id,
                site_id=sites[site].id if site else None,
                timezone="UTC",
            )
        )
    session.add(Identity(org=ORG, source="slack", pseudonym=BOT, label="helpbot", is_bot=True))
    session.flush()


def _ev(n: int, kind: str, ts: datetime, actor: str, *targets: str, **extra: Any) -> Interaction:
    return Interaction(
        org=ORG,
        event_id=P.event_id("slack", str(n)),
        source="calendar" if kind == "meeting" else "slack",
        kind=kind,
        ts=ts,
        actor=actor,
        targets=targets,
        audience=len(targets),
        **extra,
    )


def _row(session: Session, name: str, period: str = "week") -> PersonMetric:
    query = select(PersonMetric).where(PersonMetric.period == period, PersonMetric.pseudonym == pid(name))
    return session.execute(query).scalar_one()


def test_analyze_stores_site_reach_and_load(session: Session, tmp_path: Path) -> None:
    _seed(session)
    ana, ben, cy, dee = pid("ana"), pid("ben"), pid("cy"), pid("dee")
    store = EventStore(tmp_path / "events")
    store.append(
        ORG,
        [
            _ev(1, "message", WEEK, ana, ben),  # same site: 1
            _ev(2, "message", WEEK, ana, cy),  # other site: 1
            _ev(3, "meeting", WEEK, ana, cy, duration_s=5400),  # other site: 6 (8 units over 2 hours, capped)
            _ev(4, "message", WEEK, ana, dee),  # site unknown: left out
            _ev(5, "message", WEEK, ana, BOT),  # to a bot: not a message to people, no tie
            _ev(6, "meeting", WEEK, ana, BOT, duration_s=3600),  # with a bot only: no meeting hours
        ],
    )
    analyze(session, org=ORG, events=store, k=2, periods=("week",))
    row = _row(session, "ana")
    assert row.cross_site_share == 7 / 8
    assert row.meeting_hours == 1.5
    assert row.messages_sent == 3
    assert (_row(session, "ben").cross_site_share, _row(session, "cy").cross_site_share) == (0.0, 1.0)
    assert _row(session, "dee").cross_site_share is None  # no site
    assert (_row(session, "cy").meeting_hours, _row(session, "dee").meeting_hours) == (1.5, 0.0)


def _random_events(first: datetime, weeks: int, seed: int) -> list[Interaction]:
    rng = random.Random(seed)
    names = [pid(name) for name in SITE_OF]
    out = []
    for n in range(weeks * 40):
        kind = rng.choice(["message", "reply", "reaction", "meeting", "email", "review", "mention"])
        actor = rng.choice([*names, BOT])
        targets = rng.sample([*names, BOT], rng.choice([1, 1, 2, 3]))
        out.append(
            _ev(
                seed * 100_000 + n,
                kind,
                first + timedelta(minutes=rng.randrange(weeks * 7 * 24 * 60)),
                actor,
                *targets,
                duration_s=rng.choice([None, 1800, 3600]) if kind == "meeting" else None,
                by_bot=actor == BOT,
            )
        )
    return out


def _stored(session: Session) -> list[tuple[Any, ...]]:
    columns = (
        PersonMetric.period,
        PersonMetric.window_start,
        PersonMetric.pseudonym,
        PersonMetric.cross_site_share,
        PersonMetric.meeting_hours,
        PersonMetric.messages_sent,
    )
    rows = session.execute(select(*columns)).all()
    return sorted((tuple(round(v, 9) if isinstance(v, float) else v for v in r) for r in rows), key=repr)


def test_incremental_run_equals_full_run(session: Session, tmp_path: Path) -> None:
    _seed(session)
    store = EventStore(tmp_path / "events")
    store.append(ORG, _random_events(WEEK, 6, seed=1))
    analyze(session, org=ORG, events=store, k=2)
    new_week = WEEK + timedelta(weeks=6)
    store.append(ORG, _random_events(new_week, 1, seed=2))
    analyze(session, org=ORG, events=store, k=2, since=new_week.date())
    incremental = _stored(session)
    session.execute(delete(PersonMetric))
    analyze(session, org=ORG, events=store, k=2)
    full = _stored(session)
    assert incremental == full
    assert any(r[3] is not None for r in full)  # the new metrics were there to compare
    assert any(r[4] for r in full)
    assert any(r[5] for r in full)
