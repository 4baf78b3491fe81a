"""Queries of the notify capability (the outbox and unsubscriptions). Times are passed and stored in UTC."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session

from teamweave.notify.kinds import CAP_EXEMPT_KINDS
from teamweave.notify.models import EMAIL, QUEUED, SENDING, SENT, SLACK, OutboxMessage, OutboxSubject, Unsubscription


def add(session: Session, row: OutboxMessage | Unsubscription) -> None:
    """Stage a new row and flush it, so that it has an id."""
    session.add(row)
    session.flush()


def by_dedupe_key(session: Session, *, org: str, dedupe_key: str) -> OutboxMessage | None:
    stmt = select(OutboxMessage).where(OutboxMessage.org == org, OutboxMessage.dedupe_key == dedupe_key)
    return session.scalars(stmt).one_or_none()


def message(session: Session, *, message_id: int) -> OutboxMessage | None:
    return session.get(OutboxMessage, message_id)


def unsubscribed_kinds(session: Session, *, org: str, person_id: int) -> set[str]:
    stmt = select(Unsubscription.kind).where(Unsubscription.org == org, Unsubscription.person_id == person_id)
    return set(session.scalars(stmt))


def remove_unsubscriptions(session: Session, *, org: str, person_id: int, kinds: set[str]) -> None:
    session.execute(
        delete(Unsubscription).where(
            Unsubscription.org == org, Unsubscription.person_id == person_id, Unsubscription.kind.in_(kinds)
        )
    )


def _visible(org: str, person_id: int, now: datetime) -> list[ColumnElement[bool]]:
    return [
        OutboxMessage.org == org,
        OutboxMessage.recipient_id == person_id,
        or_(OutboxMessage.not_before.is_(None), OutboxMessage.not_before <= now),
    ]


def inbox(session: Session, *, org: str, person_id: int, now: datetime, limit: int) -> list[OutboxMessage]:
    """A person's messages that may be seen by ``now``, newest first."""
    stmt = (
        select(OutboxMessage)
        .where(*_visible(org, person_id, now))
        .order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def unread_count(session: Session, *, org: str, person_id: int, now: datetime) -> int:
    stmt = (
        select(func.count())
        .select_from(OutboxMessage)
        .where(*_visible(org, person_id, now), OutboxMessage.read_at.is_(None))
    )
    return int(session.execute(stmt).scalar_one())


def mark_all_read(session: Session, *, org: str, person_id: int, now: datetime) -> None:
    session.execute(
        update(OutboxMessage).where(*_visible(org, person_id, now), OutboxMessage.read_at.is_(None)).values(read_at=now)
    )


def due_ids(session: Session, *, now: datetime, limit: int | None) -> list[int]:
    """Ids of queued messages whose next attempt is due, oldest due first."""
    stmt = (
        select(OutboxMessage.id)
        .where(OutboxMessage.status == QUEUED, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    return list(session.scalars(stmt))


def claim(session: Session, *, message_id: int, now: datetime) -> bool:
    """Mark a queued message as being sent (one more attempt); False when another run claimed it first."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == QUEUED)
        .values(status=SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount) == 1  # type: ignore[attr-defined]


def stale_claims(session: Session, *, claimed_before: datetime) -> list[OutboxMessage]:
    """Messages left 'sending' by a run that stopped between calling the transport and recording the result."""
    stmt = select(OutboxMessage).where(OutboxMessage.status == SENDING, OutboxMessage.claimed_at < claimed_before)
    return list(session.scalars(stmt))


def pushes_sent(session: Session, *, org: str, person_id: int, start: datetime, end: datetime) -> int:
    """How many e-mails that count towards the weekly cap were sent to a person in [start, end)."""
    stmt = (
        select(func.count())
        .select_from(OutboxMessage)
        .where(
            OutboxMessage.org == org,
            OutboxMessage.recipient_id == person_id,
            OutboxMessage.channel == EMAIL,
            OutboxMessage.status == SENT,
            OutboxMessage.kind.not_in(CAP_EXEMPT_KINDS),
            OutboxMessage.sent_at >= start,
            OutboxMessage.sent_at < end,
        )
    )
    return int(session.execute(stmt).scalar_one())


def status_counts(session: Session, *, org: str) -> dict[tuple[str, str], int]:
    """(channel, status) -> number of outbox rows of the organisation."""
    stmt = (
        select(OutboxMessage.channel, OutboxMessage.status, func.count())
        .where(OutboxMessage.org == org)
        .group_by(OutboxMessage.channel, OutboxMessage.status)
    )
    return {(channel, status): int(n) for channel, status, n in session.execute(stmt)}


def messages_to(session: Session, *, org: str, person_id: int) -> list[OutboxMessage]:
    """Every message to a person, oldest first (for their export)."""
    stmt = select(OutboxMessage).where(OutboxMessage.org == org, OutboxMessage.recipient_id == person_id)
    return list(session.scalars(stmt.order_by(OutboxMessage.id)))


def unsubscriptions_of(session: Session, *, org: str, person_id: int) -> list[Unsubscription]:
    """The kinds a person unsubscribed from (for their export)."""
    stmt = select(Unsubscription).where(Unsubscription.org == org, Unsubscription.person_id == person_id)
    return list(session.scalars(stmt.order_by(Unsubscription.id)))


def add_subjects(session: Session, *, outbox_id: int, person_ids: set[int]) -> None:
    """Record who a message is about."""
    session.add_all(OutboxSubject(outbox_id=outbox_id, person_id=p) for p in sorted(person_ids))
    session.flush()


def delete_messages_about(session: Session, *, org: str, person_id: int) -> int:
    """Delete every message of the org about a person; how many went."""
    about = select(OutboxSubject.outbox_id).where(OutboxSubject.person_id == person_id)
    ids = list(session.scalars(select(OutboxMessage.id).where(OutboxMessage.org == org, OutboxMessage.id.in_(about))))
    if ids:
        session.execute(delete(OutboxSubject).where(OutboxSubject.outbox_id.in_(ids)))
        session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    return len(ids)


def purge_channel_posts(session: Session, *, before: datetime) -> int:
    """Delete channel posts (every org) that are done with (sent, failed or skipped) and were created before
    ``before``; how many went."""
    stmt = select(OutboxMessage.id).where(
        OutboxMessage.channel == SLACK,
        OutboxMessage.status.not_in((QUEUED, SENDING)),
        OutboxMessage.created_at < before,
    )
    ids = list(session.scalars(stmt))
    if ids:
        session.execute(delete(OutboxSubject).where(OutboxSubject.outbox_id.in_(ids)))
        session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(ids)))
    return len(ids)


def dedupe_keys(session: Session, *, org: str, prefix: str) -> set[str]:
    """The org's dedupe keys starting with ``prefix`` (matched literally)."""
    stmt = select(OutboxMessage.dedupe_key).where(
        OutboxMessage.org == org, OutboxMessage.dedupe_key.startswith(prefix, autoescape=True)
    )
    return set(session.scalars(stmt))


def unsubscriptions_by_person(session: Session, *, org: str) -> dict[int, set[str]]:
    """person id -> kinds unsubscribed, for the whole org."""
    found: dict[int, set[str]] = {}
    for person_id, kind in session.execute(
        select(Unsubscription.person_id, Unsubscription.kind).where(Unsubscription.org == org)
    ):
        found.setdefault(person_id, set()).add(kind)
    return found
