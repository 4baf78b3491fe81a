"""Nudges for overdue 1:1s, and a report asking their manager for one. Everything goes through the outbox
(:func:`teamweave.notify.service.enqueue`, called in one place: :func:`_send`).

* **The manager first**: a pair that is overdue gets one ``checkin_nudge`` to the manager per *overdue spell*
  (dedupe key ``checkin_nudge:<manager>:<report>:<spell>``, where the spell is the day the pair became overdue,
  or ``never`` when no 1:1 was ever held; a held 1:1 ends the spell, the next overdue day starts a new one).
* **Then the report**: when the pair is still overdue :data:`GRACE_DAYS` days later, the report gets one
  ``checkin_nudge`` telling them they can ask for a 1:1 (key ``checkin_can_ask:<manager>:<report>:<spell>``).
  A pair never held counts from the report's start date plus the cadence; without a start date the report is
  not told (the manager is still nudged).
* **Before the 1:1**: the day before a pair's next 1:1 is due (last 1:1 + cadence), the manager gets one
  ``coaching_prompt`` linking to the report's page, where the prompts are (key
  ``coaching_prompt:<manager>:<report>:<due day>``). The message carries no signal: only the page shows them.
* **Asking**: a report can ask for a 1:1 from their check-in page at any time: a ``checkin_request`` to their
  current manager, at most one a day (key ``checkin_request:<report>:<day>``).
* **Scheduling**: the manager schedules the next 1:1 on the report's page: a ``one_on_one_invite`` with a
  calendar invite (:class:`teamweave.notify.invites.Invite`) to each of the two (key
  ``one_on_one_invite:<uid>:<person>``; the same time scheduled twice sends nothing new).

Services never commit.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from teamweave.accounts.models import User
from teamweave.checkins import repository
from teamweave.checkins.models import DEFAULT_CADENCE_DAYS
from teamweave.checkins.notes import pair_of
from teamweave.config import Settings
from teamweave.errors import Forbidden, InputFormatError
from teamweave.notify import service as notify
from teamweave.notify.invites import Invite
from teamweave.people import service as people
from teamweave.people.schemas import DirectoryEntry

GRACE_DAYS = 7
MEETING_MINUTES = (15, 120)


def _send(
    session: Session,
    *,
    org: str,
    recipient_id: int,
    kind: str,
    subject: str,
    text: str,
    key: str,
    link: str,
    invite: Invite | None = None,
) -> bool:
    """Enqueue one message to a person through the outbox; False when it was already queued (same key) or the
    recipient unsubscribed from ``kind``."""
    row = notify.enqueue(
        session,
        org=org,
        recipient_id=recipient_id,
        kind=kind,
        subject=subject,
        text=text,
        dedupe_key=key,
        link=link,
        invite=invite,
    )
    return row is not None


def overdue_since(last_held: date | None, *, every_days: int, start: date | None) -> date | None:
    """The first overdue day of the current spell: the day after ``last_held + every_days``; for a pair never
    held, the day after ``start + every_days``; None when neither is known.

    >>> overdue_since(date(2026, 11, 2), every_days=14, start=None)
    datetime.date(2026, 11, 17)
    """
    base = last_held if last_held is not None else start
    return None if base is None else base + timedelta(days=every_days + 1)


def _pair_reminders(session: Session, *, org: str, manager: DirectoryEntry, report: DirectoryEntry, today: date) -> int:
    row = repository.pair(session, org=org, manager_id=manager.person_id, report_id=report.person_id)
    every = row.every_days if row is not None else DEFAULT_CADENCE_DAYS
    last = repository.last_held(session, org=org, manager_id=manager.person_id, report_id=report.person_id)
    if last is not None and (today - last).days <= every:
        return _prompt_reminder(
            session, org=org, manager=manager, report=report, due=last + timedelta(days=every), today=today
        )
    since = overdue_since(last, every_days=every, start=report.start_date)
    if since is not None and since > today:
        return 0  # a new report whose first cycle is still running
    spell = since.isoformat() if last is not None and since is not None else "never"
    when = f"the last one was on {last.isoformat()}" if last else "none is recorded yet"
    sent = _send(
        session,
        org=org,
        recipient_id=manager.person_id,
        kind="checkin_nudge",
        subject=f"Your 1:1 with {report.name} is overdue",
        text=f"You planned a 1:1 with {report.name} every {every} days; {when}. A short conversation counts.",
        key=f"checkin_nudge:{manager.person_id}:{report.person_id}:{spell}",
        link=f"/checkins/reports/{report.person_id}",
    )
    count = int(sent)
    if since is not None and (today - since).days >= GRACE_DAYS:
        count += _send(
            session,
            org=org,
            recipient_id=report.person_id,
            kind="checkin_nudge",
            subject=f"It has been a while since your 1:1 with {manager.name}",
            text=f"You can ask {manager.name} for a 1:1 from your check-in page; they will get a message.",
            key=f"checkin_can_ask:{manager.person_id}:{report.person_id}:{spell}",
            link="/checkins",
        )
    return count


def _prompt_reminder(
    session: Session, *, org: str, manager: DirectoryEntry, report: DirectoryEntry, due: date, today: date
) -> int:
    """The day before a 1:1 is due: a pointer to the coaching prompts on the report's page."""
    if (due - today).days != 1:
        return 0
    return int(
        _send(
            session,
            org=org,
            recipient_id=manager.person_id,
            kind="coaching_prompt",
            subject=f"Before your 1:1 with {report.name}",
            text=f"Your 1:1 with {report.name} is due tomorrow. Notes, action items and a few questions to open "
            "with are on their page.",
            key=f"coaching_prompt:{manager.person_id}:{report.person_id}:{due.isoformat()}",
            link=f"/checkins/reports/{report.person_id}",
        )
    )


