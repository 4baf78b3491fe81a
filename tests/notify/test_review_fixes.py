"""Fixes from the review: erasure of messages ABOUT a person, one bad message not stopping delivery, the time read
per message, the Date header, and old channel posts purged (real SMTP server, SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker
from tests.notify.conftest import SmtpSink, weekday_morning
from tests.web.seeding import SeededOrg

from teamweave.config import Settings
from teamweave.errors import InputFormatError
from teamweave.notify import service
from teamweave.notify.delivery import CHANNEL_POST_RETENTION, deliver_due
from teamweave.notify.invites import Invite
from teamweave.notify.models import OutboxMessage, OutboxSubject
from teamweave.people.models import Person
from teamweave.privacy import erasure
from teamweave.store.events import EventStore

NOW = weekday_morning(10)


def _to(session: Session, seeded: SeededOrg, who: str, key: str, **extra: object) -> OutboxMessage:
    values: dict[str, object] = {"kind": "celebration_reminder", "subject": f"subject {key}", "text": f"text {key}"}
    values.update(extra)
    row = service.enqueue(
        session,
        org="default",
        recipient_id=seeded.people[who],
        dedupe_key=key,
        **values,  # type: ignore[arg-type]
    )
    assert row is not None
    return row


def _ids(session: Session) -> set[int]:
    session.expire_all()
    return set(session.scalars(select(OutboxMessage.id)))


def test_forget_person_deletes_messages_about_them_only(session: Session, seeded: SeededOrg) -> None:
    alice, bob = seeded.people["alice"], seeded.people["bob"]
    about_alice = _to(session, seeded, "mia", "birthday-alice", about=[alice])
    about_both = _to(session, seeded, "mia", "digest", about=[alice, bob, alice])
    about_bob = _to(session, seeded, "mia", "birthday-bob", about=[bob])
    post = service.enqueue_channel_post(
        session, org="default", kind="team_digest", text="Alice turns 30", dedupe_key="post", about=[alice]
    )
    unrelated = _to(session, seeded, "alice", "to-alice")
    assert post is not None
    session.commit()
    assert service.forget_person(session, org="default", person_id=alice) == 3
    session.commit()
    assert _ids(session) == {about_bob.id, unrelated.id}
    assert not {about_alice.id, about_both.id, post.id} & _ids(session)
    assert session.scalars(select(OutboxSubject.person_id)).all() == [bob]
    assert service.forget_person(session, org="default", person_id=alice) == 0


def test_a_second_enqueue_with_the_same_key_adds_no_subjects(session: Session, seeded: SeededOrg) -> None:
    _to(session, seeded, "mia", "same", about=[seeded.people["alice"]])
    again = service.enqueue(
        session,
        org="default",
        recipient_id=seeded.people["mia"],
        kind="celebration_reminder",
        subject="s",
        text="t",
        dedupe_key="same",
        about=[seeded.people["bob"]],
    )
    assert again is None
    assert int(session.execute(select(func.count()).select_from(OutboxSubject)).scalar_one()) == 1


def _rename(session: Session, person_id: int, name: str) -> None:
    session.execute(update(Person).where(Person.id == person_id).values(name=name))
    session.commit()


def test_a_name_with_a_newline_is_sent_with_a_space(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    _rename(session, seeded.people["alice"], "Alice\nSilva")
    _to(session, seeded, "alice", "n-1", subject="Hello\r\nBcc: evil@example.org")
    session.commit()
    report = deliver_due(sessions, settings=notify_settings, now=NOW)
    assert (report.sent, report.failed) == (1, 0)
    msg = smtp.messages[0].parsed()
    assert msg["To"] == "Alice Silva <alice@example.org>"
    assert msg["Subject"] == "Hello  Bcc: evil@example.org"
    assert msg["Bcc"] is None


def test_a_message_that_cannot_be_built_fails_alone(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    session.execute(update(Person).where(Person.id == seeded.people["alice"]).values(email="alice@\nexample.org"))
    session.commit()
    bad = _to(session, seeded, "alice", "bad")
    good = _to(session, seeded, "bob", "good")
    session.commit()
    report = deliver_due(sessions, settings=notify_settings, now=NOW)
    assert (report.sent, report.failed) == (1, 1)
    assert [r.rcpt_tos for r in smtp.messages] == [["bob@example.org"]]
    session.expire_all()
    failed = session.get(OutboxMessage, bad.id)
    assert failed is not None
    assert failed.status == "failed"
    assert failed.last_error is not None
    assert "could not build" in failed.last_error
    assert session.get(OutboxMessage, good.id).status == "sent"  # type: ignore[union-attr]
    assert deliver_due(sessions, settings=notify_settings, now=NOW).handled == 0  # not queued forever


def _ticking(start: datetime, step: timedelta) -> Iterator[datetime]:
    moment = start
    while True:
        yield moment
        moment += step


def test_the_time_is_read_per_message(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    for i in range(3):
        _to(session, seeded, "alice", f"t-{i}")
    session.commit()
    times = _ticking(NOW.replace(hour=19, minute=50), timedelta(minutes=3))  # quiet hours start at 20:00 Lisbon
    report = deliver_due(sessions, settings=notify_settings, clock=lambda: next(times))
    assert report.sent >= 1
    assert report.postponed >= 1  # a batch time fixed at 19:50 would have sent all three
    dates = [parsedate_to_datetime(str(m.parsed()["Date"])) for m in smtp.messages]
    assert all(d.hour == 19 and d.minute > 50 for d in dates)


def test_the_date_header_is_the_send_time(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    _to(session, seeded, "alice", "d-1")
    session.commit()
    later = NOW + timedelta(days=1, hours=3)
    deliver_due(sessions, settings=notify_settings, now=later)
    assert parsedate_to_datetime(str(smtp.messages[0].parsed()["Date"])) == later


def test_old_channel_posts_are_purged(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings
) -> None:
    post = service.enqueue_channel_post(session, org="default", kind="team_digest", text="x", dedupe_key="p")
    assert post is not None
    session.commit()
    assert deliver_due(sessions, settings=notify_settings, now=NOW).sent == 1
    assert deliver_due(sessions, settings=notify_settings, now=NOW + timedelta(days=30)).purged == 0
    late = datetime.now(UTC) + CHANNEL_POST_RETENTION + timedelta(days=1)
    assert deliver_due(sessions, settings=notify_settings, now=late).purged == 1
    assert post.id not in _ids(session)


def test_a_request_for_a_1on1_reaches_the_manager_by_mail_without_an_unsubscribe_link(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    mia = seeded.people["mia"]
    with pytest.raises(InputFormatError):
        service.unsubscribe(session, org="default", person_id=mia, kind="checkin_request")
    service.set_subscriptions(session, org="default", person_id=mia, subscribed=set())
    assert not service.is_unsubscribed(session, org="default", person_id=mia, kind="checkin_request")
    row = service.enqueue(
        session, org="default", recipient_id=mia, kind="checkin_request", subject="Alice asks", text="t", dedupe_key="a"
    )
    assert row is not None
    session.commit()
    assert deliver_due(sessions, settings=notify_settings, now=NOW).sent == 1
    msg = smtp.messages[0].parsed()
    assert msg["List-Unsubscribe"] is None
    assert "cannot be turned off" in msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def _invite(session: Session, seeded: SeededOrg, key: str, start: datetime) -> OutboxMessage:
    invite = Invite(
        uid=f"uid-{key}",
        start=start,
        end=start + timedelta(minutes=30),
        summary="1:1",
        organizer_email="mia@example.org",
        attendee_emails=("alice@example.org",),
    )
    row = service.enqueue(
        session,
        org="default",
        recipient_id=seeded.people["alice"],
        kind="one_on_one_invite",
        subject="1:1",
        text="t",
        dedupe_key=key,
        invite=invite,
    )
    assert row is not None
    session.commit()
    return row


def test_invites_are_neither_held_nor_counted_by_the_weekly_cap(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    for i in range(3):  # the cap is 3
        _to(session, seeded, "alice", f"cap-{i}")
    session.commit()
    assert deliver_due(sessions, settings=notify_settings, now=NOW).sent == 3
    _invite(session, seeded, "inv", NOW + timedelta(days=1))
    _to(session, seeded, "alice", "over-the-cap")
    session.commit()
    report = deliver_due(sessions, settings=notify_settings, now=NOW + timedelta(minutes=5))
    assert (report.sent, report.postponed) == (1, 1)
    assert smtp.messages[-1].parsed()["Subject"] == "1:1"


def test_an_invite_for_a_meeting_within_a_day_skips_quiet_hours(
    session: Session, sessions: sessionmaker[Session], seeded: SeededOrg, notify_settings: Settings, smtp: SmtpSink
) -> None:
    late = NOW.replace(hour=22)  # quiet in Lisbon
    soon = _invite(session, seeded, "soon", late + timedelta(hours=11))
    later = _invite(session, seeded, "later", late + timedelta(days=3))
    report = deliver_due(sessions, settings=notify_settings, now=late)
    assert (report.sent, report.postponed) == (1, 1)
    session.expire_all()
    assert [session.get(OutboxMessage, r.id).status for r in (soon, later)] == ["sent", "queued"]  # type: ignore[union-attr]


def test_erasure_deletes_the_messages_about_the_person(session: Session, seeded: SeededOrg, tmp_path: Path) -> None:
    alice = seeded.people["alice"]
    about = _to(session, seeded, "mia", "birthday-alice", about=[alice])
    other = _to(session, seeded, "mia", "birthday-bob", about=[seeded.people["bob"]])
    session.commit()
    erasure.erase_person(session, org="default", email="alice@example.org", events=EventStore(tmp_path / "events"))
    session.commit()
    assert about.id not in _ids(session)
    assert other.id in _ids(session)
