"""The imports capability: run history, identities, resolving them to people, and the alias map."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from teamweave.errors import NotFound
from teamweave.imports import service
from teamweave.people.models import Person

ORG = "acme"


def _person(session: Session, email: str, pseudonym: str) -> Person:
    person = Person(org=ORG, email=email, name="P", pseudonym=pseudonym, timezone="UTC")
    session.add(person)
    session.flush()
    return person


def test_runs_are_listed_newest_first_with_status(session: Session) -> None:
    first = service.start_run(session, org=ORG, source="slack", file_name="a.zip")
    second = service.start_run(session, org=ORG, source="calendar", file_name="cal")
    service.finish_run(
        session,
        run=first,
        added=5,
        duplicates=1,
        skipped=2,
        counts={"message": 6},
        errors=["a/1.json: bad"],
        quarantine_file="/q.jsonl",
    )
    service.fail_run(session, run=second, error="cal: unreadable")
    service.start_run(session, org="other", source="slack", file_name="x.zip")
    session.commit()

    runs = service.list_runs(session, org=ORG)

    assert [(r.file_name, r.status) for r in runs] == [("cal", "failed"), ("a.zip", "done")]
    done = runs[1]
    assert (done.added, done.duplicates, done.skipped, done.counts) == (5, 1, 2, {"message": 6})
    assert done.errors == ["a/1.json: bad"]
    assert done.finished_at is not None
    assert runs[0].errors == ["cal: unreadable"]


def test_identities_resolve_to_people_and_feed_the_alias_map(session: Session) -> None:
    ana = _person(session, "ana@acme.org", "p-ana")
    run = service.start_run(session, org=ORG, source="slack", file_name="a.zip")
    bot = service.add_identity(
        session, org=ORG, source="slack", pseudonym="i-bot", label="bot ci", is_bot=True, run_id=run.id
    )
    human = service.add_identity(
        session, org=ORG, source="slack", pseudonym="i-ana", label="@ana (Slack U1)", is_bot=False, run_id=run.id
    )
    session.commit()
    assert service.alias_map(session, org=ORG) == {}
    assert [i.label for i in service.unresolved_identities(session, org=ORG)] == ["@ana (Slack U1)", "bot ci"]
    assert service.known_identities(session, org=ORG, source="slack").keys() == {"i-bot", "i-ana"}

    resolved = service.resolve_identity(session, org=ORG, identity_id=human.id, person_id=ana.id)
    session.commit()

    assert resolved.person_id == ana.id
    assert service.alias_map(session, org=ORG) == {"i-ana": "p-ana"}
    assert [i.id for i in service.unresolved_identities(session, org=ORG)] == [bot.id]
    with pytest.raises(NotFound):
        service.resolve_identity(session, org=ORG, identity_id=human.id, person_id=9999)
    with pytest.raises(NotFound):
        service.resolve_identity(session, org="other", identity_id=human.id, person_id=ana.id)