def queue_reminders(session: Session, *, org: str, today: date, settings: Settings) -> int:
    """Enqueue every check-in nudge due today (see the module docstring); idempotent. Returns how many were
    enqueued. ``settings`` is part of the reminders contract; the nudges need none of them."""
    entries = people.directory(session, org=org)
    by_id = {e.person_id: e for e in entries}
    count = 0
    for report in entries:
        manager = by_id.get(report.manager_id) if report.manager_id is not None else None
        if manager is None or manager.person_id == report.person_id:
            continue
        count += _pair_reminders(session, org=org, manager=manager, report=report, today=today)
    return count


def request_one_on_one(session: Session, *, org: str, viewer: User, today: date) -> bool:
    """The viewer (a report) asks their current manager for a 1:1; False when they already asked today."""
    if viewer.person_id is None:
        raise Forbidden("your login is not linked to a person")
    me = people.get_person(session, org=org, person_id=viewer.person_id)
    if me.manager_id is None:
        raise InputFormatError("you have no manager in the directory, so there is no one to ask")
    return _send(
        session,
        org=org,
        recipient_id=me.manager_id,
        kind="checkin_request",
        subject=f"{me.name} asks for a 1:1",
        text=f"{me.name} would like a 1:1 with you soon. Their page: check-ins with {me.name}.",
        key=f"checkin_request:{me.id}:{today.isoformat()}",
        link=f"/checkins/reports/{me.id}",
    )


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def schedule_one_on_one(
    session: Session, *, org: str, viewer: User, report_id: int, local_start: datetime, minutes: int
) -> int:
    """The viewer schedules a 1:1 with one of their own reports at ``local_start`` (wall-clock time in the
    viewer's own time zone) for ``minutes``: a calendar invite to each of the two. Returns how many were queued."""
    if not MEETING_MINUTES[0] <= minutes <= MEETING_MINUTES[1]:
        raise InputFormatError(f"a 1:1 lasts {MEETING_MINUTES[0]} to {MEETING_MINUTES[1]} minutes", field="minutes")
    manager_id, report_id, side = pair_of(session, org=org, viewer=viewer, report_id=report_id)
    if side != "manager":
        raise Forbidden("the manager of the pair schedules its 1:1s")
    manager = people.get_person(session, org=org, person_id=manager_id)
    report = people.get_person(session, org=org, person_id=report_id)
    start = local_start.replace(tzinfo=_zone(manager.timezone)).astimezone(UTC)
    invite = Invite(
        uid=f"teamweave-1on1-{manager.id}-{report.id}-{start:%Y%m%dT%H%M%SZ}",
        start=start,
        end=start + timedelta(minutes=minutes),
        summary=f"1:1 {manager.name} / {report.name}",
        organizer_email=manager.email,
        attendee_emails=(report.email,),
    )
    subject = f"1:1 {manager.name} / {report.name}, {start:%Y-%m-%d %H:%M} UTC"
    sent = 0
    for person, link in ((manager, f"/checkins/reports/{report.id}"), (report, "/checkins")):
        sent += _send(
            session,
            org=org,
            recipient_id=person.id,
            kind="one_on_one_invite",
            subject=subject,
            text=f"A {minutes}-minute 1:1 of {manager.name} and {report.name}. The invite is attached.",
            key=f"one_on_one_invite:{invite.uid}:{person.id}",
            link=link,
            invite=invite,
        )
    return sent
