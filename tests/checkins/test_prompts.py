"""Coaching prompts: the question bank always; the report's own signals only with their consent, each explained."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from tests.checkins.conftest import user
from tests.web.seeding import LATEST_MONTH, SeededOrg

from teamweave.audit.models import AuditEntry
from teamweave.checkins import prompts, service
from teamweave.checkins.question_bank import BANK, KINDS, questions_for
from teamweave.errors import Forbidden
from teamweave.network.models import PersonMetric
from teamweave.people.models import Person

ORG = "default"
TODAY = date(2026, 11, 23)


def _signals_audited(session: Session) -> int:
    return len(list(session.scalars(select(AuditEntry).where(AuditEntry.action == "view_coaching_signals"))))


def _prompts(session: Session, seeded: SeededOrg) -> list[prompts.CoachingPrompt]:
    return prompts.coaching_prompts(
        session, org=ORG, viewer=user(session, seeded, "mia"), report_id=seeded.people["alice"], today=TODAY
    )


def _falling_and_busy(session: Session, seeded: SeededOrg) -> None:
    alice = user(session, seeded, "alice")
    service.submit_checkin(session, org=ORG, viewer=alice, answers=[4, 4, 4, 4, 4], day=date(2026, 11, 2))
    service.submit_checkin(session, org=ORG, viewer=alice, answers=[2, 2, 3, 2, 2], day=date(2026, 11, 16))
    session.execute(
        update(PersonMetric)
        .where(PersonMetric.pseudonym == "ps-alice", PersonMetric.period == "month")
        .where(PersonMetric.window_start == LATEST_MONTH)
        .values(after_hours_share=0.4)
    )


def test_without_consent_only_the_question_bank(session: Session, seeded: SeededOrg) -> None:
    _falling_and_busy(session, seeded)
    shown = _prompts(session, seeded)
    assert [p.source for p in shown] == ["bank", "bank"]
    assert all("question bank" in p.why and "not shared" in p.why for p in shown)
    assert _signals_audited(session) == 0


def test_with_consent_the_signals_shape_prompts_and_say_why(session: Session, seeded: SeededOrg) -> None:
    _falling_and_busy(session, seeded)
    prompts.set_consent(session, org=ORG, viewer=user(session, seeded, "alice"), allow=True)
    shown = _prompts(session, seeded)
    whys = [p.why for p in shown if p.source == "signal"]
    assert whys == [
        "Their WHO-5 fell from 80 to 44: a fall of 10 points or more is meaningful.",
        "Their latest WHO-5 is 44: 50 or less suggests a closer conversation.",
        "Last month 40% of their interactions were outside working hours, up 28 points from the month before.",
        "3 of your last 3 cycles of 14 days had no 1:1.",
    ]
    assert [p.source for p in shown][-2:] == ["bank", "bank"]
    assert _signals_audited(session) == 1
    prompts.set_consent(session, org=ORG, viewer=user(session, seeded, "alice"), allow=False)
    assert [p.source for p in _prompts(session, seeded)] == ["bank", "bank"]
    assert not prompts.has_consent(session, org=ORG, manager_id=seeded.people["mia"], report_id=seeded.people["alice"])


def _move_alice_to_dan(session: Session, seeded: SeededOrg) -> None:
    session.execute(update(Person).where(Person.id == seeded.people["alice"]).values(manager_id=seeded.people["dan"]))
    session.expire_all()


def test_consent_does_not_follow_the_report_to_a_new_manager(session: Session, seeded: SeededOrg) -> None:
    _falling_and_busy(session, seeded)
    alice = user(session, seeded, "alice")
    prompts.set_consent(session, org=ORG, viewer=alice, allow=True)
    _move_alice_to_dan(session, seeded)
    dan = user(session, seeded, "dan")
    alice_id = seeded.people["alice"]
    shown = prompts.coaching_prompts(session, org=ORG, viewer=dan, report_id=alice_id, today=TODAY)
    assert [p.source for p in shown] == ["bank", "bank"]
    assert all("not shared" in p.why for p in shown)
    assert not prompts.my_consent(session, org=ORG, viewer=alice)
    assert _signals_audited(session) == 0
    prompts.set_consent(session, org=ORG, viewer=alice, allow=True)  # now she gives it to Dan
    shown = prompts.coaching_prompts(session, org=ORG, viewer=dan, report_id=alice_id, today=TODAY)
    assert "signal" in [p.source for p in shown]
    assert prompts.has_consent(session, org=ORG, manager_id=seeded.people["dan"], report_id=alice_id)


def test_withdrawing_removes_consent_to_former_managers_too(session: Session, seeded: SeededOrg) -> None:
    alice = user(session, seeded, "alice")
    prompts.set_consent(session, org=ORG, viewer=alice, allow=True)
    _move_alice_to_dan(session, seeded)
    prompts.set_consent(session, org=ORG, viewer=alice, allow=False)
    mia, alice_id = seeded.people["mia"], seeded.people["alice"]
    assert not prompts.has_consent(session, org=ORG, manager_id=mia, report_id=alice_id)


def test_no_signal_prompt_when_all_is_well(session: Session, seeded: SeededOrg) -> None:
    alice, mia = user(session, seeded, "alice"), user(session, seeded, "mia")
    prompts.set_consent(session, org=ORG, viewer=alice, allow=True)
    service.submit_checkin(session, org=ORG, viewer=alice, answers=[4, 4, 4, 4, 4], day=date(2026, 11, 16))
    for day in (date(2026, 10, 26), date(2026, 11, 9), date(2026, 11, 20)):
        service.log_one_on_one(session, org=ORG, viewer=mia, report_id=seeded.people["alice"], day=day)
    assert [p.source for p in _prompts(session, seeded)] == ["bank", "bank"]


@pytest.mark.parametrize("viewer", ["alice", "dan", "bob", "root"])
def test_prompts_are_for_the_manager_of_the_pair_only(session: Session, seeded: SeededOrg, viewer: str) -> None:
    with pytest.raises(Forbidden):
        prompts.coaching_prompts(
            session, org=ORG, viewer=user(session, seeded, viewer), report_id=seeded.people["alice"], today=TODAY
        )


def test_the_bank_has_sources_and_rotates_weekly() -> None:
    assert all(q.source and q.kind in KINDS for q in BANK)
    weeks = {tuple(q.text for q in questions_for(date(2026, 11, 2 + 7 * w))) for w in range(3)}
    assert len(weeks) == 3
    assert questions_for(TODAY, seed=1) != questions_for(TODAY, seed=2)
