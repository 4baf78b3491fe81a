"""Check-in rows go with the person: erasing either side of a pair removes the pair's rows (FK cascade)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.checkins.conftest import user
from tests.web.seeding import SeededOrg

from teamweave.checkins import notes, prompts, scheduling, service
from teamweave.checkins.models import (
    ActionItem,
    CheckinPair,
    CheckinResponse,
    CoachingConsent,
    HeldOneOnOne,
    PairNote,
    ScheduledOneOnOne,
)
from teamweave.privacy.erasure import erase_person
from teamweave.store.events import EventStore

DAY = date(2026, 11, 2)


TABLES = (CheckinResponse, HeldOneOnOne, CheckinPair, CoachingConsent, PairNote, ActionItem, ScheduledOneOnOne)


def _counts(session: Session) -> list[int]:
    return [int(session.execute(select(func.count()).select_from(table)).scalar_one()) for table in TABLES]


@pytest.mark.parametrize("erased", ["alice", "mia"])
def test_erasing_a_person_removes_their_checkins(
    session: Session, seeded: SeededOrg, tmp_path: Path, erased: str
) -> None:
    alice, mia = user(session, seeded, "alice"), user(session, seeded, "mia")
    service.submit_checkin(session, org="default", viewer=alice, answers=[3, 3, 3, 3, 3], how_are_you="ok", day=DAY)
    service.log_one_on_one(session, org="default", viewer=mia, report_id=seeded.people["alice"], day=DAY)
    service.set_cadence(session, org="default", viewer=mia, report_id=seeded.people["alice"], every_days=7)
    prompts.set_consent(session, org="default", viewer=alice, allow=True)
    notes.add_note(session, org="default", viewer=alice, report_id=None, text="my note", day=DAY)
    notes.add_note(session, org="default", viewer=mia, report_id=seeded.people["alice"], text="her note", day=DAY)
    notes.add_item(
        session, org="default", viewer=mia, report_id=seeded.people["alice"], owner="manager", text="do", day=DAY
    )
    scheduling.schedule_one_on_one(
        session, org="default", viewer=mia, report_id=seeded.people["alice"], local_start=datetime(2026, 12, 1, 10),
        minutes=30,
    )  # fmt: skip
    session.commit()
    assert _counts(session) == [1, 1, 1, 1, 2, 1, 1]
    erase_person(session, org="default", email=f"{erased}@example.org", events=EventStore(tmp_path / "events"))
    session.commit()
    session.expire_all()
    assert _counts(session) == [0, 0, 0, 0, 0, 0, 0]  # the consent was given to Mia: it goes with either of them
