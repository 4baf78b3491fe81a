"""A report asking their manager for a 1:1, and the manager scheduling the pair's next 1:1 with an invite.

* **Asking**: a report can ask for a 1:1 from their check-in page at any time: a ``checkin_request`` to their
  current manager, at most one a day (key ``checkin_request:<report>:<day>``). Nobody can unsubscribe from
  ``checkin_request`` (:data:`teamweave.notify.kinds.REQUIRED_KINDS`), so a request never vanishes.
* **Scheduling**: the manager schedules the next 1:1 on the report's page: a ``one_on_one_invite`` with a
  calendar invite (:class:`teamweave.notify.invites.Invite`) to each of the two. The pair's next 1:1 is one
  calendar event (a :class:`ScheduledOneOnOne` row): rescheduling it before it ends sends an update of the same
  event (same UID, SEQUENCE + 1); once it has ended, the next scheduling starts a new event. Key
  ``one_on_one_invite:<uid>:<sequence>:<person>``; the same time scheduled twice sends nothing new.

Services never commit.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from teamweave.accounts.models import User
from teamweave.checkins import repository
from teamweave.checkins.models import ScheduledOneOnOne
from teamweave.checkins.notes import pair_of
from teamweave.errors import Forbidden, InputFormatError
from teamweave.notify import service as notify
from teamweave.notify.invites import Invite
from teamweave.people import service as people

if TYPE_CHECKING:  # the type people.service returns; never read directly
    from teamweave.people.models import Person

MEETING_MINUTES = (15, 120)


def request_one_on_one(session: Session, *, org: str, viewer: User, today: date) -> bool:
    """The viewer (a report) asks their current manager for a 1:1; False when they already asked today."""
    if viewer.person_id is None:
        raise Forbidden("your login is not linked to a person")
    me = people.get_person(session, org=org, person_id=viewer.person_id)
    if me.manager_id is None:
        raise InputFormatError("you have no manager in the directory, so there is no one to ask")
    row = notify.enqueue(
        session,
        org=org,
        recipient_id=me.manager_id,
        kind="checkin_request",
        subject=f"{me.name} asks for a 1:1",
        text=f"{me.name} would like a 1:1 with you soon. Their page: check-ins with {me.name}.",
        dedupe_key=f"checkin_request:{me.id}:{today.isoformat()}",
        link=f"/checkins/reports/{me.id}",
        about=(me.id,),
    )
    return row is not None


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _meeting(
    session: Session, *, org: str, manager_id: int, report_id: int, start: datetime, minutes: int, now: datetime
) -> ScheduledOneOnOne | None:
    """The pair's scheduled 1:1 made or moved to ``start``; None when it is already at that time."""
    row = repository.scheduled(session, org=org, manager_id=manager_id, report_id=report_id)
    if row is None:
        row = ScheduledOneOnOne(
            org=org, manager_id=manager_id, report_id=report_id, uid="", sequence=0, meetings=1, start=start,
            minutes=minutes,
        )  # fmt: skip
        repository.add(session, row)
    elif _utc(row.start) + timedelta(minutes=row.minutes) <= now:
        row.meetings, row.sequence = row.meetings + 1, 0  # the last one has ended: a new calendar event
    elif _utc(row.start) == start and row.minutes == minutes:
        return None
    else:
        row.sequence += 1  # rescheduled: an update of the same event
    row.uid = f"teamweave-1on1-{manager_id}-{report_id}-{row.meetings}@teamweave"
    row.start, row.minutes = start, minutes
    session.flush()
    return row


def schedule_one_on_one(
    session: Session,
    *,
    org: str,
    viewer: User,
    report_id: int,
    local_start: datetime,
    minutes: int,
    now: datetime | None = None,
) -> int:
    """The viewer schedules (or moves) the next 1:1 with one of their own reports at ``local_start`` (wall-clock
    time in the viewer's own time zone) for ``minutes``: a calendar invite to each of the two (see the module
    docstring). Returns how many were queued."""
    if not MEETING_MINUTES[0] <= minutes <= MEETING_MINUTES[1]:
        raise InputFormatError(f"a 1:1 lasts {MEETING_MINUTES[0]} to {MEETING_MINUTES[1]} minutes", field="minutes")
    manager_id, report_id, side = pair_of(session, org=org, viewer=viewer, report_id=report_id)
    if side != "manager":
        raise Forbidden("the manager of the pair schedules its 1:1s")
    manager = people.get_person(session, org=org, person_id=manager_id)
    report = people.get_person(session, org=org, person_id=report_id)
    start = local_start.replace(tzinfo=_zone(manager.timezone)).astimezone(UTC)
    moment = _utc(now) if now is not None else datetime.now(UTC)
    meeting = _meeting(
        session, org=org, manager_id=manager.id, report_id=report.id, start=start, minutes=minutes, now=moment
    )
    if meeting is None:
        return 0
    invite = Invite(
        uid=meeting.uid,
        start=start,
        end=start + timedelta(minutes=minutes),
        summary=f"1:1 {manager.name} / {report.name}",
        organizer_email=manager.email,
        attendee_emails=(report.email,),
        sequence=meeting.sequence,
    )
    return _send_invites(session, org=org, manager=manager, report=report, invite=invite, minutes=minutes)


def _send_invites(session: Session, *, org: str, manager: Person, report: Person, invite: Invite, minutes: int) -> int:
    """The invite to each of the two, each message naming the other (``about``); how many were queued."""
    moved = " (moved)" if invite.sequence else ""
    subject = f"1:1 {manager.name} / {report.name}, {invite.start:%Y-%m-%d %H:%M} UTC{moved}"
    sent = 0
    for person, other, link in ((manager, report, f"/checkins/reports/{report.id}"), (report, manager, "/checkins")):
        row = notify.enqueue(
            session,
            org=org,
            recipient_id=person.id,
            kind="one_on_one_invite",
            subject=subject,
            text=f"A {minutes}-minute 1:1 of {manager.name} and {report.name}. The invite is attached.",
            dedupe_key=f"one_on_one_invite:{invite.uid}:{invite.sequence}:{person.id}",
            link=link,
            invite=invite,
            about=(other.id,),
        )
        sent += row is not None
    return sent
