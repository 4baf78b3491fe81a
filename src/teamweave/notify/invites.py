"""Calendar invites (RFC 5545 / iTIP RFC 5546 METHOD:REQUEST) sent as .ics with 1:1 e-mails."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//teamweave//notify//EN"


@dataclass(frozen=True)
class Invite:
    """A meeting to invite people to. ``uid`` stays the same across updates; raise ``sequence`` on each."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    organizer_email: str
    attendee_emails: tuple[str, ...]
    sequence: int = 0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (times as ISO 8601 in UTC), as the outbox stores it."""
        data = asdict(self)
        data["start"] = _utc(self.start).isoformat()
        data["end"] = _utc(self.end).isoformat()
        data["attendee_emails"] = list(self.attendee_emails)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Invite:
        return cls(
            uid=str(data["uid"]),
            start=datetime.fromisoformat(data["start"]),
            end=datetime.fromisoformat(data["end"]),
            summary=str(data["summary"]),
            organizer_email=str(data["organizer_email"]),
            attendee_emails=tuple(data["attendee_emails"]),
            sequence=int(data.get("sequence", 0)),
        )


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def invite_ics(invite: Invite, *, stamp: datetime) -> bytes:
    """The invite as a VCALENDAR with METHOD:REQUEST and one VEVENT, times in UTC.

    ``stamp`` is DTSTAMP: when this version of the invite was made (pass the outbox row's creation time, so
    that a re-sent message is byte-for-byte the same).

    >>> inv = Invite("1on1-7@teamweave", datetime(2026, 11, 24, 10, tzinfo=UTC),
    ...              datetime(2026, 11, 24, 10, 30, tzinfo=UTC), "1:1", "mia@example.org", ("alice@example.org",))
    >>> text = invite_ics(inv, stamp=datetime(2026, 11, 23, 9, tzinfo=UTC)).decode()
    >>> "METHOD:REQUEST" in text and "DTSTART:20261124T100000Z" in text
    True
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", invite.uid)
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", _utc(invite.start))
    event.add("dtend", _utc(invite.end))
    event.add("summary", invite.summary)
    event.add("sequence", invite.sequence)
    event.add("status", "CONFIRMED")
    organizer = vCalAddress(f"mailto:{invite.organizer_email}")
    event.add("organizer", organizer)
    for email in invite.attendee_emails:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["ROLE"] = vText("REQ-PARTICIPANT")
        attendee.params["PARTSTAT"] = vText("NEEDS-ACTION")
        attendee.params["RSVP"] = vText("TRUE")
        event.add("attendee", attendee, encode=False)
    calendar.add_component(event)
    ics: bytes = calendar.to_ical()
    return ics
