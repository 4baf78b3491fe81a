"""Celebration reminders and weekly team digests, queued through the notify outbox.

:func:`queue_reminders` is called once a day by ``teamweave remind``. It is idempotent: every message has a
dedupe key with the celebration's day or the ISO week, so a second run (the same day or later in the week)
enqueues nothing new.

* ``celebration_reminder``: to a person's manager, ``settings.celebration_reminder_days`` days before the
  report's work anniversary (unless hidden) or opted-in birthday. The window runs from today to that day,
  so a day the job did not run is caught up on the next run.
* ``team_digest``: once per ISO week, to each member of every team that has something to celebrate that
  week, plus one post per team to the organisation's Slack channel (webhook), if there is one.

Every message says whom it names (notify's ``about``: the person celebrated; everyone a digest names, its
other sections included), so erasing any of them removes it.

Both name people to others, like the celebration lists on the web and the command line, so each is audited
as an operator's action: one ``queue_celebration_reminder`` entry (subject: the person celebrated) per
reminder queued, one ``queue_team_digest`` entry (subject: the team) per digest queued. A run that queues
nothing new (the same day again) writes nothing.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from teamweave.audit import service as audit
from teamweave.config import Settings
from teamweave.moments import digest as digests
from teamweave.moments import service
from teamweave.moments.occurrences import iso_week_label, iso_week_start
from teamweave.moments.schemas import ANNIVERSARY, BIRTHDAY, Celebration, Digest, DigestSection
from teamweave.notify import service as notify
from teamweave.people import service as people

REMINDER_KIND = "celebration_reminder"
DIGEST_KIND = "team_digest"
PAGE = "/celebrations"
REMINDER_AUDIT = "queue_celebration_reminder"
DIGEST_AUDIT = "queue_team_digest"


def queue_reminders(
    session: Session,
    *,
    org: str,
    today: date,
    settings: Settings,
    extra_sections: dict[int, list[DigestSection]] | None = None,
) -> int:
    """Enqueue every celebration reminder and team digest due today; return how many were enqueued.

    ``extra_sections`` (team id -> sections) lets other capabilities add to a team's digest.
    """
    link = settings.public_url.rstrip("/") + PAGE
    count = _queue_manager_reminders(session, org=org, today=today, ahead=settings.celebration_reminder_days, link=link)
    monday = iso_week_start(today)
    by_team: dict[int, list[Celebration]] = {}
    for item in service.upcoming(session, org=org, first=monday, days=7):
        if item.team_id is not None:
            by_team.setdefault(item.team_id, []).append(item)
    for team_id, team_name in service.teams(session, org=org):
        digest = digests.compose(
            team_id=team_id,
            team_name=team_name,
            week_start=monday,
            celebrations=by_team.get(team_id, []),
            extra_sections=(extra_sections or {}).get(team_id, []),
        )
        if not digest.is_empty:
            count += _queue_digest(session, org=org, digest=digest, link=link)
    return count


def reminder_words(celebration: Celebration, *, today: date) -> tuple[str, str]:
    """(subject, text) of a manager's reminder; a birthday is said without a year or an age."""
    when = "today" if celebration.day == today else f"on {digests.day_words(celebration.day)}"
    name = celebration.person_name
    if celebration.kind == ANNIVERSARY:
        years = "1 year" if celebration.years == 1 else f"{celebration.years} years"
        subject = f"{name}'s work anniversary ({years}) is {when}"
        text = f"{name} has been with us {years} {when}. A word of thanks goes a long way."
    else:
        subject = f"{name}'s birthday is {when}"
        text = f"{name} chose to celebrate their birthday with the team; it is {when}."
    return subject, text


def _queue_manager_reminders(session: Session, *, org: str, today: date, ahead: int, link: str) -> int:
    count = 0
    managers = {e.person_id: e.manager_id for e in people.directory(session, org=org)}
    for item in service.upcoming(session, org=org, first=today, days=ahead + 1):
        if item.kind not in (ANNIVERSARY, BIRTHDAY) or item.person_id is None:
            continue
        manager_id = managers.get(item.person_id)
        if manager_id is None:
            continue
        subject, text = reminder_words(item, today=today)
        sent = notify.enqueue(
            session,
            org=org,
            recipient_id=manager_id,
            kind=REMINDER_KIND,
            subject=subject,
            text=f"{text}\n\n{link}",
            dedupe_key=f"{REMINDER_KIND}:{item.kind}:{item.person_id}:{item.day.isoformat()}:{manager_id}",
            link=link,
            about=[item.person_id],
        )
        if sent is not None:
            count += 1
            audit.record_operator_action(
                session, org=org, action=REMINDER_AUDIT, subject_kind="person", subject_id=item.person_id
            )
    return count


def _queue_digest(session: Session, *, org: str, digest: Digest, link: str) -> int:
    """The digest to each member of the team and one post to the channel, once per ISO week."""
    week = iso_week_label(digest.week_start)
    text, html = digests.as_text(digest, link=link), digests.as_html(digest, link=link)
    subject = digests.heading(digest)
    count = 0
    for member in people.team_members(session, org=org, team_id=digest.team_id):
        sent = notify.enqueue(
            session,
            org=org,
            recipient_id=member.id,
            kind=DIGEST_KIND,
            subject=subject[:200],
            text=text[:4000],
            html=html,
            link=link,
            dedupe_key=f"{DIGEST_KIND}:{digest.team_id}:{week}:{member.id}",
            about=digest.about,
        )
        count += sent is not None
    post = notify.enqueue_channel_post(
        session,
        org=org,
        kind=DIGEST_KIND,
        text=subject,
        blocks=digests.as_slack_blocks(digest, link=link),
        dedupe_key=f"{DIGEST_KIND}:{digest.team_id}:{week}:channel",
        about=digest.about,
    )
    count += post is not None
    if count:
        audit.record_operator_action(
            session, org=org, action=DIGEST_AUDIT, subject_kind="team", subject_id=digest.team_id
        )
    return count
