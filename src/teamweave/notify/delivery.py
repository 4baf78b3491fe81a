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

from sqlalchemy.orm import Session, sessionmaker

from teamweave.config import Settings
from teamweave.notify import repository, rules
from teamweave.notify import service as notify
from teamweave.notify.emails import build_email
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

Send = Callable[[], None]


@dataclass(frozen=True)
class _Claim:
    send: Send


def deliver_due(
    sessions: sessionmaker[Session],
    *,
    settings: Settings,
    now: datetime | None = None,
    limit: int | None = None,
    progress: ProgressReporter | None = None,
) -> DeliveryReport:
    """Push every queued message due at ``now`` (default: the current time) once; commits per message.

    Returns what happened: sent, retried (backoff), failed, skipped (channel off, unsubscribed), postponed
    (quiet hours, weekly cap) and interrupted (left mid-send by an earlier run).
    """
    moment = notify.utc(now) if now is not None else datetime.now(UTC)
    progress = progress or NullProgress()
    report = DeliveryReport()
    with session_scope(sessions) as session:
        for row in repository.stale_claims(session, claimed_before=moment - CLAIM_LEASE):
            row.status, row.last_error = FAILED, INTERRUPTED
            report.interrupted += 1
        due = repository.due_ids(session, now=moment, limit=limit)
    progress.start("Delivering notifications", total=len(due))
    with SmtpTransport(settings) as smtp:
        for message_id in due:
            _deliver_one(sessions, message_id, settings=settings, now=moment, smtp=smtp, report=report)
            progress.advance()
    progress.finish()
    return report


def _deliver_one(
    sessions: sessionmaker[Session],
    message_id: int,
    *,
    settings: Settings,
    now: datetime,
    smtp: SmtpTransport,
    report: DeliveryReport,
) -> None:
    with session_scope(sessions) as session:
        claim = _claim(session, message_id, settings=settings, now=now, smtp=smtp, report=report)
    if claim is None:
        return
    error: DeliveryError | None = None
    try:
        claim.send()
    except DeliveryError as exc:
        error = exc
    with session_scope(sessions) as session:
        row = repository.message(session, message_id=message_id)
        if row is not None:
            _record(row, error, settings=settings, now=now, report=report)


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
    zone = rules.zone_of(person.timezone)
    quiet_end = rules.quiet_hours_end(now, zone=zone, start=settings.quiet_hours_start, end=settings.quiet_hours_end)
    if quiet_end is not None:
        _postpone(row, quiet_end, report)
        return None
    week_start, week_end = rules.iso_week_bounds(now, zone=zone)
    sent = repository.pushes_sent(session, org=row.org, person_id=person.id, start=week_start, end=week_end)
    if sent >= settings.notify_weekly_cap:
        _postpone(row, week_end, report)
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
    )
    return _Claim(lambda: smtp.send(email))


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
