"""A person can export everything held about them and have it erased — from the database and the event store."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.support.stored_text import stored_text

from teamweave.accounts.models import User
from teamweave.errors import NotFound
from teamweave.imports.models import Identity
from teamweave.ingest.records import Interaction
from teamweave.network.models import PersonMetric
from teamweave.people.models import Person, Team
from teamweave.privacy.consent import set_analytics_opt_out
from teamweave.privacy.erasure import erase_person, export_person
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore
from teamweave.store.tie_cache import TieCache

ORG = "acme"
P = Pseudonymiser(b"e" * 32)


def _seed(session: Session, store: EventStore) -> dict[str, str]:
    team = Team(org=ORG, name="Platform")
    session.add(team)
    session.flush()
    people = {}
    for name in ("ana", "ben", "cem"):
        email = f"{name}@acme.test"
        person = Person(
            org=ORG,
            email=email,
            name=name.title(),
            pseudonym=P.person_of_email(email),
            team_id=team.id,
            timezone="Europe/Berlin",
            start_date=date(2023, 1, 2),
        )
        session.add(person)
        people[name] = person.pseudonym
    session.flush()
    ana = session.execute(select(Person).where(Person.email == "ana@acme.test")).scalar_one()
    ben = session.execute(select(Person).where(Person.email == "ben@acme.test")).scalar_one()
    ben.manager_id = ana.id
    slack_ana = P.identity("slack", "T1:U1")
    session.add(Identity(org=ORG, source="slack", pseudonym=slack_ana, label="@ana", person_id=ana.id))
    session.add(
        User(
            org=ORG,
            username="ana@acme.test",
            password_hash="x",
            role="manager",
            person_id=ana.id,
            created_at=datetime(2024, 1, 1, tzinfo=UTC),
        )
    )
    session.add(
        PersonMetric(
            org=ORG,
            period="month",
            window_start=date(2024, 1, 1),
            pseudonym=people["ana"],
            ties=2,
            strong_ties=1,
            weak_ties=1,
            strength=3.0,
            human_events=4,
            tool_events=0,
        )
    )
    session.flush()
    ts = datetime(2024, 1, 10, 10, tzinfo=UTC)
    store.append(
        ORG,
        [
            Interaction(ORG, "e1", "slack", "message", ts, people["ana"], (people["ben"],), 1),
            Interaction(ORG, "e2", "slack", "message", ts, slack_ana, (people["cem"],), 1),
            Interaction(ORG, "e3", "slack", "message", ts, people["ben"], (people["ana"], people["cem"]), 2),
            Interaction(ORG, "e4", "slack", "message", ts, people["cem"], (people["ben"],), 1),
        ],
    )
    return people


def test_export_holds_everything_about_the_person(session: Session, tmp_path: Path) -> None:
    store = EventStore(tmp_path)
    _seed(session, store)
    data = export_person(session, org=ORG, email="ANA@acme.test", events=store)
    assert data["person"]["name"] == "Ana"
    assert data["accounts"][0]["role"] == "manager"
    assert data["identities"] == [{"source": "slack", "label": "@ana"}]
    assert data["metrics"][0]["ties"] == 2
    assert data["interactions_per_month"] == [
        {"month": "2024-01", "source": "slack", "kind": "message", "acted": 2, "reached": 1}
    ]


def test_erasure_removes_rows_and_events(session: Session, tmp_path: Path) -> None:
    store = EventStore(tmp_path)
    people = _seed(session, store)
    kept = pa.table({"a": [people["ana"]], "b": [people["ben"]], "weight": [1.0]})
    TieCache.beside(store).replace(ORG, "week", {date(2024, 1, 1): kept})  # the last analysis's kept ties
    contacts = pa.table({"person": [people["ana"]], "other": [people["cem"]], "first_offset": [3]})
    TieCache.beside(store).keep_contacts(ORG, contacts, complete_from=date(2024, 1, 1))  # and newcomers' contacts
    assert people["ana"] in stored_text(tmp_path)
    result = erase_person(session, org=ORG, email="ana@acme.test", events=store)
    session.commit()
    assert (result.events_removed, result.events_scrubbed) == (2, 1)
    assert (result.metric_rows, result.identities, result.accounts) == (1, 1, 1)
    assert session.scalar(select(func.count()).select_from(Person)) == 2
    assert session.scalar(select(func.count()).select_from(User)) == 0
    assert session.scalar(select(func.count()).select_from(Identity)) == 0
    ben = session.execute(select(Person).where(Person.email == "ben@acme.test")).scalar_one()
    assert ben.manager_id is None
    con = duckdb.connect()
    rows = store.read(ORG, con).project("event_id, actor, targets, audience").order("event_id").fetchall()
    assert rows == [("e3", people["ben"], [people["cem"]], 2), ("e4", people["cem"], [people["ben"]], 1)]
    assert people["ana"] not in stored_text(tmp_path)
    assert people["ben"] in stored_text(tmp_path)
    with pytest.raises(NotFound):
        erase_person(session, org=ORG, email="ana@acme.test", events=store)


def test_opt_out_is_recorded(session: Session, tmp_path: Path) -> None:
    _seed(session, EventStore(tmp_path))
    set_analytics_opt_out(session, org=ORG, email="cem@acme.test", opt_out=True)
    cem = session.execute(select(Person).where(Person.email == "cem@acme.test")).scalar_one()
    assert cem.analytics_opt_out is True
    with pytest.raises(NotFound):
        set_analytics_opt_out(session, org=ORG, email="nobody@acme.test", opt_out=True)
