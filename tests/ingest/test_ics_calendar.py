"""The calendar connector: recurrence expansion, who met, 1:1s, in person, durations, one event per meeting."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.ingest.builders import Importer

from teamweave.errors import InputFormatError
from teamweave.imports.models import Identity
from teamweave.ingest.ics_calendar import is_physical_location

CALENDARS = "ical-recurring-events-test-calendars/calendars"

WEEKLY = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//teamweave test//EN
BEGIN:VEVENT
UID:team-sync@acme.org
DTSTAMP:20240101T000000Z
DTSTART;TZID=Europe/Paris:20240108T100000
DURATION:PT45M
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Secret reorganisation planning
DESCRIPTION:Confidential agenda
LOCATION:Room Everest
ORGANIZER;CN=Ana:mailto:Ana@acme.org
ATTENDEE;CN=Ana;PARTSTAT=ACCEPTED:mailto:ana@acme.org
ATTENDEE;CN=Bo;PARTSTAT=ACCEPTED:mailto:bo@acme.org
ATTENDEE;CN=Cy;PARTSTAT=TENTATIVE:mailto:cy@partner.example
ATTENDEE;CN=Dee;PARTSTAT=DECLINED:mailto:dee@acme.org
ATTENDEE;CUTYPE=ROOM;PARTSTAT=ACCEPTED:mailto:everest@rooms.acme.org
END:VEVENT
BEGIN:VEVENT
UID:team-sync@acme.org
DTSTAMP:20240101T000000Z
RECURRENCE-ID;TZID=Europe/Paris:20240115T100000
DTSTART;TZID=Europe/Paris:20240115T100000
DURATION:PT45M
STATUS:CANCELLED
ORGANIZER:mailto:ana@acme.org
END:VEVENT
BEGIN:VEVENT
UID:one-on-one@acme.org
DTSTAMP:20240101T000000Z
DTSTART:20240110T150000Z
DTEND:20240110T153000Z
LOCATION:https://meet.example.com/abc-defg
ORGANIZER:mailto:ana@acme.org
ATTENDEE;PARTSTAT=ACCEPTED:mailto:bo@acme.org
END:VEVENT
BEGIN:VEVENT
UID:offsite@acme.org
DTSTAMP:20240101T000000Z
DTSTART;VALUE=DATE:20240112
DTEND;VALUE=DATE:20240113
ORGANIZER:mailto:ana@acme.org
ATTENDEE;PARTSTAT=ACCEPTED:mailto:bo@acme.org
END:VEVENT
BEGIN:VEVENT
UID:focus@acme.org
DTSTAMP:20240101T000000Z
DTSTART:20240111T090000Z
DTEND:20240111T110000Z
ORGANIZER:mailto:ana@acme.org
END:VEVENT
END:VCALENDAR
"""
WINDOW = {"since": date(2024, 1, 1), "until": date(2024, 3, 1)}


def test_small_calendar(importer: Importer, tmp_path: Path) -> None:
    ana = importer.add_person("ana@acme.org")
    bo = importer.add_person("bo@acme.org")
    path = tmp_path / "ana.ics"
    path.write_text(WEEKLY)

    summary = importer(path, **WINDOW)

    assert summary.source == "calendar"
    assert summary.counts_by_kind == {"meeting": 4}
    assert summary.skip_reasons == {
        "cancelled": 1,
        "all-day event (not a meeting)": 1,
        "fewer than two people (not a meeting between people)": 1,
    }
    rows = importer.rows()
    cy = importer.pseudonymiser.identity("calendar", "cy@partner.example")
    weekly = [r for r in rows if r["audience"] == 2]
    assert [r["ts"] for r in weekly] == [datetime(2024, 1, d, 9, tzinfo=UTC) for d in (8, 22, 29)]
    for row in weekly:
        assert row["kind"] == "meeting"
        assert row["source"] == "calendar"
        assert row["actor"] == ana.pseudonym
        assert set(row["targets"]) == {bo.pseudonym, cy}
        assert row["duration_s"] == 45 * 60
        assert row["in_person"] is True
    (one_on_one,) = [r for r in rows if r["audience"] == 1]
    assert one_on_one["targets"] == [bo.pseudonym]
    assert one_on_one["duration_s"] == 1800
    assert one_on_one["in_person"] is False
    assert summary.unmatched == ["Cy <cy@partner.example> (calendar)"]
    identity = importer.session.execute(select(Identity).where(Identity.source == "calendar")).scalar_one()
    assert identity.pseudonym == cy


