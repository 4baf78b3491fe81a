"""A person can export everything held about them and have it erased — from the database and the event store."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker
from tests.support.stored_text import stored_text
from tests.support.waiting import Waits, holder_then_job

from teamweave.accounts.models import User
from teamweave.errors import NotFound
from teamweave.imports.models import Identity
from teamweave.ingest.records import Interaction
from teamweave.network.analysis import analyze
from teamweave.network.models import PersonMetric
from teamweave.people.models import Person, Team
from teamweave.privacy.consent import set_analytics_opt_out
from teamweave.privacy.erased import erasure_mark, erasure_marks
from teamweave.privacy.erasure import erase_person, export_person
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore
from teamweave.store.session import session_factory
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
    slack_ana = P.identity("slack", "T1:U1")
    assert erasure_marks(session, org=ORG) == {erasure_mark(people["ana"]), erasure_mark(slack_ana)}  # for imports
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


def _erased_everywhere(engine: Engine, instance: Path, pseudonym: str) -> None:
    with session_factory(engine)() as check:
        assert check.scalar(select(func.count()).where(PersonMetric.pseudonym == pseudonym)) == 0
        assert check.scalar(select(func.count()).select_from(PersonMetric)) > 0  # the others' rows are there
    assert pseudonym not in stored_text(instance)  # no event, kept tie, contact or input names them


def _seeded(engine: Engine, instance: Path) -> tuple[sessionmaker[Session], EventStore, dict[str, str]]:
    """A session factory, and the people and events of :func:`_seed`, committed."""
    factory = session_factory(engine)
    store = EventStore(instance)
    with factory() as setup:
        people = _seed(setup, store)
        setup.commit()
    return factory, store, people


def test_an_erasure_waits_for_a_running_analysis_then_removes_what_it_wrote(engine: Engine, tmp_path: Path) -> None:
    """Without the org's lock, on PostgreSQL the erasure ran beside the analysis, which then stored the person's
    metrics and kept ties after it; on SQLite it failed after the engine's busy timeout."""
    factory, store, people = _seeded(engine, tmp_path / "instance")
    analysis = factory()
    analyze(analysis, org=ORG, events=store, k=1)  # not committed yet: it holds the org's lock
    assert analysis.scalar(select(func.count()).where(PersonMetric.pseudonym == people["ana"])) > 0
    assert people["ana"] in stored_text(tmp_path / "instance")  # the ties the run kept name her
    waits = Waits()

    def erase() -> None:
        with factory() as session:
            erase_person(session, org=ORG, email="ana@acme.test", events=store, progress=waits)
            session.commit()

    holder_then_job(analysis, erase, waits, what="the erasure")
    _erased_everywhere(engine, tmp_path / "instance", people["ana"])


def test_an_analysis_that_starts_during_an_erasure_reads_after_it(engine: Engine, tmp_path: Path) -> None:
    factory, store, people = _seeded(engine, tmp_path / "instance")
    eraser = factory()
    erase_person(eraser, org=ORG, email="ana@acme.test", events=store)  # not committed yet
    waits = Waits()

    def analysis() -> None:
        with factory() as session:
            analyze(session, org=ORG, events=store, k=1, progress=waits)
            session.commit()

    holder_then_job(eraser, analysis, waits, what="the analysis")
    assert waits.steps[0].startswith("Waiting for another")
    assert len(waits.steps) > 1  # then it analysed
    _erased_everywhere(engine, tmp_path / "instance", people["ana"])
