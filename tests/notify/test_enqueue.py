"""The enqueue contract, the inbox service, unsubscribes and erasure (on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from tests.web.seeding import SeededOrg

from teamweave.errors import InputFormatError, NotFound
from teamweave.notify import service
from teamweave.notify.kinds import KINDS
from teamweave.notify.models import OutboxMessage, Unsubscription
from teamweave.privacy.erasure import erase_person
from teamweave.store.events import EventStore


def _enqueue(session: Session, seeded: SeededOrg, who: str = "alice", **extra: object) -> OutboxMessage | None:
    values: dict[str, object] = {"kind": "checkin_nudge", "subject": "s", "text": "t", "dedupe_key": f"k-{who}"}
    values.update(extra)
    return service.enqueue(session, org="default", recipient_id=seeded.people[who], **values)  # type: ignore[arg-type]


def test_the_contracts_kinds() -> None:
    assert KINDS == (
        "checkin_nudge",
        "checkin_request",
        "one_on_one_invite",
        "coaching_prompt",
        "recognition",
        "recognition_nudge",
        "celebration_reminder",
        "team_digest",
    )


def test_enqueue_is_idempotent_by_dedupe_key(session: Session, seeded: SeededOrg) -> None:
    first = _enqueue(session, seeded)
    assert first is not None
    assert first.status == "queued"
    assert _enqueue(session, seeded, text="other") is None
    assert _enqueue(session, seeded, who="bob", dedupe_key="k-alice") is None  # the key is per org
    session.commit()
    assert session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one() == 1
    post = service.enqueue_channel_post(session, org="default", kind="team_digest", text="x", dedupe_key="week-1")
    assert post is not None
    assert post.recipient_id is None
    assert (
        service.enqueue_channel_post(session, org="default", kind="team_digest", text="x", dedupe_key="week-1") is None
    )


def test_a_duplicate_inserted_concurrently_is_not_an_error(session: Session, seeded: SeededOrg) -> None:
    row = _enqueue(session, seeded)
    assert row is not None
    session.commit()
    clash = OutboxMessage(**{c: getattr(row, c) for c in ("org", "dedupe_key", "kind", "channel", "text")})
    clash.created_at = clash.next_attempt_at = datetime.now(UTC)
    assert service._add_once(session, clash) is None  # what a second run racing past the lookup would do
    row2 = _enqueue(session, seeded, dedupe_key="fresh")
    assert row2 is not None  # the session is still usable


def test_unsubscribed_kinds_are_not_enqueued(session: Session, seeded: SeededOrg) -> None:
    service.unsubscribe(session, org="default", person_id=seeded.people["alice"], kind="checkin_nudge")
    service.unsubscribe(session, org="default", person_id=seeded.people["alice"], kind="checkin_nudge")
    assert _enqueue(session, seeded) is None
    assert _enqueue(session, seeded, kind="recognition") is not None
    assert _enqueue(session, seeded, who="bob") is not None


def test_bad_input_is_refused(session: Session, seeded: SeededOrg) -> None:
    with pytest.raises(InputFormatError, match="unknown notification kind"):
        _enqueue(session, seeded, kind="spam")
    with pytest.raises(InputFormatError):
        _enqueue(session, seeded, subject="x" * 201)
    with pytest.raises(NotFound):
        service.enqueue(
            session, org="other", recipient_id=seeded.people["alice"], kind="recognition", subject="", text="",
            dedupe_key="x",
        )  # fmt: skip


def test_the_inbox_shows_own_messages_newest_first_and_marks_read(session: Session, seeded: SeededOrg) -> None:
    now = datetime.now(UTC) + timedelta(minutes=1)
    alice = seeded.people["alice"]
    older = _enqueue(session, seeded, dedupe_key="a")
    newer = _enqueue(session, seeded, dedupe_key="b", kind="recognition")
    later = _enqueue(session, seeded, dedupe_key="c", not_before=now + timedelta(days=1))
    _enqueue(session, seeded, who="bob", dedupe_key="d")
    assert older
    assert newer
    assert later
    assert [i.id for i in service.inbox(session, org="default", person_id=alice, now=now)] == [newer.id, older.id]
    assert service.unread_count(session, org="default", person_id=alice, now=now) == 2
    service.mark_read(session, org="default", person_id=alice, message_id=older.id, now=now)
    assert service.unread_count(session, org="default", person_id=alice, now=now) == 1
    with pytest.raises(NotFound):
        service.mark_read(session, org="default", person_id=seeded.people["bob"], message_id=newer.id, now=now)
    tomorrow = now + timedelta(days=1, minutes=1)
    assert service.unread_count(session, org="default", person_id=alice, now=tomorrow) == 2
    service.mark_all_read(session, org="default", person_id=alice, now=tomorrow)
    assert service.unread_count(session, org="default", person_id=alice, now=tomorrow) == 0


def test_kind_settings_round_trip(session: Session, seeded: SeededOrg) -> None:
    alice = seeded.people["alice"]
    service.set_subscriptions(session, org="default", person_id=alice, subscribed=set(KINDS) - {"team_digest"})
    off = [s.kind for s in service.kind_settings(session, org="default", person_id=alice) if not s.subscribed]
    assert off == ["team_digest"]
    service.set_subscriptions(session, org="default", person_id=alice, subscribed={"recognition"})
    on = [s.kind for s in service.kind_settings(session, org="default", person_id=alice) if s.subscribed]
    assert on == ["checkin_request", "recognition"]  # a request for a 1:1 cannot be turned off


def test_unsubscribe_tokens_are_signed() -> None:
    secret = b"k" * 32
    token = service.unsubscribe_token(secret, org="default", person_id=7, kind="recognition")
    assert service.read_unsubscribe_token(secret, token) == ("default", 7, "recognition")
    with pytest.raises(InputFormatError):
        service.read_unsubscribe_token(b"x" * 32, token)
    with pytest.raises(InputFormatError):
        service.read_unsubscribe_token(secret, token[:-2] + "xx")


def test_erasing_a_person_removes_their_outbox_and_unsubscriptions(
    session: Session, seeded: SeededOrg, tmp_path: Path
) -> None:
    _enqueue(session, seeded)
    _enqueue(session, seeded, who="bob")
    service.unsubscribe(session, org="default", person_id=seeded.people["alice"], kind="recognition")
    session.commit()
    erase_person(session, org="default", email="alice@example.org", events=EventStore(tmp_path / "events"))
    session.commit()
    session.expire_all()
    recipients = list(session.scalars(select(OutboxMessage.recipient_id)))
    assert recipients == [seeded.people["bob"]]
    assert session.execute(select(func.count()).select_from(Unsubscription)).scalar_one() == 0
