"""Queries of the moments capability."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from teamweave.moments.models import CelebrationPreference, Moment


def add(session: Session, row: Moment | CelebrationPreference) -> None:
    """Stage a new row and flush it, so that it has an id."""
    session.add(row)
    session.flush()


def delete(session: Session, row: Moment) -> None:
    session.delete(row)
    session.flush()


def moment(session: Session, *, org: str, moment_id: int) -> Moment | None:
    return session.scalars(select(Moment).where(Moment.org == org, Moment.id == moment_id)).one_or_none()


def moments_between(session: Session, *, org: str, first: date, last: date) -> list[Moment]:
    """Every moment of the organisation whose day is in [first, last], by day then id."""
    stmt = (
        select(Moment).where(Moment.org == org, Moment.day >= first, Moment.day <= last).order_by(Moment.day, Moment.id)
    )
    return list(session.scalars(stmt))


def moments_about(session: Session, *, org: str, person_id: int) -> list[Moment]:
    """Every milestone of a person and every moment they entered, by day then id."""
    stmt = (
        select(Moment)
        .where(Moment.org == org, (Moment.person_id == person_id) | (Moment.entered_by_id == person_id))
        .order_by(Moment.day, Moment.id)
    )
    return list(session.scalars(stmt))


def preference(session: Session, *, org: str, person_id: int) -> CelebrationPreference | None:
    stmt = select(CelebrationPreference).where(
        CelebrationPreference.org == org, CelebrationPreference.person_id == person_id
    )
    return session.scalars(stmt).one_or_none()


def hidden_anniversaries(session: Session, *, org: str) -> set[int]:
    """The ids of the people who keep their work anniversary out of celebrations."""
    stmt = select(CelebrationPreference.person_id).where(
        CelebrationPreference.org == org, CelebrationPreference.hide_anniversary.is_(True)
    )
    return set(session.scalars(stmt))
