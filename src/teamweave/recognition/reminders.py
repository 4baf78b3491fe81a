"""Recognition nudges, queued through the notify outbox.

:func:`queue_reminders` is called once a day by ``teamweave remind``. It sends each manager with at least one
direct report not recognised for ``settings.recognition_equity_weeks`` weeks one ``recognition_nudge`` a week
(the dedupe key carries the ISO week, so running it again that week enqueues nothing). The nudge says how many
reports and links to the equity page; it names nobody, so who was shown to whom stays in the audit log of
that page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from teamweave.config import Settings
from teamweave.notify import service as notify
from teamweave.people import service as people
from teamweave.recognition.equity import unrecognised_reports

KIND = "recognition_nudge"
PAGE = "/recognition/equity"


def nudge_words(count: int, *, weeks: int) -> tuple[str, str]:
    """(subject, text) of a manager's nudge for ``count`` reports not recognised in ``weeks`` weeks.

    >>> nudge_words(1, weeks=8)[0]
    '1 of your reports has not been recognised in 8 weeks'
    """
    who = "1 of your reports has" if count == 1 else f"{count} of your reports have"
    subject = f"{who} not been recognised in {weeks} weeks"
    text = (
        f"{subject}. A specific thank-you, tied to one of our values, helps people feel seen. "
        "Only you see who it is, on your recognition equity page."
    )
    return subject, text


def queue_reminders(session: Session, *, org: str, today: date, settings: Settings) -> int:
    """Enqueue this week's recognition nudge to every manager who has reports not recognised lately."""
    weeks = settings.recognition_equity_weeks
    link = settings.public_url.rstrip("/") + PAGE
    year, week, _ = today.isocalendar()
    now = datetime.combine(today, time(23, 59, 59), tzinfo=UTC)
    managers = sorted({e.manager_id for e in people.directory(session, org=org) if e.manager_id is not None})
    count = 0
    for manager_id in managers:
        rows = unrecognised_reports(session, org=org, manager_id=manager_id, now=now, weeks=weeks)
        missing = sum(1 for r in rows if not r.recognised_lately)
        if not missing:
            continue
        subject, text = nudge_words(missing, weeks=weeks)
        sent = notify.enqueue(
            session,
            org=org,
            recipient_id=manager_id,
            kind=KIND,
            subject=subject,
            text=f"{text}\n\n{link}",
            link=link,
            dedupe_key=f"{KIND}:{manager_id}:{year}-W{week:02d}",
        )
        count += sent is not None
    return count
