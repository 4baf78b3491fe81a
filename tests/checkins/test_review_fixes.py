"""Fixes from the review: coaching prompts in a window before the due day, calendars read before nudging,
one calendar event per scheduled 1:1, grouped queries, each person's own day, and who a message is about."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session
from tests.checkins.calendar_files import ORG as CAL_ORG
from tests.checkins.calendar_files import CalendarOrg, calendar, vevent
from tests.checkins.conftest import user
from tests.web.seeding import SeededOrg

from teamweave.checkins import reminders, scheduling, service
from teamweave.checkins.calendar_detection import detect_held_one_on_ones
from teamweave.checkins.models import HeldOneOnOne
from teamweave.config import Settings
from teamweave.notify import service as notify
from teamweave.notify.invites import Invite
from teamweave.notify.models import OutboxMessage, OutboxSubject
from teamweave.people.models import Person
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore

ORG = "default"


def _settings(tmp_path: Path) -> Settings:
    return Settings(env="test", data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]


def _only_alice(session: Session, seeded: SeededOrg) -> None:
    for name, person_id in seeded.people.items():
        if name not in ("alice", "mia"):
            person = session.get(Person, person_id)
            assert person is not None
            person.manager_id = None
    session.flush()


def _kinds_to(session: Session, person_id: int) -> list[str]:
    rows = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == person_id))
    return sorted(r.kind for r in rows)


def test_a_1on1_due_on_monday_gets_a_prompt_from_a_weekday_timer(
    session: Session, seeded: SeededOrg, tmp_path: Path
) -> None:
    _only_alice(session, seeded)
    mia = user(session, seeded, "mia")
    held = date(2026, 11, 16)  # a Monday; due Monday 30 November (14 days)
    service.log_one_on_one(session, org=ORG, viewer=mia, report_id=seeded.people["alice"], day=held)
    friday = date(2026, 11, 27)
    assert friday.weekday() == 4
    settings = _settings(tmp_path)
    assert reminders.queue_reminders(session, org=ORG, today=friday, settings=settings) == 1
    assert reminders.queue_reminders(session, org=ORG, today=friday, settings=settings) == 0
    prompt = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "coaching_prompt")).one()
    assert prompt.dedupe_key.endswith(":2026-11-30")
    assert "Monday 30 November" in prompt.text


def test_held_1on1s_in_calendars_are_found_before_nudging(session: Session, tmp_path: Path) -> None:
    org = CalendarOrg(session, EventStore(tmp_path / "data" / "events"), Pseudonymiser(b"k" * 32), tmp_path, {})
    org.add("mia")
    org.add("ana", "mia")
    org.import_ics(calendar(vevent("ana-1", datetime(2026, 11, 20, 10, tzinfo=UTC), "mia", ["ana"])))
    settings = _settings(tmp_path)
    assert org.events.root == settings.events_dir
    reminders.queue_reminders(session, org=CAL_ORG, today=date(2026, 11, 23), settings=settings)
    assert _kinds_to(session, org.people["mia"].id) == []  # held on the 20th: not overdue
    assert session.scalars(select(HeldOneOnOne.day)).all() == [date(2026, 11, 20)]


def test_a_calendar_1on1_is_filed_under_the_managers_own_day(session: Session, tmp_path: Path) -> None:
    org = CalendarOrg(session, EventStore(tmp_path / "events"), Pseudonymiser(b"k" * 32), tmp_path, {})
    org.add("mia").timezone = "Pacific/Auckland"  # UTC+13 in November
    org.add("ana", "mia")
    session.flush()
    org.import_ics(calendar(vevent("ana-1", datetime(2026, 11, 19, 20, tzinfo=UTC), "mia", ["ana"])))
    detect_held_one_on_ones(session, org=CAL_ORG, events=org.events, today=date(2026, 11, 23))
    assert session.scalars(select(HeldOneOnOne.day)).all() == [date(2026, 11, 20)]  # 09:00 on the 20th in Auckland


def test_the_local_day_is_the_viewers_own(session: Session, seeded: SeededOrg) -> None:
    mia = user(session, seeded, "mia")
    person = session.get(Person, seeded.people["mia"])
    assert person is not None
    person.timezone = "America/Los_Angeles"
    session.flush()
    late_utc = datetime(2026, 11, 24, 3, tzinfo=UTC)  # 19:00 on the 23rd in Los Angeles
    assert service.local_today(session, org=ORG, viewer=mia, now=late_utc) == date(2026, 11, 23)


def _invites(session: Session, person_id: int) -> list[Invite]:
    rows = session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient_id == person_id).order_by(OutboxMessage.id)
    )
    return [Invite.from_json(r.invite) for r in rows if r.invite is not None]


def test_rescheduling_updates_the_same_calendar_event(session: Session, seeded: SeededOrg) -> None:
    mia, alice = user(session, seeded, "mia"), seeded.people["alice"]
    now = datetime(2026, 11, 23, 9, tzinfo=UTC)

    def schedule(local: datetime, at: datetime = now) -> int:
        return scheduling.schedule_one_on_one(
            session, org=ORG, viewer=mia, report_id=alice, local_start=local, minutes=30, now=at
        )

    assert schedule(datetime(2026, 11, 30, 10)) == 2
    assert schedule(datetime(2026, 11, 30, 10)) == 0  # the same time again: nothing new
    assert schedule(datetime(2026, 12, 1, 14)) == 2  # moved
    first, moved = _invites(session, alice)
    assert first.uid == moved.uid
    assert (first.sequence, moved.sequence) == (0, 1)
    assert moved.start == datetime(2026, 12, 1, 14, tzinfo=UTC)
    after = datetime(2026, 12, 2, 9, tzinfo=UTC)  # that 1:1 is over: the next one is a new event
    assert schedule(datetime(2026, 12, 15, 10), at=after) == 2
    assert _invites(session, alice)[-1].uid != first.uid
    assert _invites(session, alice)[-1].sequence == 0


def test_every_message_names_who_it_is_about(session: Session, seeded: SeededOrg, tmp_path: Path) -> None:
    _only_alice(session, seeded)
    mia, alice = seeded.people["mia"], seeded.people["alice"]
    reminders.queue_reminders(session, org=ORG, today=date(2026, 11, 23), settings=_settings(tmp_path))
    scheduling.request_one_on_one(session, org=ORG, viewer=user(session, seeded, "alice"), today=date(2026, 11, 23))
    scheduling.schedule_one_on_one(
        session, org=ORG, viewer=user(session, seeded, "mia"), report_id=alice, local_start=datetime(2026, 12, 1, 10),
        minutes=30,
    )  # fmt: skip
    rows = session.scalars(select(OutboxMessage)).all()
    assert len(rows) == 5  # nudge and request and invite to Mia; can-ask and invite to Alice
    subjects = {(s.outbox_id, s.person_id) for s in session.scalars(select(OutboxSubject))}
    for row in rows:
        other = alice if row.recipient_id == mia else mia
        assert (row.id, other) in subjects, row.dedupe_key
    assert notify.forget_person(session, org=ORG, person_id=alice) == 3  # those to Mia; hers go with her row


def test_reminders_take_a_fixed_number_of_queries(
    session: Session, engine: Engine, seeded: SeededOrg, tmp_path: Path
) -> None:
    settings = _settings(tmp_path)
    day = date(2026, 11, 23)
    reminders.queue_reminders(session, org=ORG, today=day, settings=settings)  # queues the first nudges
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert reminders.queue_reminders(session, org=ORG, today=day, settings=settings) == 0
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 8  # 14 pairs: was about 7 a pair
