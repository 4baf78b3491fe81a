"""Overdue pairs nudge the manager first, the report after a grace period; a report can ask for a 1:1.
Messages go through the real outbox (notify.service) and are read back from each person's inbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.checkins.conftest import user
from tests.web.seeding import SeededOrg

from teamweave.checkins import reminders, scheduling, service
from teamweave.config import Settings
from teamweave.errors import Forbidden, InputFormatError
from teamweave.notify import service as notify
from teamweave.notify.invites import Invite
from teamweave.notify.models import OutboxMessage
from teamweave.people.models import Person

ORG = "default"
SETTINGS = Settings(env="test", _env_file=None)  # type: ignore[call-arg]


def _inbox(session: Session, seeded: SeededOrg, name: str) -> list[tuple[str, str]]:
    items = notify.inbox(session, org=ORG, person_id=seeded.people[name], now=datetime.now(UTC))
    return sorted((i.kind, i.subject) for i in items)


def _only_alice(session: Session, seeded: SeededOrg) -> None:
    """Leave one pair, Mia and Alice, so that counts are about them."""
    for name in ("bob", "carol", "dave", "erin", "frank", "gina", "uma", "vic", "pat", "quinn", "rosa", "sam", "tess"):
        person = session.get(Person, seeded.people[name])
        assert person is not None
        person.manager_id = None
    session.flush()


def _run(session: Session, day: date) -> int:
    return reminders.queue_reminders(session, org=ORG, today=day, settings=SETTINGS)


def test_the_manager_first_then_the_report_once_per_overdue_spell(session: Session, seeded: SeededOrg) -> None:
    _only_alice(session, seeded)
    mia = user(session, seeded, "mia")
    service.log_one_on_one(session, org=ORG, viewer=mia, report_id=seeded.people["alice"], day=date(2026, 11, 2))
    assert _run(session, date(2026, 11, 12)) == 0
    assert _run(session, date(2026, 11, 13)) == 1  # due in 3 days: a pointer to the coaching prompts
    assert _run(session, date(2026, 11, 15)) == 0  # once per due day
    assert _run(session, date(2026, 11, 16)) == 0  # 14 days: within cadence
    assert _run(session, date(2026, 11, 17)) == 1  # overdue: the manager
    assert _run(session, date(2026, 11, 17)) == 0  # same day again
    assert _run(session, date(2026, 11, 23)) == 0  # same spell, grace still running
    assert _inbox(session, seeded, "mia") == [
        ("checkin_nudge", "Your 1:1 with Alice is overdue"),
        ("coaching_prompt", "Before your 1:1 with Alice"),
    ]
    assert _inbox(session, seeded, "alice") == []
    assert _run(session, date(2026, 11, 24)) == 1  # 7 days overdue: the report may ask
    assert _inbox(session, seeded, "alice") == [("checkin_nudge", "It has been a while since your 1:1 with Mia")]
    assert _run(session, date(2026, 11, 25)) == 0
    service.log_one_on_one(session, org=ORG, viewer=mia, report_id=seeded.people["alice"], day=date(2026, 11, 25))
    assert _run(session, date(2026, 12, 9)) == 0
    assert _run(session, date(2026, 12, 10)) == 1  # a new spell: a new nudge
    assert len(_inbox(session, seeded, "mia")) == 3


def test_every_overdue_pair_of_the_org_is_nudged_once(session: Session, seeded: SeededOrg) -> None:
    today = date(2026, 11, 23)
    first = _run(session, today)
    managers = len(_inbox(session, seeded, "mia")) + len(_inbox(session, seeded, "dan"))
    assert managers == 14  # 9 reports of Mia, 5 of Dan, none ever held
    assert first == 28  # and each report, whose start date plus cadence plus grace has passed
    assert _run(session, today) == 0
    next_period = sum(_run(session, today + timedelta(days=n)) for n in range(1, 15))
    assert next_period == 14  # still overdue a cadence period (14 days) later: each manager once more


def test_a_pair_that_never_held_a_1on1_is_nudged_every_period(session: Session, seeded: SeededOrg) -> None:
    _only_alice(session, seeded)
    alice = session.get(Person, seeded.people["alice"])
    assert alice is not None
    alice.start_date = None  # no start date: periods counted from the calendar
    session.flush()
    first = date.fromordinal(date(2026, 11, 1).toordinal() // 14 * 14)  # the first day of a calendar period
    days = [first + timedelta(days=n) for n in range(56)]
    assert sum(_run(session, day) for day in days) == 4  # 56 days, cadence 14: four nudges, not one ever
    subjects = [s for k, s in _inbox(session, seeded, "mia")]
    assert subjects == ["Your 1:1 with Alice is overdue"] * 4


def test_a_report_asks_for_a_1on1_once_a_day(session: Session, seeded: SeededOrg) -> None:
    alice = user(session, seeded, "alice")
    day = date(2026, 11, 23)
    assert scheduling.request_one_on_one(session, org=ORG, viewer=alice, today=day)
    assert not scheduling.request_one_on_one(session, org=ORG, viewer=alice, today=day)
    assert _inbox(session, seeded, "mia") == [("checkin_request", "Alice asks for a 1:1")]
    assert scheduling.request_one_on_one(session, org=ORG, viewer=alice, today=date(2026, 11, 24))
    with pytest.raises(InputFormatError):
        scheduling.request_one_on_one(session, org=ORG, viewer=user(session, seeded, "mia"), today=day)
    with pytest.raises(Forbidden):
        scheduling.request_one_on_one(session, org=ORG, viewer=user(session, seeded, "root"), today=day)


def test_an_unsubscribed_manager_gets_nothing(session: Session, seeded: SeededOrg) -> None:
    _only_alice(session, seeded)
    notify.unsubscribe(session, org=ORG, person_id=seeded.people["mia"], kind="checkin_nudge")
    assert _run(session, date(2026, 11, 23)) == 1  # only Alice, told she can ask
    assert _inbox(session, seeded, "mia") == []


def test_the_manager_schedules_the_next_1on1_with_an_invite_to_both(session: Session, seeded: SeededOrg) -> None:
    mia = user(session, seeded, "mia")
    start = datetime(2026, 11, 30, 10, 0)  # wall clock in Lisbon (UTC+0 in winter)
    queued = scheduling.schedule_one_on_one(
        session, org=ORG, viewer=mia, report_id=seeded.people["alice"], local_start=start, minutes=30
    )
    assert queued == 2
    assert _inbox(session, seeded, "alice") == [("one_on_one_invite", "1:1 Mia / Alice, 2026-11-30 10:00 UTC")]
    assert _inbox(session, seeded, "mia") == [("one_on_one_invite", "1:1 Mia / Alice, 2026-11-30 10:00 UTC")]
    again = scheduling.schedule_one_on_one(
        session, org=ORG, viewer=mia, report_id=seeded.people["alice"], local_start=start, minutes=30
    )
    assert again == 0
    with pytest.raises(Forbidden):
        scheduling.schedule_one_on_one(
            session,
            org=ORG,
            viewer=user(session, seeded, "dan"),
            report_id=seeded.people["alice"],
            local_start=start,
            minutes=30,
        )
    with pytest.raises(InputFormatError):
        scheduling.schedule_one_on_one(
            session, org=ORG, viewer=mia, report_id=seeded.people["alice"], local_start=start, minutes=500
        )


def test_the_invite_is_in_the_outbox_for_the_calendar(session: Session, seeded: SeededOrg) -> None:
    mia = user(session, seeded, "mia")
    scheduling.schedule_one_on_one(
        session, org=ORG, viewer=mia, report_id=seeded.people["alice"], local_start=datetime(2026, 7, 1, 10), minutes=45
    )
    row = session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_id == seeded.people["alice"])).one()
    assert row.invite is not None
    invite = Invite.from_json(row.invite)
    assert invite.start == datetime(2026, 7, 1, 9, tzinfo=UTC)  # 10:00 in Lisbon summer time
    assert (invite.end - invite.start).seconds == 45 * 60
    assert (invite.organizer_email, invite.attendee_emails) == ("mia@example.org", ("alice@example.org",))
