"""The delivery job: push every due outbox message once (``teamweave outbox deliver``, ``teamweave remind``).

Each message is its own transaction, in three steps:

1. **claim**: in one transaction, check the rules (e-mail/Slack configured, not unsubscribed, outside quiet
   hours, under the weekly cap), then mark the row ``sending`` (attempts + 1) and **commit**;
2. **send** through the transport, outside any transaction;
3. **record** ``sent``, a retry with backoff, or ``failed``, and **commit**.

At-most-once. If the process dies between 2 and 3, the row stays ``sending``: it is never sent again; the next
run after :data:`CLAIM_LEASE` marks it ``failed`` ("interrupted"). A restart mid-batch therefore never sends
anything twice; the price is that a message whose send was cut off may not arrive by e-mail or Slack, and every
person's message is in their web inbox anyway. At-least-once (re-sending ``sending`` rows) would turn every
crash in that window into a duplicate, which is what people notice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from teamweave.config import Settings
from teamweave.notify import repository, rules
from teamweave.notify import service as notify
from teamweave.notify.emails import build_email
from teamweave.notify.invites import Invite
from teamweave.notify.kinds import CAP_EXEMPT_KINDS, URGENT_INVITE_HOURS
from teamweave.notify.models import EMAIL, FAILED, QUEUED, SENT, SKIPPED, OutboxMessage
from teamweave.notify.schemas import DeliveryReport
from teamweave.notify.transports import DeliveryError, SmtpTransport, post_to_webhook, slack_payload
from teamweave.people import service as people
from teamweave.progress import NullProgress, ProgressReporter
from teamweave.store.session import session_scope

CLAIM_LEASE = timedelta(minutes=15)
ONE_CLICK_PATH = "/unsubscribe/one-click"
"""Path of the RFC 8058 one-click endpoint (``web.routes.inbox.one_click_unsubscribe``, added by web/app.py):
e-mails name it in ``List-Unsubscribe`` with ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``."""
INTERRUPTED = "interrupted between sending and recording; not sent again (at-most-once)"

CHANNEL_POST_RETENTION = timedelta(days=90)
"""Channel posts (Slack) that were sent, failed or skipped are deleted this long after they were made: they name
people, and nobody reads them back from the outbox."""

Send = Callable[[], None]
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class _Claim:
    send: Send


def deliver_due(
    sessions: sessionmaker[Session],
    *,
    settings: Settings,
    now: datetime | None = None,
    clock: Clock | None = None,
    limit: int | None = None,
    progress: ProgressReporter | None = None,
) -> DeliveryReport:
    """Push every queued message due at the start of the run once; commits per message.

    The time is read per message (``clock``, default the current time; ``now`` fixes one time for the whole
    run, for catching up and tests), so quiet hours and the weekly cap are judged when each message goes.
    A message that cannot even be built (a bad address) is marked ``failed`` with the error and the run goes on.
    Channel posts done with for more than :data:`CHANNEL_POST_RETENTION` are deleted first.

    Returns what happened: sent, retried (backoff), failed, skipped (channel off, unsubscribed), postponed
    (quiet hours, weekly cap), interrupted (left mid-send by an earlier run) and purged (old channel posts).
    """
    fixed = notify.utc(now) if now is not None else None
    tick: Clock = clock or (lambda: fixed or datetime.now(UTC))
    moment = notify.utc(tick())
    progress = progress or NullProgress()
    report = DeliveryReport()
    with session_scope(sessions) as session:
        for row in repository.stale_claims(session, claimed_before=moment - CLAIM_LEASE):
            row.status, row.last_error = FAILED, INTERRUPTED
            report.interrupted += 1
        report.purged = repository.purge_channel_posts(session, before=moment - CHANNEL_POST_RETENTION)
        due = repository.due_ids(session, now=moment, limit=limit)
    progress.start("Delivering notifications", total=len(due))
    with SmtpTransport(settings) as smtp:
        for message_id in due:
            _deliver_one(sessions, message_id, settings=settings, clock=tick, smtp=smtp, report=report)
            progress.advance()
    progress.finish()
    return report


def _deliver_one(
    sessions: sessionmaker[Session],
    message_id: int,
    *,
    settings: Settings,
    clock: Clock,
    smtp: SmtpTransport,
    report: DeliveryReport,
) -> None:
    now = notify.utc(clock())
    try:
        with session_scope(sessions) as session:
            claim = _claim(session, message_id, settings=settings, now=now, smtp=smtp, report=report)
    except Exception as exc:  # noqa: BLE001 - one bad message must not stop the others
        _fail_unbuildable(sessions, message_id, exc, report=report)
        return
    if claim is None:
        return
    error: DeliveryError | None = None
    try:
        claim.send()
    except DeliveryError as exc:
        error = exc
    except Exception as exc:  # noqa: BLE001 - e.g. an address the server library cannot encode
        error = DeliveryError(f"{type(exc).__name__}: {exc}", retryable=False)
    with session_scope(sessions) as session:
        row = repository.message(session, message_id=message_id)
        if row is not None:
            _record(row, error, settings=settings, now=notify.utc(clock()), report=report)


def _fail_unbuildable(
    sessions: sessionmaker[Session], message_id: int, exc: Exception, *, report: DeliveryReport
) -> None:
    """Mark a message whose rules or e-mail could not even be worked out ``failed``, with the error."""
    reason = f"could not build the message: {type(exc).__name__}: {exc}"[:500]
    with session_scope(sessions) as session:
        row = repository.message(session, message_id=message_id)
        if row is not None and row.status == QUEUED:
            row.status, row.last_error = FAILED, reason
    report.failed += 1
    report.errors.append(f"message {message_id}: {reason}")


def _claim(
    session: Session,
    message_id: int,
    *,
    settings: Settings,
    now: datetime,
    smtp: SmtpTransport,
    report: DeliveryReport,
) -> _Claim | None:
    """Apply the rules to a due row; when it is to be sent now, mark it ``sending`` and return how to send."""
    row = repository.message(session, message_id=message_id)
    if row is None or row.status != QUEUED or notify.utc(row.next_attempt_at) > now:
        return None
    if row.channel == EMAIL:
        claim = _email_claim(session, row, settings=settings, now=now, smtp=smtp, report=report)
    elif settings.slack_webhook_url:
        url, body = settings.slack_webhook_url, slack_payload(row.text, row.blocks)
        claim = _Claim(lambda: post_to_webhook(url, body))
    else:
        _skip(row, "Slack is off (no slack_webhook_url)", report)
        return None
    if claim is None or not repository.claim(session, message_id=row.id, now=now):
        return None
    return claim


def _skip(row: OutboxMessage, reason: str, report: DeliveryReport) -> None:
    row.status, row.last_error = SKIPPED, reason
    report.skipped += 1


def _postpone(row: OutboxMessage, until: datetime, report: DeliveryReport) -> None:
    row.next_attempt_at = until
    report.postponed += 1


def _email_claim(
    session: Session,
    row: OutboxMessage,
    *,
    settings: Settings,
    now: datetime,
    smtp: SmtpTransport,
    report: DeliveryReport,
) -> _Claim | None:
    """The rules for a push to a person: e-mail on, subscribed, outside quiet hours, under the weekly cap."""
    assert row.recipient_id is not None
    if not settings.smtp_host:
        _skip(row, "e-mail is off (no smtp_host)", report)
        return None
    if notify.is_unsubscribed(session, org=row.org, person_id=row.recipient_id, kind=row.kind):
        _skip(row, "unsubscribed from this kind", report)
        return None
    person = people.get_person(session, org=row.org, person_id=row.recipient_id)
    held_until = _held_until(
        session, row, person_id=person.id, zone=rules.zone_of(person.timezone), settings=settings, now=now
    )
    if held_until is not None:
        _postpone(row, held_until, report)
        return None
    token = notify.unsubscribe_token(
        settings.resolved_session_secret(), org=row.org, person_id=person.id, kind=row.kind
    )
    base = settings.public_url.rstrip("/")
    email: EmailMessage = build_email(
        row,
        recipient_name=person.name,
        recipient_email=person.email,
        sender=settings.smtp_from,
        public_url=settings.public_url,
        unsubscribe_url=f"{base}/unsubscribe?token={token}",
        one_click_url=f"{base}{ONE_CLICK_PATH}?token={token}" if ONE_CLICK_PATH else None,
        sent_at=now,
    )
    return _Claim(lambda: smtp.send(email))


def _urgent_invite(row: OutboxMessage, *, now: datetime) -> bool:
    """A 1:1 invite for a meeting that starts within :data:`URGENT_INVITE_HOURS` (or has started)."""
    if row.kind not in CAP_EXEMPT_KINDS or row.invite is None:
        return False
    start = notify.utc(Invite.from_json(row.invite).start)
    return start - now <= timedelta(hours=URGENT_INVITE_HOURS)


def _held_until(
    session: Session, row: OutboxMessage, *, person_id: int, zone: ZoneInfo, settings: Settings, now: datetime
) -> datetime | None:
    """Until when quiet hours or the weekly cap hold a push to the person; None when it may go now.

    1:1 invites are exempt from the cap, and from quiet hours when the meeting is less than a day away."""
    if not _urgent_invite(row, now=now):
        start, end = settings.quiet_hours_start, settings.quiet_hours_end
        quiet_end = rules.quiet_hours_end(now, zone=zone, start=start, end=end)
        if quiet_end is not None:
            return quiet_end
    if row.kind in CAP_EXEMPT_KINDS:
        return None
    week_start, week_end = rules.iso_week_bounds(now, zone=zone)
    sent = repository.pushes_sent(session, org=row.org, person_id=person_id, start=week_start, end=week_end)
    return week_end if sent >= settings.notify_weekly_cap else None


def _record(
    row: OutboxMessage, error: DeliveryError | None, *, settings: Settings, now: datetime, report: DeliveryReport
) -> None:
    """After a send: ``sent``; or queued again with exponential backoff; or ``failed`` with the error kept."""
    if error is None:
        row.status, row.sent_at, row.last_error = SENT, now, None
        report.sent += 1
        return
    row.last_error = str(error)[:500]
    report.errors.append(f"message {row.id}: {error}")
    if error.retryable and row.attempts < settings.notify_max_attempts:
        delay = rules.retry_delay(row.attempts, first_seconds=settings.notify_retry_seconds)
        if error.retry_after is not None:
            delay = max(delay, timedelta(seconds=error.retry_after))
        row.status, row.next_attempt_at = QUEUED, now + delay
        report.retried += 1
    else:
        row.status = FAILED
        report.failed += 1
