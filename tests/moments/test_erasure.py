"""Celebration rows go with the person: erasing the person celebrated or who entered it removes the moment;
erasing a person removes their preference (FK cascade)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.moments.conftest import ORG, user
from tests.web.seeding import SeededOrg

from teamweave.moments import service
from teamweave.moments.models import CelebrationPreference, Moment
from teamweave.privacy.erasure import erase_person
from teamweave.store.events import EventStore


def _count(session: Session, table: type[Moment] | type[CelebrationPreference]) -> int:
    return int(session.execute(select(func.count()).select_from(table)).scalar_one())


@pytest.mark.parametrize("erased", ["alice", "bob"])
def test_erasing_either_side_of_a_milestone_removes_it(
    session: Session, seeded: SeededOrg, tmp_path: Path, erased: str
) -> None:
    alice, bob = user(session, seeded, "alice"), user(session, seeded, "bob")
    service.add_moment(
        session,
        org=ORG,
        entered_by=bob,
        kind="milestone",
        title="Promoted",
        day=date(2027, 1, 5),
        person_id=seeded.people["alice"],
    )
    service.set_hide_anniversary(session, org=ORG, viewer=alice if erased == "alice" else bob, hide=True)
    session.commit()
    assert (_count(session, Moment), _count(session, CelebrationPreference)) == (1, 1)
    erase_person(session, org=ORG, email=f"{erased}@example.org", events=EventStore(tmp_path / "events"))
    session.commit()
    session.expire_all()
    assert (_count(session, Moment), _count(session, CelebrationPreference)) == (0, 0)


def test_the_person_export_lists_their_moments(session: Session, seeded: SeededOrg) -> None:
    bob = user(session, seeded, "bob")
    service.add_moment(
        session,
        org=ORG,
        entered_by=bob,
        kind="milestone",
        title="Promoted",
        day=date(2027, 1, 5),
        person_id=seeded.people["alice"],
    )
    service.set_hide_anniversary(session, org=ORG, viewer=bob, hide=True)
    assert service.export_of_person(session, org=ORG, person_id=seeded.people["alice"]) == {
        "hide_anniversary": False,
        "moments": [{"kind": "milestone", "title": "Promoted", "day": "2027-01-05", "about_you": True}],
    }
    bobs = service.export_of_person(session, org=ORG, person_id=seeded.people["bob"])
    assert bobs["hide_anniversary"] is True
    assert bobs["moments"] == [{"kind": "milestone", "title": "Promoted", "day": "2027-01-05", "about_you": False}]
