"""Who sees what, on SQLite and PostgreSQL: the report their own, the manager their own reports, others
only k-guarded team aggregates; every view by someone else is in the audit log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.checkins.conftest import user
from tests.web.seeding import SeededOrg

from teamweave.audit.models import AuditEntry
from teamweave.checkins import service
from teamweave.errors import Forbidden, InputFormatError
from teamweave.people.models import Person

ORG = "default"
DAY = date(2026, 11, 2)
TODAY = date(2026, 11, 23)
K = 5


def _check_in(session: Session, seeded: SeededOrg, name: str, answers: list[int], day: date = DAY) -> None:
    service.submit_checkin(
        session,
        org=ORG,
        viewer=user(session, seeded, name),
        answers=answers,
        how_are_you=f"private words of {name}",
        connection="Bob",
        day=day,
    )


def _audit(session: Session, action: str) -> list[tuple[str, str, str]]:
    rows = session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id))
    return [(row.viewer_role, row.subject_kind, row.subject_id) for row in rows]


def test_the_report_sees_their_own_answers_and_trend(session: Session, seeded: SeededOrg) -> None:
    _check_in(session, seeded, "alice", [4, 4, 4, 4, 4])
    _check_in(session, seeded, "alice", [3, 3, 2, 3, 2], day=DAY + timedelta(days=14))
    views = service.my_checkins(session, org=ORG, viewer=user(session, seeded, "alice"))
    assert [v.who5.score for v in views] == [80, 52]
    assert views[1].who5.change == -28
    assert views[1].who5.drop
    assert not views[1].who5.low
    assert views[0].how_are_you == "private words of alice"
    assert views[0].answers == (4, 4, 4, 4, 4)
    assert _audit(session, "view_checkins") == []  # the subject viewing themselves is not audited


def test_the_manager_sees_the_pair_and_the_view_is_audited(session: Session, seeded: SeededOrg) -> None:
    _check_in(session, seeded, "alice", [2, 2, 2, 2, 2])
    status = service.report_status(
        session, org=ORG, viewer=user(session, seeded, "mia"), report_id=seeded.people["alice"], today=TODAY
    )
    assert status.latest is not None
    assert status.latest.who5.score == 40
    assert status.latest.who5.low
    assert status.latest.how_are_you == "private words of alice"
    assert _audit(session, "view_checkins") == [("manager", "person", str(seeded.people["alice"]))]


@pytest.mark.parametrize(
    ("viewer", "report"),
    [("dan", "alice"), ("mia", "quinn"), ("pat", "alice"), ("root", "alice"), ("alice", "bob"), ("bob", "alice")],
)
def test_nobody_else_reads_a_report(session: Session, seeded: SeededOrg, viewer: str, report: str) -> None:
    _check_in(session, seeded, report, [1, 1, 1, 1, 1])
    with pytest.raises(Forbidden):
        service.report_status(
            session, org=ORG, viewer=user(session, seeded, viewer), report_id=seeded.people[report], today=TODAY
        )
    with pytest.raises(Forbidden):
        service.log_one_on_one(
            session, org=ORG, viewer=user(session, seeded, viewer), report_id=seeded.people[report], day=TODAY
        )
    assert _audit(session, "view_checkins") == []


def test_another_manager_sees_none_of_the_pair_after_a_move(session: Session, seeded: SeededOrg) -> None:
    _check_in(session, seeded, "alice", [4, 4, 4, 4, 4])
    alice = session.get(Person, seeded.people["alice"])
    assert alice is not None
    alice.manager_id = seeded.people["dan"]
    session.flush()
    mia, dan = user(session, seeded, "mia"), user(session, seeded, "dan")
    with pytest.raises(Forbidden):
        service.report_status(session, org=ORG, viewer=mia, report_id=alice.id, today=TODAY)
    status = service.report_status(session, org=ORG, viewer=dan, report_id=alice.id, today=TODAY)
    assert status.checkins == []  # the answers stay with the pair they were given to


def test_a_people_admin_gets_only_the_k_guarded_aggregate(session: Session, seeded: SeededOrg) -> None:
    pat = user(session, seeded, "pat")
    platform = seeded.teams["Platform"]
    for name in ("alice", "bob", "carol", "dave"):
        _check_in(session, seeded, name, [2, 2, 2, 2, 2])
    few = service.team_wellbeing(session, org=ORG, viewer=pat, team_id=platform, k=K)
    assert few.too_few
    assert (few.mean_score, few.low_share, few.people) == (None, None, 0)
    for name, answers in (("erin", [5, 5, 5, 5, 5]), ("frank", [4, 4, 4, 4, 4])):
        _check_in(session, seeded, name, answers)
    _check_in(session, seeded, "alice", [3, 3, 3, 3, 3], day=DAY + timedelta(days=14))  # only the latest counts
    enough = service.team_wellbeing(session, org=ORG, viewer=pat, team_id=platform, k=K)
    assert not enough.too_few
    assert enough.people == 6
    assert enough.mean_score == pytest.approx((60 + 40 + 40 + 40 + 100 + 80) / 6)
    assert enough.low_share == pytest.approx(3 / 6)
    assert _audit(session, "view_team_wellbeing") == [("people-admin", "team", str(platform))] * 2


def test_members_get_no_team_aggregate(session: Session, seeded: SeededOrg) -> None:
    with pytest.raises(Forbidden):
        service.team_wellbeing(
            session, org=ORG, viewer=user(session, seeded, "alice"), team_id=seeded.teams["Platform"], k=K
        )


def test_the_overview_lists_own_reports_with_overdue_pairs(session: Session, seeded: SeededOrg) -> None:
    mia = user(session, seeded, "mia")
    alice, bob = seeded.people["alice"], seeded.people["bob"]
    service.log_one_on_one(session, org=ORG, viewer=mia, report_id=alice, day=TODAY - timedelta(days=3))
    service.log_one_on_one(session, org=ORG, viewer=mia, report_id=alice, day=TODAY - timedelta(days=3))  # no-op
    service.log_one_on_one(session, org=ORG, viewer=mia, report_id=bob, day=TODAY - timedelta(days=10))
    service.set_cadence(session, org=ORG, viewer=mia, report_id=bob, every_days=7)
    statuses = {s.report_id: s for s in service.reports_overview(session, org=ORG, viewer=mia, today=TODAY)}
    assert set(statuses) == {
        seeded.people[n] for n in ("alice", "bob", "carol", "dave", "erin", "frank", "gina", "uma", "vic")
    }
    assert not statuses[alice].overdue
    assert statuses[alice].every_days == 14
    assert statuses[bob].overdue
    assert statuses[bob].every_days == 7
    assert statuses[seeded.people["carol"]].overdue  # never held
    assert len(_audit(session, "view_checkins")) == 9


def test_bad_cadence_and_a_person_without_manager(session: Session, seeded: SeededOrg) -> None:
    mia = user(session, seeded, "mia")
    with pytest.raises(InputFormatError):
        service.set_cadence(session, org=ORG, viewer=mia, report_id=seeded.people["alice"], every_days=0)
    with pytest.raises(InputFormatError):
        _check_in(session, seeded, "mia", [3, 3, 3, 3, 3])  # Mia has no manager
    with pytest.raises(Forbidden):
        service.my_checkins(session, org=ORG, viewer=user(session, seeded, "root"))


def test_a_check_in_recorded_for_a_person_is_theirs_and_needs_a_manager(session: Session, seeded: SeededOrg) -> None:
    """``record_checkin`` (how the demo fills its organisation) stores answers only, for the person's pair with
    their manager, exactly as if they had submitted it; without a manager there is no pair."""
    row = service.record_checkin(session, org=ORG, person_id=seeded.people["alice"], answers=[1, 2, 3, 4, 5], day=DAY)
    alice = session.get(Person, seeded.people["alice"])
    assert alice is not None
    assert (row.report_id, row.manager_id, row.how_are_you, row.connection) == (alice.id, alice.manager_id, "", "")
    views = service.my_checkins(session, org=ORG, viewer=user(session, seeded, "alice"))
    assert [(v.day, v.answers, v.who5.score) for v in views] == [(DAY, (1, 2, 3, 4, 5), 60)]
    with pytest.raises(InputFormatError):
        service.record_checkin(session, org=ORG, person_id=seeded.people["alice"], answers=[9, 0, 0, 0, 0], day=DAY)
    alice.manager_id = None
    session.flush()
    with pytest.raises(InputFormatError, match="no manager"):
        service.record_checkin(session, org=ORG, person_id=seeded.people["alice"], answers=[3] * 5, day=DAY)
