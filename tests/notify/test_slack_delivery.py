"""Channel posts to the Slack incoming webhook, against a real HTTP server on 127.0.0.1: the exact payload, and
how 429 / 5xx / 4xx answers are handled."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from tests.notify.conftest import WebhookSink, weekday_morning

from teamweave.config import Settings
from teamweave.notify import service
from teamweave.notify.delivery import deliver_due
from teamweave.notify.models import OutboxMessage

NOW = weekday_morning(23)  # a channel post has no recipient, so no quiet hours


def _post(session: Session, **extra: object) -> OutboxMessage:
    row = service.enqueue_channel_post(
        session, org="default", kind="team_digest", text="Platform this week: 3 recognitions", dedupe_key="d-1", **extra
    )  # type: ignore[arg-type]
    assert row is not None
    session.commit()
    return row


def _row(session: Session, row_id: int) -> OutboxMessage:
    session.expire_all()
    return session.scalars(select(OutboxMessage).where(OutboxMessage.id == row_id)).one()


def test_the_webhook_receives_the_slack_payload_byte_for_byte(
    session: Session, sessions: sessionmaker[Session], notify_settings: Settings, webhook: WebhookSink
) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Platform* — 3 recognitions"}}]
    row = _post(session, blocks=blocks)
    report = deliver_due(sessions, settings=notify_settings, now=NOW)
    assert report.sent == 1
    ((path, headers, body),) = webhook.requests
    assert path == "/services/T000/B000/XXXX"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert (
        body
        == (
            '{"text":"Platform this week: 3 recognitions","blocks":[{"type":"section",'
            '"text":{"type":"mrkdwn","text":"*Platform* — 3 recognitions"}}]}'
        ).encode()
    )
    assert _row(session, row.id).status == "sent"


def test_text_without_blocks_becomes_one_escaped_section(
    session: Session, sessions: sessionmaker[Session], notify_settings: Settings, webhook: WebhookSink
) -> None:
    service.enqueue_channel_post(session, org="default", kind="recognition", text="Ana <3 & Bo", dedupe_key="r-1")
    session.commit()
    deliver_due(sessions, settings=notify_settings, now=NOW)
    assert webhook.requests[0][2] == (
        b'{"text":"Ana &lt;3 &amp; Bo","blocks":[{"type":"section",'
        b'"text":{"type":"mrkdwn","text":"Ana &lt;3 &amp; Bo"}}]}'
    )


def test_429_waits_at_least_retry_after(
    session: Session, sessions: sessionmaker[Session], notify_settings: Settings, webhook: WebhookSink
) -> None:
    row = _post(session)
    webhook.answers = [(429, {"Retry-After": "600"}, b"rate_limited")]
    assert deliver_due(sessions, settings=notify_settings, now=NOW).retried == 1
    waiting = _row(session, row.id)
    assert service.utc(waiting.next_attempt_at) == NOW + timedelta(seconds=600)  # more than the 60 s backoff
    assert "429" in (waiting.last_error or "")
    assert deliver_due(sessions, settings=notify_settings, now=NOW + timedelta(seconds=599)).handled == 0
    assert deliver_due(sessions, settings=notify_settings, now=NOW + timedelta(seconds=600)).sent == 1
    assert len(webhook.requests) == 2


def test_5xx_is_retried_and_other_4xx_fail_at_once(
    session: Session, sessions: sessionmaker[Session], notify_settings: Settings, webhook: WebhookSink
) -> None:
    first = _post(session)
    second = service.enqueue_channel_post(session, org="default", kind="team_digest", text="b", dedupe_key="d-2")
    assert second is not None
    session.commit()
    webhook.answers = [(503, {}, b"unavailable"), (404, {}, b"no_service")]
    report = deliver_due(sessions, settings=notify_settings, now=NOW)
    assert (report.retried, report.failed) == (1, 1)
    assert _row(session, first.id).status == "queued"
    gone = _row(session, second.id)
    assert gone.status == "failed"
    assert gone.last_error == "Slack 404 no_service"


def test_without_a_webhook_posts_are_skipped(
    session: Session, sessions: sessionmaker[Session], notify_settings: Settings, webhook: WebhookSink
) -> None:
    row = _post(session)
    off = notify_settings.model_copy(update={"slack_webhook_url": None})
    assert deliver_due(sessions, settings=off, now=NOW).skipped == 1
    assert _row(session, row.id).status == "skipped"
    assert webhook.requests == []
