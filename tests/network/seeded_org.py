"""A seeded organisation for whole-analysis tests: three teams, people in five time zones, newcomers, an alias, a
bot, an opted-out person, meetings, channels, after-hours and weekend acts; and every stored analysis row, to
compare two runs."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from teamweave.imports.models import Identity
from teamweave.ingest.records import Interaction
from teamweave.network.models import NetworkStructure, NewHireIntegration, PersonMetric, TeamMetric, TeamTie
from teamweave.people.models import Person, Team
from teamweave.privacy.pseudonym import Pseudonymiser

ORG = "acme"
P = Pseudonymiser(b"i" * 32)
ZONES = ("UTC", "America/New_York", "Asia/Tokyo", "Europe/Paris", "Pacific/Auckland")
FIRST = datetime(2024, 1, 29, tzinfo=UTC)  # a Monday: history runs 14 weeks from here, into May
NEW_WEEK = FIRST + timedelta(weeks=14)
ALIAS = P.identity("slack", "U-P0")
BOT = P.identity("slack", "B-BOT")
MODELS: tuple[Any, ...] = (PersonMetric, TeamMetric, TeamTie, NetworkStructure)


def person(i: int) -> str:
    return P.person_of_email(f"p{i}@acme.test")


def seed(session: Session, people: int = 18) -> None:
    teams = [Team(org=ORG, name=f"T{t}") for t in range(3)]
    session.add_all(teams)
    session.flush()
    for i in range(people):
        start = None if i < 12 else (FIRST + timedelta(days=9 * (i - 11))).date()  # newcomers, up to the new week
        session.add(
            Person(
                org=ORG,
                email=f"p{i}@acme.test",
                name=f"P{i}",
                pseudonym=person(i),
                team_id=teams[i % 3].id,
                timezone=ZONES[i % len(ZONES)],
                start_date=start,
                analytics_opt_out=i == 5,
            )
        )
    session.flush()
    p0 = session.execute(select(Person).where(Person.pseudonym == person(0))).scalar_one()
    session.add(Identity(org=ORG, source="slack", pseudonym=ALIAS, label="@p0", person_id=p0.id))
    session.add(Identity(org=ORG, source="slack", pseudonym=BOT, label="bot", is_bot=True))
    session.flush()


def events(first: datetime, weeks: int, seed: int, people: int = 18) -> list[Interaction]:
    rng = random.Random(seed)
    names = [person(i) for i in range(people)]
    out = []
    for n in range(weeks * 60):
        ts = first + timedelta(minutes=rng.randrange(weeks * 7 * 24 * 60))
        kind = rng.choice(["message", "message", "reply", "reaction", "meeting", "email", "review"])
        actor = rng.choice([*names, ALIAS, BOT])
        targets = rng.sample([*names, BOT], rng.choice([1, 1, 1, 2, 3, 5]))
        out.append(
            Interaction(
                org=ORG,
                event_id=P.event_id("slack", f"{seed}-{n}"),
                source="calendar" if kind == "meeting" else ("email" if kind == "email" else "slack"),
                kind=kind,
                ts=ts,
                actor=actor,
                targets=tuple(targets),
                audience=len(targets),
                duration_s=rng.choice([None, 1800, 3600]) if kind == "meeting" else None,
                in_person=kind == "meeting" and rng.random() < 0.3,
                by_bot=actor == BOT,
                via_ai=rng.random() < 0.05,
            )
        )
    return out


def stored_rows(session: Session) -> dict[str, list[tuple[Any, ...]]]:
    """Every stored analysis row, without ids, floats rounded (sums may add in another order)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    for model in (*MODELS, NewHireIntegration):
        names = [c.name for c in model.__table__.columns if c.name != "id"]
        rows = session.execute(select(*(getattr(model, n) for n in names))).all()
        out[model.__name__] = sorted(
            (tuple(round(v, 9) if isinstance(v, float) else v for v in row) for row in rows), key=repr
        )
    return out


def clear(session: Session) -> None:
    for model in (*MODELS, NewHireIntegration):
        session.execute(delete(model))
