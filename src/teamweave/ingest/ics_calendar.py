"""iCalendar (.ics) files -> ``meeting`` events (metadata only; summaries and descriptions are never read).

Rules (docs/connectors.md explains them):

- recurring events are expanded (RRULE, RDATE, EXDATE, moved occurrences) within the import window;
- ``STATUS:CANCELLED`` occurrences and all-day events (a DATE start) are skipped with a counted reason;
- the people who met are the organizer and every attendee who did not decline (``PARTSTAT=DECLINED``);
  rooms and resources (``CUTYPE=ROOM/RESOURCE``) and ``ROLE=NON-PARTICIPANT`` are not people;
- fewer than two people: not a meeting between people (skipped, counted);
- actor = the organizer (else the first attendee), targets = the others, audience = their number
  (so two people make a 1:1, audience 1);
- ``in_person`` when LOCATION is set and is not a URL, a meeting link or an address;
- ``duration_s`` from DTEND or DURATION; ``event_id`` from (UID, occurrence start): the same meeting found in
  several attendees' files is one event.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import icalendar
import recurring_ical_events

from teamweave.errors import InputFormatError
from teamweave.ingest.context import ImportContext
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.records import Interaction

SOURCE: Final = "calendar"
MAX_FILE_BYTES: Final = 256 * 1024**2
NOT_PEOPLE: Final = frozenset({"ROOM", "RESOURCE"})
VIRTUAL = re.compile(
    r"://|^www\.|zoom\.us|meet\.google|teams\.microsoft|webex|whereby|jit\.si|microsoft teams|google meet|"
    r"zoom meeting|skype|hangout|^\S+@\S+$",
    re.IGNORECASE,
)


def is_physical_location(location: object) -> bool:
    """True for a room or an address; False for nothing, a URL, a meeting link or an e-mail address.

    >>> is_physical_location("Room 4.12"), is_physical_location("https://zoom.us/j/1"), is_physical_location("")
    (True, False, False)
    """
    text = str(location or "").strip()
    return bool(text) and VIRTUAL.search(text) is None


def _email(address: object) -> str | None:
    text = str(address or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    text = text.strip().lower()
    return text if "@" in text and " " not in text else None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _participants(component: Any) -> dict[str, str]:
    """E-mail -> display name of the people who met: the organizer, then attendees who did not decline."""
    people: dict[str, str] = {}
    declined: set[str] = set()
    organizer = component.get("ORGANIZER")
    organizer_email = _email(organizer)
    if organizer_email:
        people[organizer_email] = str(organizer.params.get("CN", "")) if hasattr(organizer, "params") else ""
    for attendee in _as_list(component.get("ATTENDEE")):
        email = _email(attendee)
        params = getattr(attendee, "params", {})
        if email is None or str(params.get("CUTYPE", "")).upper() in NOT_PEOPLE:
            continue
        if str(params.get("ROLE", "")).upper() == "NON-PARTICIPANT":
            continue
        if str(params.get("PARTSTAT", "")).upper() == "DECLINED":
            declined.add(email)
            continue
        people.setdefault(email, str(params.get("CN", "")))
    return {email: name for email, name in people.items() if email not in declined}


class IcsCalendars:
    """One .ics file or a folder of them (searched recursively). Use :meth:`open`."""

    def __init__(self, root: Path, files: list[Path]) -> None:
        self.root = root
        self.files = files
        self._seen: set[str] = set()

    @classmethod
    def open(cls, path: Path) -> IcsCalendars:
        path = Path(path)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".ics")
            if not files:
                raise InputFormatError("no .ics files in this folder", file=path.name)
            return cls(path, files)
        try:
            with open(path, "rb") as handle:
                head = handle.read(4096)
        except OSError as exc:
            raise InputFormatError("cannot read the file", file=path.name) from exc
        if b"BEGIN:VCALENDAR" not in head.upper():
            raise InputFormatError("not an iCalendar file (no BEGIN:VCALENDAR)", file=path.name)
        return cls(path.parent, [path])

    def close(self) -> None:
        """Nothing stays open between files."""

    def _name(self, file: Path) -> str:
        return file.relative_to(self.root).as_posix() if file.is_relative_to(self.root) else file.name

    def interactions(self, ctx: ImportContext) -> Iterator[Interaction]:
        """Meetings of every file; an unreadable file is one quarantined item and the rest still goes in."""
        ctx.progress.start("Reading calendars", total=len(self.files))
        for file in self.files:
            yield from self._file(file, ctx)
            ctx.progress.advance()
        ctx.progress.finish()

    def _file(self, file: Path, ctx: ImportContext) -> list[Interaction]:
        name = self._name(file)
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                ctx.bad(location=name, reason="calendar file too large")
                return []
            calendar = icalendar.Calendar.from_ical(file.read_bytes())
            since, until = ctx.since or default_window()[0], ctx.until or default_window()[1]
            occurrences = recurring_ical_events.of(calendar, skip_bad_series=True).between(since, until)
            return [e for index, c in enumerate(occurrences) if (e := self._meeting(c, name, index, ctx))]
        except Exception as exc:  # noqa: BLE001 - any parse failure of one file quarantines that file only
            ctx.bad(location=name, reason=f"unreadable calendar file ({type(exc).__name__})")
            return []

    def _meeting(self, component: Any, name: str, index: int, ctx: ImportContext) -> Interaction | None:
        start = component.get("DTSTART")
        uid = component.get("UID")
        if start is None or not isinstance(start.dt, date):
            ctx.bad(location=f"{name}, event {index + 1}", reason="event without DTSTART", kind="meeting")
            return None
        if not isinstance(start.dt, datetime):
            ctx.skip("all-day event (not a meeting)")
            return None
        if str(component.get("STATUS", "")).upper() == "CANCELLED":
            ctx.skip("cancelled")
            return None
        if not uid:
            ctx.bad(location=f"{name}, event {index + 1}", reason="event without UID", kind="meeting")
            return None
        people = _participants(component)
        if len(people) < 2:
            ctx.skip("fewer than two people (not a meeting between people)")
            return None
        ts = _utc(start.dt)
        recurrence = component.get("RECURRENCE-ID")
        occurrence = _utc(recurrence.dt) if recurrence is not None and isinstance(recurrence.dt, datetime) else ts
        event_id = ctx.pseudonymiser.event_id(SOURCE, f"{uid}:{occurrence.isoformat()}")
        if event_id in self._seen:
            ctx.skip("same meeting in another calendar file")
            return None
        self._seen.add(event_id)
        pseudonyms = [_pseudonym(ctx, email, label) for email, label in people.items()]
        targets = tuple(dict.fromkeys(p for p in pseudonyms[1:] if p != pseudonyms[0]))
        if not targets:
            ctx.skip("fewer than two people (not a meeting between people)")
            return None
        return Interaction(
            org=ctx.org,
            event_id=event_id,
            source=SOURCE,
            kind="meeting",
            ts=ts,
            actor=pseudonyms[0],
            targets=targets,
            audience=len(targets),
            duration_s=_duration(component, ts),
            channel=ctx.pseudonymiser.channel(SOURCE, str(uid)),
            in_person=is_physical_location(component.get("LOCATION")),
        )


def default_window(now: datetime | None = None) -> tuple[datetime, datetime]:
    """The calendar window when none is given: the 365 days before now."""
    end = now or datetime.now(UTC)
    return end - timedelta(days=365), end


def _pseudonym(ctx: ImportContext, email: str, name: str) -> str:
    label = f"{name[:100]} <{email}>" if name else email
    return ctx.identities.pseudonym(SourceIdentity(raw_id=email, label=f"{label} (calendar)", email=email))


def _duration(component: Any, ts: datetime) -> int | None:
    end = component.get("DTEND")
    if end is not None and isinstance(end.dt, datetime):
        seconds = (_utc(end.dt) - ts).total_seconds()
    elif component.get("DURATION") is not None:
        seconds = component.get("DURATION").dt.total_seconds()
    else:
        return 0
    return int(seconds) if seconds >= 0 else None
