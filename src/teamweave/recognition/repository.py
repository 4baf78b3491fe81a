"""Queries of the recognition capability."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from teamweave.recognition.models import Recognition, RecognitionReceiver


def add(session: Session, row: Recognition | RecognitionReceiver) -> None:
    """Stage a new row and flush it, so that it has an id."""
    session.add(row)
    session.flush()


def get(session: Session, *, org: str, recognition_id: int) -> Recognition | None:
    return session.scalars(
        select(Recognition).where(Recognition.org == org, Recognition.id == recognition_id)
    ).one_or_none()


def receivers_of(session: Session, *, recognition_ids: Iterable[int]) -> dict[int, list[int]]:
    """recognition id -> the ids of the people it reached, in id order."""
    ids = sorted(set(recognition_ids))
    found: dict[int, list[int]] = {i: [] for i in ids}
    if not ids:
        return found
    stmt = (
        select(RecognitionReceiver.recognition_id, RecognitionReceiver.person_id)
        .where(RecognitionReceiver.recognition_id.in_(ids))
        .order_by(RecognitionReceiver.recognition_id, RecognitionReceiver.person_id)
    )
    for recognition_id, person_id in session.execute(stmt):
        found[recognition_id].append(person_id)
    return found


def public_feed(session: Session, *, org: str, limit: int) -> list[Recognition]:
    """The org's public recognitions, newest first."""
    stmt = (
        select(Recognition)
        .where(Recognition.org == org, Recognition.public.is_(True))
        .order_by(Recognition.created_at.desc(), Recognition.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def public_team_feed(session: Session, *, org: str, team_id: int, limit: int) -> list[Recognition]:
    """Public recognitions of a team or of anyone who was in it when recognised, newest first."""
    in_team = select(RecognitionReceiver.recognition_id).where(
        RecognitionReceiver.org == org, RecognitionReceiver.team_id == team_id
    )
    stmt = (
        select(Recognition)
        .where(
            Recognition.org == org,
            Recognition.public.is_(True),
            or_(Recognition.team_id == team_id, Recognition.id.in_(in_team)),
        )
        .order_by(Recognition.created_at.desc(), Recognition.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def given_by(session: Session, *, org: str, giver_id: int) -> list[Recognition]:
    """Everything a person gave (public and private), newest first."""
    stmt = (
        select(Recognition)
        .where(Recognition.org == org, Recognition.giver_id == giver_id)
        .order_by(Recognition.created_at.desc(), Recognition.id.desc())
    )
    return list(session.scalars(stmt))


def received_by(session: Session, *, org: str, person_id: int) -> list[Recognition]:
    """Everything that reached a person (public and private, by name or through their team), newest first."""
    reached = select(RecognitionReceiver.recognition_id).where(
        RecognitionReceiver.org == org, RecognitionReceiver.person_id == person_id
    )
    stmt = (
        select(Recognition)
        .where(Recognition.org == org, Recognition.id.in_(reached))
        .order_by(Recognition.created_at.desc(), Recognition.id.desc())
    )
    return list(session.scalars(stmt))


def all_of_org(session: Session, *, org: str) -> list[Recognition]:
    """Every recognition of the org, oldest first (to rebuild their interaction events)."""
    stmt = select(Recognition).where(Recognition.org == org).order_by(Recognition.id)
    return list(session.scalars(stmt))


def last_recognised(
    session: Session, *, org: str, person_ids: Iterable[int], also_private_by: int | None = None
) -> dict[int, datetime]:
    """person id -> when they were last reached by a public recognition (or a private one by
    ``also_private_by``); people never recognised are absent."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    visible: ColumnElement[bool] = Recognition.public.is_(True)
    if also_private_by is not None:
        visible = or_(visible, Recognition.giver_id == also_private_by)
    stmt = (
        select(RecognitionReceiver.person_id, func.max(RecognitionReceiver.created_at))
        .join(Recognition, Recognition.id == RecognitionReceiver.recognition_id)
        .where(RecognitionReceiver.org == org, RecognitionReceiver.person_id.in_(ids), visible)
        .group_by(RecognitionReceiver.person_id)
    )
    return {int(row[0]): row[1] for row in session.execute(stmt)}


def public_received_since(session: Session, *, org: str, since: datetime) -> list[tuple[int, int]]:
    """(person id, public recognitions that reached them since ``since``) for everyone reached."""
    stmt = (
        select(RecognitionReceiver.person_id, func.count())
        .join(Recognition, Recognition.id == RecognitionReceiver.recognition_id)
        .where(RecognitionReceiver.org == org, Recognition.public.is_(True), RecognitionReceiver.created_at >= since)
        .group_by(RecognitionReceiver.person_id)
    )
    return [(person_id, int(n)) for person_id, n in session.execute(stmt)]


def given_times(session: Session, *, org: str, giver_id: int, since: datetime) -> list[datetime]:
    """When a person gave each of their recognitions since ``since``, oldest first."""
    stmt = (
        select(Recognition.created_at)
        .where(Recognition.org == org, Recognition.giver_id == giver_id, Recognition.created_at >= since)
        .order_by(Recognition.created_at)
    )
    return list(session.scalars(stmt))


def public_by_team_between(
    session: Session, *, org: str, start: datetime, end: datetime
) -> list[tuple[int, Recognition]]:
    """(team id, recognition) for each public recognition given in ``[start, end)``, once per team it reached
    (the team recognised, or the team a receiver was in when recognised), oldest first."""
    receiver_teams = select(RecognitionReceiver.recognition_id, RecognitionReceiver.team_id.label("team_id")).where(
        RecognitionReceiver.org == org, RecognitionReceiver.team_id.is_not(None)
    )
    recognised_teams = select(Recognition.id, Recognition.team_id.label("team_id")).where(
        Recognition.org == org, Recognition.team_id.is_not(None)
    )
    reached = receiver_teams.union(recognised_teams).subquery()
    stmt = (
        select(reached.c.team_id, Recognition)
        .join(Recognition, Recognition.id == reached.c.recognition_id)
        .where(Recognition.public.is_(True), Recognition.created_at >= start, Recognition.created_at < end)
        .order_by(Recognition.created_at, Recognition.id, reached.c.team_id)
    )
    return [(int(team_id), row) for team_id, row in session.execute(stmt)]
