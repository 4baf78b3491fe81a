"""A recognition is an interaction: one event from the giver to the receivers, written once, that the analysis
turns into a tie; erasing a person removes their recognitions and their events."""

from __future__ import annotations

import duckdb
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.recognition.conftest import NOW, give, user
from tests.web.seeding import SeededOrg

from teamweave.analytics.ties import load_participants, people_table, tie_table
from teamweave.network.analysis import analyze
from teamweave.network.models import PersonMetric
from teamweave.privacy.erasure import erase_person
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.recognition import service
from teamweave.recognition.models import Recognition, RecognitionReceiver
from teamweave.store.events import EventStore


def _events(events: EventStore) -> list[dict[str, object]]:
    con = duckdb.connect()
    try:
        rows: list[dict[str, object]] = events.read("default", con).order("ts, actor").to_arrow_table().to_pylist()
    finally:
        con.close()
    return rows


def test_recording_writes_one_interaction_from_giver_to_receivers_once(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    give(session, seeded, "alice", to="bob")
    give(session, seeded, "mia", team="Tiny", public=False)
    session.commit()
    assert events.count("default") == 0  # giving writes no event: the analysis records them in one batch
    result = service.record_events(session, org="default", events=events, pseudonymiser=pseudonymiser)
    assert (result.added, result.duplicates) == (2, 0)
    stored = _events(events)
    assert [(e["source"], e["kind"], e["actor"], e["targets"], e["audience"]) for e in stored] == [
        ("recognition", "recognition", "ps-alice", ["ps-bob"], 1),
        ("recognition", "recognition", "ps-mia", ["ps-uma", "ps-vic"], 2),
    ]
    assert stored[0]["ts"] == NOW
    assert len({e["event_id"] for e in stored}) == 2
    # the events are keyed by recognition: writing them all again adds nothing
    result = service.record_events(session, org="default", events=events, pseudonymiser=pseudonymiser)
    assert (result.added, result.duplicates) == (0, 2)
    assert events.count("default") == 2


def test_a_rolled_back_recognition_leaves_no_event(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    give(session, seeded, "alice", to="bob")
    session.rollback()  # the giving request failed after giving
    give(session, seeded, "carol", to="dave")
    session.commit()
    assert service.record_events(session, org="default", events=events, pseudonymiser=pseudonymiser).added == 1
    assert [(e["actor"], e["targets"]) for e in _events(events)] == [("ps-carol", ["ps-dave"])]


def test_record_events_restores_a_missing_event_with_the_same_id(
    session: Session,
    seeded: SeededOrg,
    events: EventStore,
    pseudonymiser: Pseudonymiser,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    give(session, seeded, "alice", to="bob")
    session.commit()
    service.record_events(session, org="default", events=events, pseudonymiser=pseudonymiser)
    elsewhere = EventStore(tmp_path_factory.mktemp("rebuilt"))
    assert service.record_events(session, org="default", events=elsewhere, pseudonymiser=pseudonymiser).added == 1
    assert _events(elsewhere)[0]["event_id"] == _events(events)[0]["event_id"]


def test_the_analysis_gives_giver_and_receiver_a_tie(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    give(session, seeded, "alice", to="bob")
    session.commit()
    service.record_events(session, org="default", events=events, pseudonymiser=pseudonymiser)
    con = duckdb.connect()
    try:
        load_participants(
            con, events.read("default", con), people=people_table([("ps-alice", 1, "UTC"), ("ps-bob", 1, "UTC")])
        )
        ties = tie_table(con, period="week").to_pylist()
    finally:
        con.close()
    assert [(t["a"], t["b"], t["weight"], t["reciprocated"]) for t in ties] == [("ps-alice", "ps-bob", 1.0, False)]
    summary = analyze(session, org="default", events=events, k=5, periods=("week",))
    session.commit()
    assert summary.ties == 1
    metrics = session.scalars(select(PersonMetric).where(PersonMetric.period == "week")).all()
    assert {(m.pseudonym, m.ties, m.strength) for m in metrics} == {("ps-alice", 1, 1.0), ("ps-bob", 1, 1.0)}


def _count(session: Session, table: type[Recognition] | type[RecognitionReceiver]) -> int:
    return int(session.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.mark.parametrize("erased", ["alice", "bob"])
def test_erasing_a_person_removes_their_recognitions_and_events(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser, erased: str
) -> None:
    give(session, seeded, "alice", to="bob")
    give(session, seeded, "bob", to="alice", public=False)
    give(session, seeded, "mia", team="Platform")  # reaches alice and bob among 7
    session.commit()
    service.record_events(session, org="default", events=events, pseudonymiser=pseudonymiser)
    assert (_count(session, Recognition), _count(session, RecognitionReceiver)) == (3, 9)
    erase_person(session, org="default", email=f"{erased}@example.org", events=events)
    session.commit()
    session.expire_all()
    # both one-to-one recognitions go (given or received); the team one stays, without the erased person
    assert (_count(session, Recognition), _count(session, RecognitionReceiver)) == (1, 6)
    assert seeded.people[erased] not in set(session.scalars(select(RecognitionReceiver.person_id)))
    stored = _events(events)
    pseudonym = f"ps-{erased}"
    assert all(e["actor"] != pseudonym and pseudonym not in e["targets"] for e in stored)
    # the erased person's own act is gone; the other's act towards them no longer names them (erasure.py)
    other = "ps-bob" if erased == "alice" else "ps-alice"
    assert sorted((e["actor"], len(e["targets"])) for e in stored) == [(other, 0), ("ps-mia", 6)]
    mine = service.my_recognition(session, org="default", viewer=user(session, seeded, "carol"))
    assert [v.to for v in mine.received] == ["the Platform team"]
