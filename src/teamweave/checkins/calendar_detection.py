"""Find held 1:1s in imported calendars: a meeting whose human participants are exactly a manager and a report.

A calendar event (source ``calendar``, kind ``meeting``) carries the organiser as ``actor`` and every attendee
who did not decline as ``targets`` (rooms and resources are never people; see ``ingest/ics_calendar.py``).
Identities are mapped to people through the alias map, bots and AI tools are dropped, and when what is left is
exactly {a person, their current manager} the pair held a 1:1 on the meeting's day in the manager's own time
zone (``Person.timezone``; UTC when unknown). People who opted out
of analytics are left out: their 1:1s can still be logged by hand. Detection is idempotent: a day already found
for the pair is not written again, so re-running it adds nothing. Services never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from teamweave.checkins import repository
from teamweave.checkins.models import HeldOneOnOne
from teamweave.imports import service as imports_service
from teamweave.people import service as people_service
from teamweave.store.events import EventStore
from teamweave.store.org_lock import hold_org

SOURCE = "calendar"
# A 1:1 has two humans; allow a few extra participants that may turn out to be bots or aliases of the two.
MAX_TARGETS = 4


@dataclass(frozen=True)
class DetectionResult:
    """What one run of :func:`detect_held_one_on_ones` did: meetings read, 1:1s found, rows added."""

    meetings: int
    found: int
    added: int


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _pairs(session: Session, *, org: str) -> dict[frozenset[str], tuple[int, int, ZoneInfo]]:
    """{manager pseudonym, report pseudonym} -> (manager id, report id, manager's zone), for every current pair."""
    entries = people_service.directory(session, org=org)
    by_id = {e.person_id: e for e in entries}
    pairs: dict[frozenset[str], tuple[int, int, ZoneInfo]] = {}
    for report in entries:
        manager = by_id.get(report.manager_id) if report.manager_id is not None else None
        if manager is None or manager.person_id == report.person_id:
            continue
        if report.analytics_opt_out or manager.analytics_opt_out:
            continue
        key = frozenset({manager.pseudonym, report.pseudonym})
        pairs[key] = (manager.person_id, report.person_id, _zone(manager.timezone))
    return pairs


def humans_of(actor: str, targets: list[str], *, aliases: dict[str, str], bots: set[str]) -> frozenset[str]:
    """The people (person pseudonyms) of one meeting: aliases resolved, bots and AI tools dropped.

    >>> sorted(humans_of("id-ana", ["ps-bo", "bot-1"], aliases={"id-ana": "ps-ana"}, bots={"bot-1"}))
    ['ps-ana', 'ps-bo']
    """
    return frozenset(aliases.get(p, p) for p in (actor, *targets) if p not in bots)


def detect_held_one_on_ones(
    session: Session, *, org: str, events: EventStore, today: date | None = None
) -> DetectionResult:
    """Write a ``HeldOneOnOne`` (source ``calendar``) for every manager–report 1:1 found in stored calendars.

    Only meetings that started by the end of ``today`` (default: now) count as held. Returns how many meetings
    were read, how many 1:1s (pair and day) they hold and how many rows were added (0 on a re-run). Holds the
    org's lock (``store.org_lock``): an erasure between reading the pairs and writing their rows would fail it.
    """
    hold_org(session, org=org)
    until = datetime.combine(today, time.max, tzinfo=UTC) if today else datetime.now(UTC)
    pairs = _pairs(session, org=org)
    meetings = repository.calendar_meetings(events, org=org, until=until, max_targets=MAX_TARGETS)
    if not pairs or not meetings:
        return DetectionResult(len(meetings), 0, 0)
    aliases = imports_service.alias_map(session, org=org)
    bots = imports_service.bot_identities(session, org=org)
    found: set[tuple[int, int, date]] = set()
    for ts, actor, targets in meetings:
        pair = pairs.get(humans_of(actor, targets, aliases=aliases, bots=bots))
        if pair is not None:
            found.add((pair[0], pair[1], ts.astimezone(pair[2]).date()))
    known = repository.held_keys(session, org=org, source=SOURCE)
    new = sorted(found - known)
    for manager_id, report_id, day in new:
        session.add(HeldOneOnOne(org=org, manager_id=manager_id, report_id=report_id, day=day, source=SOURCE))
    session.flush()
    return DetectionResult(meetings=len(meetings), found=len(found), added=len(new))
