"""A person takes part in the analysis from their HR start date on, whatever a channel's member list says."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from teamweave.ingest.records import Interaction
from teamweave.network.analysis import analyze
from teamweave.network.models import PersonMetric
from teamweave.people.models import Person, Team
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore

ORG = "acme"
P = Pseudonymiser(b"s" * 32)


def test_no_ties_before_the_start_date(session: Session, tmp_path: Path) -> None:
    team = Team(org=ORG, name="Core")
    session.add(team)
    session.flush()
    ana, new = P.person_of_email("ana@x.test"), P.person_of_email("new@x.test")
    session.add(Person(org=ORG, email="ana@x.test", name="Ana", pseudonym=ana, team_id=team.id, timezone="UTC"))
    session.add(
        Person(
            org=ORG,
            email="new@x.test",
            name="New",
            pseudonym=new,
            team_id=team.id,
            timezone="Asia/Kolkata",
            start_date=date(2024, 3, 6),
        )
    )
    session.flush()
    store = EventStore(tmp_path)
    before = datetime(2024, 2, 20, 10, tzinfo=UTC)
    eve_of_start = datetime(2024, 3, 5, 17, tzinfo=UTC)  # 22:30 on 5 March in Kolkata: still before
    first_day = datetime(2024, 3, 5, 19, tzinfo=UTC)  # 00:30 on 6 March in Kolkata: the first day
    store.append(
        ORG,
        [
            Interaction(ORG, "e1", "slack", "message", before, ana, (new,), 1),
            Interaction(ORG, "e2", "slack", "message", eve_of_start, ana, (new,), 1),
            Interaction(ORG, "e3", "slack", "message", first_day, ana, (new,), 1),
        ],
    )
    analyze(session, org=ORG, events=store, k=3)
    rows = session.execute(
        select(PersonMetric.window_start, PersonMetric.human_events)
        .where(PersonMetric.period == "month", PersonMetric.pseudonym == new)
        .order_by(PersonMetric.window_start)
    ).all()
    assert [(r.window_start, r.human_events) for r in rows] == [(date(2024, 3, 1), 1)]
