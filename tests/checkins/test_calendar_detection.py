"""Held 1:1s found in calendars imported through the real ICS connector: exactly the manager and the report."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.checkins.calendar_files import ORG, CalendarOrg, calendar, vevent

from teamweave.checkins import repository
from teamweave.checkins.calendar_detection import detect_held_one_on_ones
from teamweave.checkins.models import HeldOneOnOne
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore

TODAY = date(2026, 11, 23)


def at(day: int, month: int = 11, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


@pytest.fixture
def org(session: Session, tmp_path: Path) -> CalendarOrg:
    built = CalendarOrg(session, EventStore(tmp_path / "events"), Pseudonymiser(b"k" * 32), tmp_path, {})
    built.add("mia")
    built.add("carl")
    built.add("ana", "mia")
    built.add("bo", "mia")
    built.add("cy", "carl")
    built.add("olga", "mia", opt_out=True)
    return built


def _held(session: Session, org: CalendarOrg) -> list[tuple[str, str, date, str]]:
    """Every held 1:1 as (manager, report, day, source), by day."""
    names = {p.id: name for name, p in org.people.items()}
    rows = session.scalars(select(HeldOneOnOne).order_by(HeldOneOnOne.day, HeldOneOnOne.id))
    return [(names[r.manager_id], names[r.report_id], r.day, r.source) for r in rows]


def test_only_meetings_of_exactly_the_pair_are_held_1on1s(session: Session, org: CalendarOrg) -> None:
    text = calendar(
        vevent("ana-1", at(2), "mia", ["ana"]),  # a 1:1: held
        vevent("ana-room", at(9), "ana", ["mia"], room=True),  # the report organised it, a room booked: held
        vevent("bo-weekly", at(3), "mia", ["bo"], rrule="FREQ=WEEKLY;COUNT=3"),  # three held 1:1s
        vevent("three", at(4), "mia", ["ana", "bo"]),  # three people: not a 1:1
        vevent("declined", at(5), "mia", ["ana"], declined=("ana",)),  # the report declined: not held
        vevent("skip", at(6), "carl", ["ana"]),  # not her manager
        vevent("cy", at(6), "carl", ["cy"]),  # another pair: held
        vevent("guest", at(7), "mia", ["ana", "guest"]),  # an unknown third person: not a 1:1
        vevent("later", at(30), "mia", ["ana"]),  # after today: not held yet
        vevent("olga", at(2), "mia", ["olga"]),  # opted out of analytics: left out
    )
    summary = org.import_ics(text)
    assert summary.added == 11  # the declined 1:1 has one person left and never reaches the store

    result = detect_held_one_on_ones(session, org=ORG, events=org.events, today=TODAY)

    assert result.added == result.found == 6
    assert _held(session, org) == [
        ("mia", "ana", date(2026, 11, 2), "calendar"),
        ("mia", "bo", date(2026, 11, 3), "calendar"),
        ("carl", "cy", date(2026, 11, 6), "calendar"),
        ("mia", "ana", date(2026, 11, 9), "calendar"),
        ("mia", "bo", date(2026, 11, 10), "calendar"),
        ("mia", "bo", date(2026, 11, 17), "calendar"),
    ]


def test_detection_is_idempotent_and_picks_up_new_meetings(session: Session, org: CalendarOrg) -> None:
    org.import_ics(calendar(vevent("ana-1", at(2), "mia", ["ana"])))
    assert detect_held_one_on_ones(session, org=ORG, events=org.events, today=TODAY).added == 1
    again = detect_held_one_on_ones(session, org=ORG, events=org.events, today=TODAY)
    assert (again.found, again.added) == (1, 0)
    org.import_ics(calendar(vevent("ana-1", at(2), "mia", ["ana"])), name="ana.ics")  # the same meeting again
    org.import_ics(calendar(vevent("ana-2", at(16), "ana", ["mia"])), name="later.ics")
    assert detect_held_one_on_ones(session, org=ORG, events=org.events, today=TODAY).added == 1
    assert [d for _, _, d, _ in _held(session, org)] == [date(2026, 11, 2), date(2026, 11, 16)]


def test_a_day_logged_by_hand_and_found_in_the_calendar_counts_once(session: Session, org: CalendarOrg) -> None:
    session.add(
        HeldOneOnOne(org=ORG, manager_id=org.people["mia"].id, report_id=org.people["ana"].id, day=date(2026, 11, 2))
    )
    org.import_ics(calendar(vevent("ana-1", at(2), "mia", ["ana"])))
    detect_held_one_on_ones(session, org=ORG, events=org.events, today=TODAY)
    days = repository.held_days(session, org=ORG, manager_id=org.people["mia"].id, report_id=org.people["ana"].id)
    assert days == [date(2026, 11, 2)]


def test_no_events_no_rows(session: Session, org: CalendarOrg) -> None:
    result = detect_held_one_on_ones(session, org=ORG, events=org.events, today=TODAY)
    assert (result.meetings, result.found, result.added) == (0, 0, 0)
