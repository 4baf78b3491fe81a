"""Nudges for overdue 1:1s and coaching prompts before them. Everything goes through the outbox
(:func:`teamweave.notify.service.enqueue`, called in one place: :func:`_send`); every message names the
person it is about (``about=``), so that erasing them deletes it.

Before anything is queued, 1:1s held in imported calendars are found (:func:`detect_held_one_on_ones`,
idempotent), so a manager who held one is not nudged.

* **The manager first**: a pair that is overdue gets one ``checkin_nudge`` to the manager per cadence period of
  its *overdue spell* (dedupe key ``checkin_nudge:<manager>:<report>:<spell>:p<n>``, where the spell is the day
  the pair became overdue, or ``never`` when no 1:1 was ever held, and ``n`` counts the cadence periods since
  the spell began). A held 1:1 ends the spell; a pair that stays overdue is nudged again every cadence period.
* **Then the report**: when the pair is still overdue :data:`GRACE_DAYS` days later, the report gets one
  ``checkin_nudge`` telling them they can ask for a 1:1 (key ``checkin_can_ask:<manager>:<report>:<spell>``).
  A pair never held counts from the report's start date plus the cadence; without a start date the report is
  not told (the manager is still nudged, per period counted from the calendar).
* **Before the 1:1**: in the :data:`PROMPT_DAYS` days before a pair's next 1:1 is due (last 1:1 + cadence), the
  manager gets one ``coaching_prompt`` linking to the report's page, where the prompts are (key
  ``coaching_prompt:<manager>:<report>:<due day>``, so once per due day, whichever weekdays the job runs on).
  The message carries no signal: only the page shows them.

Asking for a 1:1 and scheduling one are in :mod:`teamweave.checkins.scheduling`. The queries are grouped: one
for the directory, one for the cadences, one for the last held days, one for the dedupe keys already queued and
one for unsubscriptions, whatever the size of the organisation. Services never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from teamweave.checkins import repository
from teamweave.checkins.calendar_detection import detect_held_one_on_ones
from teamweave.checkins.models import DEFAULT_CADENCE_DAYS
from teamweave.config import Settings
from teamweave.notify import service as notify
from teamweave.notify.invites import Invite
from teamweave.people import service as people
from teamweave.people.schemas import DirectoryEntry
from teamweave.store.events import EventStore

GRACE_DAYS = 7
PROMPT_DAYS = 3
KEY_PREFIXES = ("checkin_nudge:", "checkin_can_ask:", "coaching_prompt:")


@dataclass(frozen=True)
class Queued:
    """What the outbox already holds, loaded once per run: dedupe keys queued before, and unsubscriptions."""

    keys: set[str]
    unsubscribed: dict[int, set[str]]

    @classmethod
    def load(cls, session: Session, *, org: str, prefixes: tuple[str, ...]) -> Queued:
        keys: set[str] = set()
        for prefix in prefixes:
            keys |= notify.existing_dedupe_keys(session, org=org, prefix=prefix)
        return cls(keys, notify.unsubscriptions_by_person(session, org=org))

    def skips(self, *, recipient_id: int, kind: str, key: str) -> bool:
        """Whether enqueueing is sure to add nothing (already queued, or the recipient stopped the kind)."""
        return key in self.keys or kind in self.unsubscribed.get(recipient_id, set())


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
    about: tuple[int, ...],
    invite: Invite | None = None,
    queued: Queued | None = None,
) -> bool:
    """Enqueue one message to a person through the outbox; False when it was already queued (same key) or the
    recipient unsubscribed from ``kind``. ``queued`` answers both without a query when it can."""
    if queued is not None and queued.skips(recipient_id=recipient_id, kind=kind, key=key):
        return False
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
        about=about,
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


def nudge_period(since: date | None, *, every_days: int, today: date) -> int:
    """Which cadence period of the overdue spell ``today`` falls in (0 = the first), so that a pair that stays
    overdue is nudged once per period; counted from the calendar when the spell's first day is unknown.

    >>> nudge_period(date(2026, 11, 17), every_days=14, today=date(2026, 12, 1))
    1
    """
    if since is None:
        return today.toordinal() // every_days
    return (today - since).days // every_days


@dataclass(frozen=True)
class _Pair:
    manager: DirectoryEntry
    report: DirectoryEntry
    every: int
    last: date | None


def _pair_reminders(session: Session, *, org: str, pair: _Pair, today: date, queued: Queued) -> int:
    manager, report, every, last = pair.manager, pair.report, pair.every, pair.last
    if last is not None and (today - last).days <= every:
        return _prompt_reminder(
            session, org=org, pair=pair, due=last + timedelta(days=every), today=today, queued=queued
        )
    since = overdue_since(last, every_days=every, start=report.start_date)
    if since is not None and since > today:
        return 0  # a new report whose first cycle is still running
    spell = since.isoformat() if last is not None and since is not None else "never"
    period = nudge_period(since, every_days=every, today=today)
    when = f"the last one was on {last.isoformat()}" if last else "none is recorded yet"
    ids = (manager.person_id, report.person_id)
    count = int(
        _send(
            session,
            org=org,
            recipient_id=manager.person_id,
            kind="checkin_nudge",
            subject=f"Your 1:1 with {report.name} is overdue",
            text=f"You planned a 1:1 with {report.name} every {every} days; {when}. A short conversation counts.",
            key=f"checkin_nudge:{ids[0]}:{ids[1]}:{spell}:p{period}",
            link=f"/checkins/reports/{report.person_id}",
            about=(report.person_id,),
            queued=queued,
        )
    )
    if since is not None and (today - since).days >= GRACE_DAYS:
        count += _send(
            session,
            org=org,
            recipient_id=report.person_id,
            kind="checkin_nudge",
            subject=f"It has been a while since your 1:1 with {manager.name}",
            text=f"You can ask {manager.name} for a 1:1 from your check-in page; they will get a message.",
            key=f"checkin_can_ask:{ids[0]}:{ids[1]}:{spell}",
            link="/checkins",
            about=(manager.person_id,),
            queued=queued,
        )
    return count


def _prompt_reminder(session: Session, *, org: str, pair: _Pair, due: date, today: date, queued: Queued) -> int:
    """In the days before a 1:1 is due: one pointer to the coaching prompts on the report's page."""
    if not 0 < (due - today).days <= PROMPT_DAYS:
        return 0
    manager, report = pair.manager, pair.report
    return int(
        _send(
            session,
            org=org,
            recipient_id=manager.person_id,
            kind="coaching_prompt",
            subject=f"Before your 1:1 with {report.name}",
            text=f"Your 1:1 with {report.name} is due on {due:%A %d %B}. Notes, action items and a few questions "
            "to open with are on their page.",
            key=f"coaching_prompt:{manager.person_id}:{report.person_id}:{due.isoformat()}",
            link=f"/checkins/reports/{report.person_id}",
            about=(report.person_id,),
            queued=queued,
        )
    )


