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
    give(session, seeded, events, pseudonymiser, "alice", to="bob")
    give(session, seeded, events, pseudonymiser, "tess", to="carol", now=NOW - timedelta(weeks=9))  # too long ago
    give(session, seeded, events, pseudonymiser, "tess", to="dave", public=False)  # private: not mia's business
    give(session, seeded, events, pseudonymiser, "mia", to="erin", public=False)  # private, but mia gave it
    give(session, seeded, events, pseudonymiser, "alice", team="Tiny")
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
    give(session, seeded, events, pseudonymiser, "alice", to="bob")
    give(session, seeded, events, pseudonymiser, "tess", to="bob")
    give(session, seeded, events, pseudonymiser, "bob", to="carol", public=False)  # private: not counted
    give(session, seeded, events, pseudonymiser, "mia", team="Tiny")
    result = equity.distribution(session, org="default", viewer=user(session, seeded, "pat"), now=NOW, weeks=8, k=5)
    teams = {g.name: (g.too_few, g.people, g.recognised_share, g.recognitions) for g in result.teams}
    assert teams == {
        "Data": (False, 6, 0.0, 0),
        "Platform": (False, 8, 1 / 8, 2),
        "Tiny": (True, None, None, None),  # 2 people, both recognised: never shown
    }
    sites = {g.name: (g.too_few, g.people, g.recognitions) for g in result.sites}
    assert sites == {"Austin": (True, None, None), "Lisbon": (False, 14, 4)}
    assert session.scalars(select(AuditEntry.action).where(AuditEntry.subject_kind == "org")).all() == [
        "view_recognition_distribution"
    ]


def test_distribution_is_not_for_members(session: Session, seeded: SeededOrg) -> None:
    with pytest.raises(Forbidden):
        equity.distribution(session, org="default", viewer=user(session, seeded, "alice"), now=NOW, weeks=8, k=5)


def test_my_giving_counts_per_week(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    give(session, seeded, events, pseudonymiser, "mia", to="bob")
    give(session, seeded, events, pseudonymiser, "mia", to="carol", public=False)
    give(session, seeded, events, pseudonymiser, "mia", to="dave", now=NOW - timedelta(weeks=2))
    give(session, seeded, events, pseudonymiser, "mia", to="erin", now=NOW - timedelta(weeks=30))
    giving = equity.my_giving(session, org="default", viewer=user(session, seeded, "mia"), today=NOW.date())
    assert len(giving.weeks) == equity.GIVING_WEEKS
    assert giving.weeks[-1].week == date(2026, 11, 23)
    assert [w.count for w in giving.weeks][-3:] == [1, 0, 2]
    assert giving.total == 4


def test_the_weekly_nudge_goes_to_managers_with_unrecognised_reports_once(
    session: Session, seeded: SeededOrg, events: EventStore, pseudonymiser: Pseudonymiser
) -> None:
    settings = Settings(env="test", _env_file=None)  # type: ignore[call-arg]
    give(session, seeded, events, pseudonymiser, "pat", team="Data")  # every one of Dan's reports but Pat
    give(session, seeded, events, pseudonymiser, "dan", to="pat")
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
