"""queue_reminders against the real notify outbox: manager reminders ahead of time, one digest per member per
ISO week, one channel post per team per week, nothing twice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.moments.conftest import ORG, user
from tests.web.seeding import SeededOrg

from teamweave.audit import service as audit
from teamweave.audit.models import AuditEntry
from teamweave.config import Settings
from teamweave.moments import digest, service
from teamweave.moments.reminders import DIGEST_AUDIT, REMINDER_AUDIT, queue_reminders
from teamweave.moments.schemas import DigestSection
from teamweave.notify import service as notify
from teamweave.notify.models import OutboxMessage

THURSDAY = date(2027, 1, 7)  # three days before Sunday 2027-01-10, the fifth anniversary of most people


def _settings(tmp_path: Path, days: int = 3) -> Settings:
    return Settings(  # type: ignore[call-arg]
        env="test",
        data_dir=tmp_path,
        public_url="https://tw.example/",
        celebration_reminder_days=days,
        _env_file=None,
    )


def _rows(session: Session, kind: str) -> list[OutboxMessage]:
    return list(session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)))


def test_managers_are_reminded_ahead_and_teams_get_one_digest_a_week(
    session: Session, seeded: SeededOrg, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    count = queue_reminders(session, org=ORG, today=THURSDAY, settings=settings)
    reminders = _rows(session, "celebration_reminder")
    by_manager = dict.fromkeys((seeded.people["mia"], seeded.people["dan"]), 0)
    for row in reminders:
        assert row.recipient_id is not None
        by_manager[row.recipient_id] += 1
    # Mia: Alice, Bob, Carol, Dave, Gina (Platform) + Uma, Vic (Tiny); Dan: Pat, Quinn, Rosa, Sam, Tess.
    assert by_manager == {seeded.people["mia"]: 7, seeded.people["dan"]: 5}
    alice = next(r for r in reminders if r.subject.startswith("Alice"))
    assert alice.subject == "Alice's work anniversary (5 years) is on Sunday 10 January"
    assert alice.link == "https://tw.example/celebrations"
    digests = [r for r in _rows(session, "team_digest") if r.channel == "email"]
    posts = [r for r in _rows(session, "team_digest") if r.channel == "slack"]
    assert len(digests) == 8 + 6 + 2  # every member of Platform, Data and Tiny
    assert len(posts) == 3
    assert posts[0].blocks is not None
    assert posts[0].blocks[0]["type"] == "header"
    assert count == len(reminders) + len(digests) + len(posts)
    session.commit()
    assert queue_reminders(session, org=ORG, today=THURSDAY, settings=settings) == 0
    assert queue_reminders(session, org=ORG, today=date(2027, 1, 8), settings=settings) == 0


def test_a_reminder_comes_when_the_day_enters_the_window(session: Session, seeded: SeededOrg, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    queue_reminders(session, org=ORG, today=date(2027, 1, 6), settings=settings)  # Sunday is 4 days away
    assert _rows(session, "celebration_reminder") == []
    queue_reminders(session, org=ORG, today=date(2027, 1, 7), settings=settings)  # 3 days away: in the window
    arrived = _rows(session, "celebration_reminder")
    assert len(arrived) == 12  # every anniversary of Sunday 10 January of someone with a manager
    assert {r.subject.split(" is ", 1)[1] for r in arrived} == {"on Sunday 10 January"}


def test_with_no_days_ahead_a_reminder_comes_on_the_day_only(
    session: Session, seeded: SeededOrg, tmp_path: Path
) -> None:
    service.set_my_birthday(session, org=ORG, viewer=user(session, seeded, "alice"), month=1, day=20)
    none_ahead = _settings(tmp_path, days=0)
    queue_reminders(session, org=ORG, today=date(2027, 1, 19), settings=none_ahead)
    assert _rows(session, "celebration_reminder") == []
    queue_reminders(session, org=ORG, today=date(2027, 1, 20), settings=none_ahead)
    arrived = [(r.recipient_id, r.subject) for r in _rows(session, "celebration_reminder")]
    assert arrived == [(seeded.people["mia"], "Alice's birthday is today")]


def test_each_reminder_and_digest_queued_is_audited_once(session: Session, seeded: SeededOrg, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    queue_reminders(session, org=ORG, today=THURSDAY, settings=settings)

    def audited(action: str) -> list[tuple[str, str, str]]:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action == action)).all()
        return sorted((r.viewer_role, r.subject_kind, r.subject_id) for r in rows)

    celebrated = ("alice", "bob", "carol", "dave", "gina", "uma", "vic", "pat", "quinn", "rosa", "sam", "tess")
    operator = audit.OPERATOR_ROLE
    assert audited(REMINDER_AUDIT) == sorted((operator, "person", str(seeded.people[n])) for n in celebrated)
    assert audited(DIGEST_AUDIT) == sorted((operator, "team", str(t)) for t in seeded.teams.values())
    session.commit()
    queue_reminders(session, org=ORG, today=THURSDAY, settings=settings)  # nothing new queued: nothing audited
    assert len(audited(REMINDER_AUDIT)) == len(celebrated)
    assert len(audited(DIGEST_AUDIT)) == len(seeded.teams)


def test_a_birthday_reminder_has_no_year_and_hidden_anniversaries_none(
    session: Session, seeded: SeededOrg, tmp_path: Path
) -> None:
    alice, bob = user(session, seeded, "alice"), user(session, seeded, "bob")
    service.set_my_birthday(session, org=ORG, viewer=alice, month=1, day=8)
    service.set_hide_anniversary(session, org=ORG, viewer=bob, hide=True)
    queue_reminders(session, org=ORG, today=THURSDAY, settings=_settings(tmp_path))
    subjects = [r.subject for r in _rows(session, "celebration_reminder")]
    assert "Alice's birthday is on Friday 8 January" in subjects
    assert not any(s.startswith("Bob") for s in subjects)
    texts = " ".join(r.text for r in _rows(session, "celebration_reminder") + _rows(session, "team_digest"))
    assert "2000" not in texts
    assert "Bob: 5 years" not in texts


def test_unsubscribed_members_get_no_digest_and_extra_sections_are_included(
    session: Session, seeded: SeededOrg, tmp_path: Path
) -> None:
    notify.unsubscribe(session, org=ORG, person_id=seeded.people["bob"], kind="team_digest")
    extra = {seeded.teams["Platform"]: [DigestSection("Recognition", ["Ana thanked Bob"])]}
    queue_reminders(session, org=ORG, today=THURSDAY, settings=_settings(tmp_path), extra_sections=extra)
    platform = [r for r in _rows(session, "team_digest") if r.subject.startswith("Platform")]
    recipients = {r.recipient_id for r in platform}
    assert seeded.people["bob"] not in recipients
    assert seeded.people["alice"] in recipients
    assert all("Ana thanked Bob" in r.text for r in platform if r.channel == "email")


def test_a_week_with_nothing_to_celebrate_sends_no_digest(session: Session, seeded: SeededOrg, tmp_path: Path) -> None:
    assert queue_reminders(session, org=ORG, today=date(2027, 3, 10), settings=_settings(tmp_path)) == 0
    assert _rows(session, "team_digest") == []


def test_the_digest_sent_is_the_one_the_command_line_shows(session: Session, seeded: SeededOrg, tmp_path: Path) -> None:
    service.add_moment(
        session,
        org=ORG,
        entered_by=None,
        kind="achievement",
        title="Launched v2",
        day=THURSDAY,
        team_id=seeded.teams["Platform"],
    )
    queue_reminders(session, org=ORG, today=THURSDAY, settings=_settings(tmp_path))
    sent = next(
        r for r in _rows(session, "team_digest") if r.recipient_id == seeded.people["alice"] and r.channel == "email"
    )
    shown = service.team_digest(session, org=ORG, team_id=seeded.teams["Platform"], week_of=THURSDAY)
    assert sent.text == digest.as_text(shown, link="https://tw.example/celebrations")
    assert "Platform: Launched v2 (Thursday 7 January)" in sent.text


def test_forgetting_a_person_removes_the_reminders_and_digests_that_name_them(
    session: Session, seeded: SeededOrg, tmp_path: Path
) -> None:
    thanks = DigestSection("Thanks given last week", ["Pat thanked Tess"], about=(seeded.people["pat"],))
    queue_reminders(
        session, org=ORG, today=THURSDAY, settings=_settings(tmp_path), extra_sections={seeded.teams["Tiny"]: [thanks]}
    )
    session.commit()

    def about(name: str) -> int:
        reminders = [r for r in _rows(session, "celebration_reminder") if r.subject.startswith(f"{name}'s")]
        return len(reminders)

    platform_digests = len(_rows(session, "team_digest"))
    assert (about("Alice"), about("Bob")) == (1, 1)
    notify.forget_person(session, org=ORG, person_id=seeded.people["alice"])
    assert (about("Alice"), about("Bob")) == (0, 1)
    # Platform's digest names Alice: its 8 member copies and its channel post go; Data's and Tiny's stay
    assert len(_rows(session, "team_digest")) == platform_digests - 9
    notify.forget_person(session, org=ORG, person_id=seeded.people["pat"])  # named in Data's and Tiny's digests
    assert _rows(session, "team_digest") == []
