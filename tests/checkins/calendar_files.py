"""Small .ics files and a directory for calendar-detection tests, imported through the real ICS connector."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from teamweave.imports.schemas import ImportSummary
from teamweave.ingest.pipeline import import_path
from teamweave.people.models import Person
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore

ORG = "acme"
DOMAIN = "acme.example"


def vevent(
    uid: str,
    start: datetime,
    organiser: str,
    attendees: list[str],
    *,
    declined: tuple[str, ...] = (),
    room: bool = False,
    rrule: str | None = None,
) -> str:
    """One VEVENT of 30 minutes; people are local parts of ``DOMAIN`` addresses."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}@{DOMAIN}",
        "DTSTAMP:20260101T000000Z",
        f"DTSTART:{start:%Y%m%dT%H%M%SZ}",
        "DURATION:PT30M",
        "SUMMARY:private words never stored",
        f"ORGANIZER:mailto:{organiser}@{DOMAIN}",
    ]
    if rrule:
        lines.append(f"RRULE:{rrule}")
    for name in attendees:
        status = "DECLINED" if name in declined else "ACCEPTED"
        lines.append(f"ATTENDEE;PARTSTAT={status}:mailto:{name}@{DOMAIN}")
    if room:
        lines.append(f"ATTENDEE;CUTYPE=ROOM;PARTSTAT=ACCEPTED:mailto:room-4@rooms.{DOMAIN}")
        lines.append("LOCATION:Room 4")
    lines.append("END:VEVENT")
    return "\n".join(lines)


def calendar(*events: str) -> str:
    return "\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//teamweave test//EN", *events, "END:VCALENDAR", ""])


@dataclass
class CalendarOrg:
    """People whose pseudonyms match the connector's (keyed on their e-mail), and an importer for .ics files."""

    session: Session
    events: EventStore
    pseudonymiser: Pseudonymiser
    folder: Path
    people: dict[str, Person]

    def add(self, name: str, manager: str | None = None, *, opt_out: bool = False) -> Person:
        email = f"{name}@{DOMAIN}"
        person = Person(
            org=ORG,
            email=email,
            name=name.capitalize(),
            pseudonym=self.pseudonymiser.person_of_email(email),
            timezone="UTC",
            manager_id=self.people[manager].id if manager else None,
            analytics_opt_out=opt_out,
        )
        self.session.add(person)
        self.session.flush()
        self.people[name] = person
        return person

    def import_ics(self, text: str, name: str = "calendar.ics") -> ImportSummary:
        path = self.folder / name
        path.write_text(text)
        return import_path(
            self.session,
            org=ORG,
            path=path,
            events=self.events,
            pseudonymiser=self.pseudonymiser,
            quarantine_dir=self.folder / "quarantine",
            since=date(2026, 1, 1),
            until=date(2026, 12, 31),
        )
