"""Recognition equity: a manager's nudge about their own reports only, distribution over groups of >= k people,
one's own giving, and the weekly nudge through the outbox."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.recognition.conftest import NOW, give, user
from tests.web.seeding import SeededOrg

from teamweave.audit.models import AuditEntry
from teamweave.config import Settings
from teamweave.errors import Forbidden
from teamweave.notify.models import OutboxMessage
from teamweave.people.models import Person, Site
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.recognition import equity, reminders
from teamweave.store.events import EventStore

PLATFORM_REPORTS = ["Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Gina", "Uma", "Vic"]


def _unrecognised(session: Session, seeded: SeededOrg, manager: str) -> list[str]:
    rows = equity.reports_recognition(
        session, org="default", viewer=user(session, seeded, manager), now=NOW, weeks=8, path="/recognition/equity"
    )
    return [r.name for r in rows if not r.recognised_lately]


def test_a_manager_sees_which_of_their_own_reports_were_not_recognised_lately(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    assert _unrecognised(session, seeded, "mia") == PLATFORM_REPORTS
    give(session, seeded, "alice", to="bob")
    give(session, seeded, "tess", to="carol", now=NOW - timedelta(weeks=9))  # too long ago
    give(session, seeded, "tess", to="dave", public=False)  # private: not mia's business
    give(session, seeded, "mia", to="erin", public=False)  # private, but mia gave it
    give(session, seeded, "alice", team="Tiny")
    assert _unrecognised(session, seeded, "mia") == ["Alice", "Carol", "Dave", "Frank", "Gina"]
    assert _unrecognised(session, seeded, "dan") == ["Pat", "Quinn", "Rosa", "Sam", "Tess"]
    audited = session.scalars(select(AuditEntry).where(AuditEntry.action == "view_recognition_equity")).all()
    assert {a.subject_id for a in audited} >= {str(seeded.people["bob"]), str(seeded.people["pat"])}
    assert all(a.subject_kind == "person" for a in audited)


def test_a_member_has_no_reports_to_see(session: Session, seeded: SeededOrg) -> None:
    assert _unrecognised(session, seeded, "alice") == []
    with pytest.raises(Forbidden):
        equity.reports_recognition(session, org="default", viewer=user(session, seeded, "root"), now=NOW, weeks=8)


def test_distribution_shows_only_groups_of_at_least_k(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    give(session, seeded, "alice", to="bob")
    give(session, seeded, "tess", to="bob")
    give(session, seeded, "bob", to="carol", public=False)  # private: not counted
    give(session, seeded, "mia", team="Tiny")
    result = equity.distribution(session, org="default", viewer=user(session, seeded, "pat"), now=NOW, weeks=8, k=5)
    teams = {g.name: (g.too_few, g.people, g.recognised_share, g.recognitions) for g in result.teams}
    assert teams == {
        "Data": (False, 6, 0.0, 0),
        # 8 people, but 2 of them (Austin) are all that Platform has beyond Lisbon: Lisbon minus Data minus
        # Platform would be about those 2 (and Tiny), so Platform is hidden too
        "Platform": (True, None, None, None),
        "Tiny": (True, None, None, None),  # 2 people, both recognised: never shown
    }
    sites = {g.name: (g.too_few, g.people, g.recognitions) for g in result.sites}
    assert sites == {"Austin": (True, None, None), "Lisbon": (False, 14, 4)}
    assert session.scalars(select(AuditEntry.action).where(AuditEntry.subject_kind == "org")).all() == [
        "view_recognition_distribution"
    ]


def test_a_team_inside_a_site_one_person_larger_is_hidden(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    """Data (5 people once Tess moves to Tiny) lies wholly in Porto with Alice: Porto minus Data is Alice."""
    porto = Site(org="default", name="Porto", timezone="Europe/Lisbon")
    session.add(porto)
    session.flush()
    session.get_one(Person, seeded.people["tess"]).team_id = seeded.teams["Tiny"]
    for name in ("alice", "dan", "pat", "quinn", "rosa", "sam"):
        session.get_one(Person, seeded.people[name]).site_id = porto.id
    session.flush()
    give(session, seeded, "bob", to="alice")
    result = equity.distribution(session, org="default", viewer=user(session, seeded, "pat"), now=NOW, weeks=8, k=5)
    teams = {g.name: (g.too_few, g.people, g.recognitions) for g in result.teams}
    sites = {g.name: (g.too_few, g.people, g.recognitions) for g in result.sites}
    assert sites["Porto"] == (False, 6, 1)
    assert teams["Data"] == (True, None, None)  # shown, it would give Alice's count away by subtraction
    assert sites["Lisbon"] == (False, 8, 0)
    assert teams["Platform"] == (True, None, None)  # 2 people (Austin) beyond Lisbon


def test_groups_differing_by_k_or_more_are_both_shown() -> None:
    team = frozenset(range(5))
    assert (
        equity.complementary_suppression({("team", "A"): team, ("site", "S"): team | set(range(10, 15))}, k=5) == set()
    )
    assert equity.complementary_suppression({("team", "A"): team, ("site", "S"): team}, k=5) == set()  # the same people
    assert equity.complementary_suppression({("team", "A"): team, ("site", "S"): team | {9}}, k=5) == {("team", "A")}
    assert equity.complementary_suppression({("team", "A"): team, ("site", "S"): frozenset({1, 2})}, k=5) == {
        ("site", "S")
    }


def test_a_site_of_shown_teams_and_one_small_hidden_team_hides_one_of_the_teams() -> None:
    a, b, tiny = frozenset(range(5)), frozenset(range(5, 10)), frozenset({10, 11})
    groups = {("team", "A"): a, ("team", "B"): b, ("team", "Tiny"): tiny, ("site", "S"): a | b | tiny}
    # shown, S minus A minus B would be the two people of Tiny
    assert equity.complementary_suppression(groups, k=5) == {("team", "Tiny"), ("team", "B")}
    groups[("team", "C")] = frozenset(range(20, 25))
    groups[("site", "S")] = a | b | tiny | groups[("team", "C")]  # of the three teams of 5, the last goes
    assert equity.complementary_suppression(groups, k=5) == {("team", "Tiny"), ("team", "C")}


def test_distribution_is_not_for_members(session: Session, seeded: SeededOrg) -> None:
    with pytest.raises(Forbidden):
        equity.distribution(session, org="default", viewer=user(session, seeded, "alice"), now=NOW, weeks=8, k=5)


def test_my_giving_counts_per_week(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    give(session, seeded, "mia", to="bob")
    give(session, seeded, "mia", to="carol", public=False)
    give(session, seeded, "mia", to="dave", now=NOW - timedelta(weeks=2))
    give(session, seeded, "mia", to="erin", now=NOW - timedelta(weeks=30))
    giving = equity.my_giving(session, org="default", viewer=user(session, seeded, "mia"), today=NOW.date())
    assert len(giving.weeks) == equity.GIVING_WEEKS
    assert giving.weeks[-1].week == date(2026, 11, 23)
    assert [w.count for w in giving.weeks][-3:] == [1, 0, 2]
    assert giving.total == 4


def test_the_weekly_nudge_goes_to_managers_with_unrecognised_reports_once(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    settings = Settings(env="test", _env_file=None)  # type: ignore[call-arg]
    give(session, seeded, "pat", team="Data")  # every one of Dan's reports but Pat
    give(session, seeded, "dan", to="pat")
    session.flush()
    today = NOW.date()
    assert reminders.queue_reminders(session, org="default", today=today, settings=settings) == 1
    assert reminders.queue_reminders(session, org="default", today=today + timedelta(days=1), settings=settings) == 0
    nudges = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "recognition_nudge")).all()
    assert [(n.recipient_id, n.subject) for n in nudges] == [
        (seeded.people["mia"], "9 of your reports have not been recognised in 8 weeks")
    ]
    assert "Alice" not in nudges[0].text  # names only on the audited equity page
    assert nudges[0].link == "http://127.0.0.1:8000/recognition/equity"
    assert reminders.queue_reminders(session, org="default", today=today + timedelta(weeks=1), settings=settings) == 1
