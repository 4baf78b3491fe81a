"""The calendar, entered moments, a person's own choices and audit entries, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.moments.conftest import ORG, user
from tests.web.seeding import SeededOrg

from teamweave.audit.models import AuditEntry
from teamweave.errors import Forbidden, InputFormatError, NotFound
from teamweave.moments import service

WEEK = date(2027, 1, 4)  # Monday; Sunday 2027-01-10 is the fifth anniversary of most people


def _kinds(items: list[service.Celebration]) -> list[tuple[str, str | None]]:
    return [(c.kind, c.person_name or c.team_name) for c in items]


def test_team_anniversaries_come_from_start_dates(session: Session, seeded: SeededOrg) -> None:
    items = service.upcoming(session, org=ORG, first=WEEK, days=7, team_id=seeded.teams["Platform"])
    names = sorted(c.person_name or "" for c in items)
    assert names == ["Alice", "Bob", "Carol", "Dave", "Gina", "Mia"]  # Erin and Frank joined in 2026
    assert {(c.kind, c.day, c.years) for c in items} == {("anniversary", date(2027, 1, 10), 5)}
    assert service.upcoming(session, org=ORG, first=WEEK, days=6, team_id=seeded.teams["Platform"]) == []


def test_birthdays_only_of_people_who_opted_in(session: Session, seeded: SeededOrg) -> None:
    alice = user(session, seeded, "alice")
    service.set_my_birthday(session, org=ORG, viewer=alice, month=1, day=6)
    items = service.upcoming(session, org=ORG, first=WEEK, days=7)
    assert [c.person_name for c in items if c.kind == "birthday"] == ["Alice"]
    assert service.my_settings(session, org=ORG, viewer=alice).birthday_day == 6
    service.clear_my_birthday(session, org=ORG, viewer=alice)
    assert [c for c in service.upcoming(session, org=ORG, first=WEEK, days=7) if c.kind == "birthday"] == []
    assert service.my_settings(session, org=ORG, viewer=alice).birthday_month is None


def test_a_person_can_hide_their_anniversary(session: Session, seeded: SeededOrg) -> None:
    bob = user(session, seeded, "bob")
    service.set_hide_anniversary(session, org=ORG, viewer=bob, hide=True)
    names = [c.person_name for c in service.upcoming(session, org=ORG, first=WEEK, days=7)]
    assert "Bob" not in names
    assert "Alice" in names
    assert service.my_settings(session, org=ORG, viewer=bob).hide_anniversary
    service.set_hide_anniversary(session, org=ORG, viewer=bob, hide=False)
    assert "Bob" in [c.person_name for c in service.upcoming(session, org=ORG, first=WEEK, days=7)]


def test_anyone_enters_a_milestone_and_the_person_it_is_about_can_delete_it(
    session: Session, seeded: SeededOrg
) -> None:
    bob, alice, carol = (user(session, seeded, n) for n in ("bob", "alice", "carol"))
    moment = service.add_moment(
        session,
        org=ORG,
        entered_by=bob,
        kind="milestone",
        title="  First   release ",
        day=date(2027, 1, 5),
        person_id=seeded.people["alice"],
    )
    assert moment.title == "First release"
    assert moment.entered_by_id == seeded.people["bob"]
    items = service.upcoming(session, org=ORG, first=WEEK, days=7, team_id=seeded.teams["Platform"])
    assert ("milestone", "Alice") in _kinds(items)
    with pytest.raises(Forbidden):
        service.delete_moment(session, org=ORG, viewer=carol, moment_id=moment.id)
    service.delete_moment(session, org=ORG, viewer=alice, moment_id=moment.id)
    with pytest.raises(NotFound):
        service.delete_moment(session, org=ORG, viewer=alice, moment_id=moment.id)


def test_who_entered_it_and_people_admins_may_delete(session: Session, seeded: SeededOrg) -> None:
    bob, pat = user(session, seeded, "bob"), user(session, seeded, "pat")
    for viewer in (bob, pat):
        moment = service.add_moment(
            session,
            org=ORG,
            entered_by=bob,
            kind="achievement",
            title="99.99% uptime",
            day=WEEK,
            team_id=seeded.teams["Data"],
        )
        service.delete_moment(session, org=ORG, viewer=viewer, moment_id=moment.id)


def test_team_achievements_belong_to_their_team(session: Session, seeded: SeededOrg) -> None:
    service.add_moment(
        session,
        org=ORG,
        entered_by=None,
        kind="achievement",
        title="Launched v2",
        day=date(2027, 1, 8),
        team_id=seeded.teams["Data"],
    )
    data = service.upcoming(session, org=ORG, first=WEEK, days=7, team_id=seeded.teams["Data"])
    assert ("achievement", "Data") in _kinds(data)
    platform = service.upcoming(session, org=ORG, first=WEEK, days=7, team_id=seeded.teams["Platform"])
    assert ("achievement", "Data") not in _kinds(platform)


@pytest.mark.parametrize(
    ("kind", "title", "person", "team", "field"),
    [
        ("milestone", "x", None, "Data", "person_id"),
        ("achievement", "x", "alice", None, "team_id"),
        ("party", "x", "alice", None, "kind"),
        ("milestone", "   ", "alice", None, "title"),
        ("milestone", "x" * 201, "alice", None, "title"),
    ],
)
def test_bad_moments_are_refused_with_their_field(
    session: Session, seeded: SeededOrg, kind: str, title: str, person: str | None, team: str | None, field: str
) -> None:
    with pytest.raises(InputFormatError) as caught:
        service.add_moment(
            session,
            org=ORG,
            entered_by=None,
            kind=kind,
            title=title,
            day=WEEK,
            person_id=seeded.people[person] if person else None,
            team_id=seeded.teams[team] if team else None,
        )
    assert caught.value.field == field


def test_each_list_shown_is_audited_once(session: Session, seeded: SeededOrg) -> None:
    alice = user(session, seeded, "alice")
    service.team_celebrations(
        session, org=ORG, viewer=alice, team_id=seeded.teams["Platform"], first=WEEK, days=7, path="/celebrations"
    )
    service.org_celebrations(session, org=ORG, viewer=alice, first=WEEK, days=7, path="/celebrations")
    service.org_celebrations(session, org=ORG, viewer=None, first=WEEK, days=7)
    rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(r.action, r.subject_kind, r.subject_id, r.viewer_user_id) for r in rows] == [
        ("view_celebrations", "team", str(seeded.teams["Platform"]), alice.id),
        ("view_celebrations", "org", ORG, alice.id),
        ("view_celebrations", "org", ORG, None),
    ]


def test_the_team_digest_covers_the_iso_week(session: Session, seeded: SeededOrg) -> None:
    service.add_moment(
        session,
        org=ORG,
        entered_by=None,
        kind="milestone",
        title="Promoted",
        day=date(2027, 1, 11),
        person_id=seeded.people["alice"],
    )
    made = service.team_digest(session, org=ORG, team_id=seeded.teams["Platform"], week_of=date(2027, 1, 7))
    assert made.week_start == WEEK
    assert [s.title for s in made.sections] == ["Work anniversaries"]  # the milestone is next week
    assert len(made.sections[0].lines) == 6


def test_a_login_without_a_person_has_no_own_settings(session: Session, seeded: SeededOrg) -> None:
    root = user(session, seeded, "root")
    with pytest.raises(Forbidden):
        service.my_settings(session, org=ORG, viewer=root)
    with pytest.raises(Forbidden):
        service.set_my_birthday(session, org=ORG, viewer=root, month=1, day=1)


def test_a_window_is_bounded(session: Session, seeded: SeededOrg) -> None:
    with pytest.raises(InputFormatError):
        service.upcoming(session, org=ORG, first=WEEK, days=0)
    with pytest.raises(InputFormatError):
        service.upcoming(session, org=ORG, first=WEEK, days=367)


def test_a_portfolio_viewer_is_shown_no_celebration_list(session: Session, seeded: SeededOrg) -> None:
    port = user(session, seeded, "port")
    with pytest.raises(Forbidden):
        service.org_celebrations(session, org=ORG, viewer=port, first=WEEK, days=7)
    with pytest.raises(Forbidden):
        service.team_celebrations(session, org=ORG, viewer=port, team_id=seeded.teams["Platform"], first=WEEK, days=7)
    assert session.scalars(select(AuditEntry)).all() == []