def _pairs(session: Session, *, org: str) -> list[_Pair]:
    """Every current manager–report pair with its cadence and last held 1:1 (three queries in all)."""
    entries = people.directory(session, org=org)
    by_id = {e.person_id: e for e in entries}
    cadences = repository.cadences(session, org=org)
    lasts = repository.last_held_by_pair(session, org=org)
    pairs = []
    for report in entries:
        manager = by_id.get(report.manager_id) if report.manager_id is not None else None
        if manager is None or manager.person_id == report.person_id:
            continue
        key = (manager.person_id, report.person_id)
        pairs.append(_Pair(manager, report, cadences.get(key, DEFAULT_CADENCE_DAYS), lasts.get(key)))
    return pairs


def queue_reminders(session: Session, *, org: str, today: date, settings: Settings) -> int:
    """Find 1:1s held in imported calendars (from ``settings.events_dir``), then enqueue every check-in nudge
    due today (see the module docstring); idempotent. Returns how many were enqueued."""
    detect_held_one_on_ones(session, org=org, events=EventStore(settings.events_dir), today=today)
    queued = Queued.load(session, org=org, prefixes=KEY_PREFIXES)
    return sum(
        _pair_reminders(session, org=org, pair=pair, today=today, queued=queued) for pair in _pairs(session, org=org)
    )