def test_same_meeting_in_several_files_is_one_event(importer: Importer, tmp_path: Path) -> None:
    folder = tmp_path / "calendars"
    folder.mkdir()
    (folder / "ana.ics").write_text(WEEKLY)
    (folder / "bo.ics").write_text(WEEKLY.replace("Room Everest", "Room Everest (moved)"))

    summary = importer(folder, **WINDOW)

    assert summary.added == 4
    assert summary.skip_reasons["same meeting in another calendar file"] == 4
    assert importer(folder, **WINDOW).added == 0


def test_window_defaults_to_the_last_year(importer: Importer, tmp_path: Path) -> None:
    path = tmp_path / "ana.ics"
    path.write_text(WEEKLY)
    assert importer(path).read == 0
    recent = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y%m%dT%H%M%SZ")  # in the past at any hour
    path.write_text(
        WEEKLY.replace("DTSTART:20240110T150000Z", f"DTSTART:{recent}").replace("DTEND:20240110T153000Z\n", "")
    )
    summary = importer(path)
    assert summary.counts_by_kind == {"meeting": 1}


def _with_people(text: str) -> str:
    people = "ORGANIZER;CN=Ana:mailto:ana@acme.org\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:bo@acme.org\r\n"
    return text.replace("\r\n", "\n").replace("END:VEVENT", people.replace("\r\n", "\n") + "END:VEVENT")


def test_real_calendar_with_exdate(importer: Importer, shared_data: Path, tmp_path: Path) -> None:
    source = (shared_data / CALENDARS / "each_week_but_one_deleted.ics").read_text()
    path = tmp_path / "weekly.ics"
    path.write_text(_with_people(source))

    summary = importer(path, since=date(2019, 1, 1), until=date(2019, 12, 31))

    rows = importer.rows()
    assert summary.counts_by_kind == {"meeting": 7}  # COUNT=8 weekly, one EXDATE
    assert datetime(2019, 3, 10, 23, 30, tzinfo=UTC) not in [r["ts"] for r in rows]
    assert all(r["duration_s"] == 1800 and r["audience"] == 1 for r in rows)


def test_real_calendar_with_cancelled_occurrence(importer: Importer, shared_data: Path, tmp_path: Path) -> None:
    source = (shared_data / CALENDARS / "issue_18_cancel_status.ics").read_text()
    path = tmp_path / "daily.ics"
    path.write_text(_with_people(source))

    summary = importer(path, since=date(2020, 1, 1), until=date(2020, 12, 31))

    assert summary.counts_by_kind == {"meeting": 2}
    assert summary.skip_reasons == {"cancelled": 1}


def test_real_all_day_event_is_not_a_meeting(importer: Importer, shared_data: Path) -> None:
    summary = importer(shared_data / CALENDARS / "one_day_event.ics", since=date(2019, 1, 1), until=date(2019, 12, 31))
    assert summary.read == 0
    assert summary.skip_reasons == {"all-day event (not a meeting)": 1}


def test_all_real_calendars_import_without_failing(importer: Importer, shared_data: Path) -> None:
    summary = importer(shared_data / CALENDARS, since=date(2018, 1, 1), until=date(2020, 1, 1))
    assert summary.read == 0  # these calendars hold no meeting between two people in that window
    assert summary.skipped > 1000
    assert all(e.split(":")[0].endswith(".ics") or ".ics," in e for e in summary.errors)


def test_bad_files(importer: Importer, tmp_path: Path) -> None:
    not_ics = tmp_path / "notes.ics"
    not_ics.write_text("hello")
    with pytest.raises(InputFormatError, match="not an iCalendar file"):
        importer(not_ics)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "good.ics").write_text(WEEKLY)
    (folder / "broken.ics").write_text("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:garbage\nSUMMARY:secret\n")
    summary = importer(folder, **WINDOW)
    assert summary.counts_by_kind == {"meeting": 4}
    assert len(summary.errors) == 1
    assert summary.errors[0].startswith("broken.ics: unreadable calendar file")
    assert summary.quarantine_file is not None
    assert "secret" not in summary.quarantine_file.read_text()


@pytest.mark.parametrize(
    ("location", "physical"),
    [
        ("Room 4.12", True),
        ("Building B, 2nd floor", True),
        ("https://zoom.us/j/123", False),
        ("Microsoft Teams Meeting", False),
        ("meet.google.com/abc-defg-hij", False),
        ("rooms@acme.org", False),
        ("", False),
        (None, False),
    ],
)
def test_is_physical_location(location: str | None, physical: bool) -> None:
    assert is_physical_location(location) is physical
