"""E-mail delivery end to end: enqueue, ``deliver_due``, and what the real SMTP server (aiosmtpd) received."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from tests.notify.conftest import SmtpSink, weekday_morning
from tests.web.seeding import SeededOrg

from teamweave.config import Settings
from teamweave.notify import service
from teamweave.notify.delivery import deliver_due
from teamweave.notify.invites import Invite
from teamweave.notify.models import OutboxMessage

NOW = weekday_morning(10)  # 10:00 in Lisbon (alice, mia): outside quiet hours


def _nudge(session: Session, seeded: SeededOrg, key: str = "nudge-1", **extra: object) -> OutboxMessage:
    row = service.enqueue(
        session,
        org="default",
        recipient_id=seeded.people["alice"],
        kind="checkin_nudge",
        subject="Time for your check-in",
        text="Your fortnightly check-in is due.\n\nIt takes two minutes.",
        dedupe_key=key,
        link="/checkins",
        **extra,  # type: ignore[arg-type]
    )
    assert row is not None
    session.commit()
    return row


def _row(session: Session, row_id: int) -> OutboxMessage:
    session.expire_all()
    found = session.scalars(select(OutboxMessage).where(OutboxMessage.id == row_id)).one()
    return found


def test_an_email_arrives_with_text_html_and_stable_headers(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    row = _nudge(session, seeded)
    report = deliver_due(sessions, settings=notify_settings, now=NOW)
    assert (report.sent, report.failed, report.retried) == (1, 0, 0)
    assert len(smtp.messages) == 1
    received = smtp.messages[0]
    assert received.mail_from == "teamweave@tw.example.org"
    assert received.rcpt_tos == ["alice@example.org"]
    msg = received.parsed()
    assert msg["To"] == "Alice <alice@example.org>"
    assert msg["Subject"] == "Time for your check-in"
    assert msg["Message-ID"].startswith(f"<outbox.{row.id}.")
    assert msg["Message-ID"].endswith("@tw.example.org>")
    assert msg.get_content_type() == "multipart/alternative"
    text, html = msg.iter_parts()
    one_click = str(msg["List-Unsubscribe"]).strip("<>")
    assert one_click.startswith("https://tw.example.org/unsubscribe/one-click?token=")
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = one_click.replace("/unsubscribe/one-click?", "/unsubscribe?")
    assert text.get_content() == (
        "Your fortnightly check-in is due.\n\nIt takes two minutes.\n\n"
        "https://tw.example.org/checkins\n\n"
        f"-- \nStop e-mails of this kind (reminders to fill in your wellbeing check-in): {unsubscribe}\n"
    )
    assert html.get_content_type() == "text/html"
    body = html.get_content()
    assert "<p>Your fortnightly check-in is due.</p><p>It takes two minutes.</p>" in body
    assert '<a href="https://tw.example.org/checkins">' in body
    token = unsubscribe.split("token=")[1]
    assert service.read_unsubscribe_token(notify_settings.resolved_session_secret(), token) == (
        "default",
        seeded.people["alice"],
        "checkin_nudge",
    )
    sent = _row(session, row.id)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 1, None)
    assert deliver_due(sessions, settings=notify_settings, now=NOW + timedelta(hours=1)).sent == 0
    assert len(smtp.messages) == 1


def test_text_is_escaped_in_the_html_part(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    service.enqueue(
        session,
        org="default",
        recipient_id=seeded.people["alice"],
        kind="recognition",
        subject="You were recognised",
        text="<script>x</script> & more",
        dedupe_key="rec-1",
    )
    session.commit()
    deliver_due(sessions, settings=notify_settings, now=NOW)
    html = smtp.messages[0].parsed().get_body(("html",))
    assert html is not None
    assert "&lt;script&gt;x&lt;/script&gt; &amp; more" in html.get_content()
    assert "<script>" not in html.get_content()


def test_an_invite_carries_a_request_calendar_that_parses_back(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    start = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    invite = Invite(
        uid="one-on-one-42@tw.example.org",
        start=start,
        end=start + timedelta(minutes=30),
        summary="1:1 Mia / Alice",
        organizer_email="mia@example.org",
        attendee_emails=("alice@example.org",),
        sequence=2,
    )
    service.enqueue(
        session,
        org="default",
        recipient_id=seeded.people["alice"],
        kind="one_on_one_invite",
        subject="1:1 with Mia",
        text="Mia invites you to a 1:1.",
        dedupe_key="invite-42-2",
        invite=invite,
    )
    session.commit()
    deliver_due(sessions, settings=notify_settings, now=NOW)
    msg = smtp.messages[0].parsed()
    assert msg.get_content_type() == "multipart/mixed"
    calendars = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    assert len(calendars) == 2  # the alternative calendar clients act on, and invite.ics
    assert all(p.get_param("method") == "REQUEST" for p in calendars)
    assert calendars[1].get_filename() == "invite.ics"
    for part in calendars:
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        calendar = Calendar.from_ical(payload)
        assert str(calendar["METHOD"]) == "REQUEST"
        (event,) = calendar.walk("VEVENT")
        assert str(event["UID"]) == "one-on-one-42@tw.example.org"
        assert event.decoded("DTSTART") == start
        assert event.decoded("DTEND") == start + timedelta(minutes=30)
        assert event.decoded("DTSTAMP").tzinfo is not None
        assert str(event["SUMMARY"]) == "1:1 Mia / Alice"
        assert str(event["ORGANIZER"]) == "mailto:mia@example.org"
        assert str(event["ATTENDEE"]) == "mailto:alice@example.org"
        assert event["ATTENDEE"].params["RSVP"] == "TRUE"
        assert int(event["SEQUENCE"]) == 2
    assert b"DTSTART:20261201T140000Z" in calendars[1].get_payload(decode=True)


def test_quiet_hours_hold_an_email_until_they_end_in_the_recipients_zone(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    row = _nudge(session, seeded)
    late = NOW.replace(hour=22)  # 22:00 in Lisbon (UTC+0 in winter, UTC+1 in summer: quiet either way)
    report = deliver_due(sessions, settings=notify_settings, now=late)
    assert (report.postponed, report.sent) == (1, 0)
    assert smtp.messages == []
    waiting = _row(session, row.id)
    assert waiting.status == "queued"
    assert waiting.attempts == 0
    assert service.inbox(session, org="default", person_id=seeded.people["alice"], now=late)  # the inbox shows it
    ends = service.utc(waiting.next_attempt_at)
    assert ends > late
    assert ends.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Lisbon")).hour == 8
    assert deliver_due(sessions, settings=notify_settings, now=ends - timedelta(minutes=1)).sent == 0
    assert deliver_due(sessions, settings=notify_settings, now=ends).sent == 1
    assert len(smtp.messages) == 1


def test_the_weekly_cap_holds_further_emails_until_next_week(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    rows = [_nudge(session, seeded, key=f"nudge-{i}") for i in range(5)]  # cap is 3
    report = deliver_due(sessions, settings=notify_settings, now=NOW)
    assert (report.sent, report.postponed) == (3, 2)
    assert len(smtp.messages) == 3
    held = _row(session, rows[4].id)
    monday = (NOW - timedelta(days=NOW.weekday()) + timedelta(days=7)).date()
    assert service.utc(held.next_attempt_at).date() == monday  # Monday 00:00 Lisbon = 00:00 UTC in winter
    assert deliver_due(sessions, settings=notify_settings, now=NOW + timedelta(days=2)).sent == 0
    next_week = NOW + timedelta(days=7)
    assert deliver_due(sessions, settings=notify_settings, now=next_week).sent == 2
    assert len(smtp.messages) == 5


def test_an_unsubscribe_after_enqueue_drops_the_email(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    row = _nudge(session, seeded)
    service.unsubscribe(session, org="default", person_id=seeded.people["alice"], kind="checkin_nudge")
    session.commit()
    report = deliver_due(sessions, settings=notify_settings, now=NOW)
    assert (report.skipped, report.sent) == (1, 0)
    assert smtp.messages == []
    assert _row(session, row.id).status == "skipped"


def test_retries_back_off_exponentially_then_fail_with_the_last_error(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    row = _nudge(session, seeded)
    smtp.replies = ["451 4.3.0 try again later", "452 4.3.1 mailbox busy", "421 4.3.2 closing"]
    first = deliver_due(sessions, settings=notify_settings, now=NOW)
    assert first.retried == 1
    after_one = _row(session, row.id)
    assert (after_one.status, after_one.attempts) == ("queued", 1)
    assert service.utc(after_one.next_attempt_at) == NOW + timedelta(seconds=60)
    assert deliver_due(sessions, settings=notify_settings, now=NOW + timedelta(seconds=59)).handled == 0
    second = NOW + timedelta(seconds=60)
    assert deliver_due(sessions, settings=notify_settings, now=second).retried == 1
    assert service.utc(_row(session, row.id).next_attempt_at) == second + timedelta(seconds=120)
    third = deliver_due(sessions, settings=notify_settings, now=second + timedelta(seconds=120))
    assert third.failed == 1  # notify_max_attempts = 3
    failed = _row(session, row.id)
    assert failed.status == "failed"
    assert failed.attempts == 3
    assert failed.last_error is not None
    assert "421" in failed.last_error
    assert smtp.messages == []


def test_a_permanent_refusal_fails_at_once_and_a_retry_can_succeed(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    bad, good = _nudge(session, seeded, key="a"), _nudge(session, seeded, key="b")
    smtp.replies = ["550 5.1.1 no such user", "451 4.3.0 later"]
    report = deliver_due(sessions, settings=notify_settings, now=NOW)
    assert (report.failed, report.retried) == (1, 1)
    assert _row(session, bad.id).status == "failed"
    assert "550" in (_row(session, bad.id).last_error or "")
    assert deliver_due(sessions, settings=notify_settings, now=NOW + timedelta(minutes=1)).sent == 1
    assert _row(session, good.id).status == "sent"
    assert len(smtp.messages) == 1


def test_without_smtp_the_message_stays_in_the_inbox_only(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    row = _nudge(session, seeded)
    off = notify_settings.model_copy(update={"smtp_host": None})
    assert deliver_due(sessions, settings=off, now=NOW).skipped == 1
    assert _row(session, row.id).status == "skipped"
    assert smtp.messages == []
    assert [i.id for i in service.inbox(session, org="default", person_id=seeded.people["alice"], now=NOW)] == [row.id]


def test_a_down_smtp_server_is_retried(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings
) -> None:
    row = _nudge(session, seeded)
    from tests.notify.conftest import free_port

    down = notify_settings.model_copy(update={"smtp_port": free_port()})
    assert deliver_due(sessions, settings=down, now=NOW).retried == 1
    assert "SMTP connection" in (_row(session, row.id).last_error or "")
