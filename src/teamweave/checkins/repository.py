"""Queries of the check-ins capability."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from teamweave.checkins.models import CheckinPair, CheckinResponse, HeldOneOnOne
from teamweave.people.models import Person


def add(session: Session, row: CheckinPair | CheckinResponse | HeldOneOnOne) -> None:
    """Stage a new row and flush it, so that it has an id."""
    session.add(row)
    session.flush()


def responses_of_report(session: Session, *, org: str, report_id: int) -> list[CheckinResponse]:
    """Every check-in of a person, oldest first."""
    stmt = (
        select(CheckinResponse)
        .where(CheckinResponse.org == org, CheckinResponse.report_id == report_id)
        .order_by(CheckinResponse.day, CheckinResponse.id)
    )
    return list(session.scalars(stmt))


def responses_of_pair(session: Session, *, org: str, manager_id: int, report_id: int) -> list[CheckinResponse]:
    """The check-ins a report filled while reporting to this manager, oldest first."""
    stmt = (
        select(CheckinResponse)
        .where(
            CheckinResponse.org == org,
            CheckinResponse.manager_id == manager_id,
            CheckinResponse.report_id == report_id,
        )
        .order_by(CheckinResponse.day, CheckinResponse.id)
    )
    return list(session.scalars(stmt))


def pair(session: Session, *, org: str, manager_id: int, report_id: int) -> CheckinPair | None:
    stmt = select(CheckinPair).where(
        CheckinPair.org == org, CheckinPair.manager_id == manager_id, CheckinPair.report_id == report_id
    )
    return session.scalars(stmt).one_or_none()


def last_held(session: Session, *, org: str, manager_id: int, report_id: int) -> date | None:
    """The day of the pair's latest held 1:1, or None."""
    stmt = select(func.max(HeldOneOnOne.day)).where(
        HeldOneOnOne.org == org, HeldOneOnOne.manager_id == manager_id, HeldOneOnOne.report_id == report_id
    )
    day: date | None = session.execute(stmt).scalar_one_or_none()
    return day


def held_on(session: Session, *, org: str, manager_id: int, report_id: int, day: date) -> HeldOneOnOne | None:
    stmt = select(HeldOneOnOne).where(
        HeldOneOnOne.org == org,
        HeldOneOnOne.manager_id == manager_id,
        HeldOneOnOne.report_id == report_id,
        HeldOneOnOne.day == day,
        HeldOneOnOne.source == "manual",
    )
    return session.scalars(stmt).one_or_none()


def team_responses(session: Session, *, org: str, team_id: int) -> list[CheckinResponse]:
    """Every check-in of the current members of a team, oldest first."""
    stmt = (
        select(CheckinResponse)
        .join(Person, Person.id == CheckinResponse.report_id)
        .where(CheckinResponse.org == org, Person.org == org, Person.team_id == team_id)
        .order_by(CheckinResponse.day, CheckinResponse.id)
    )
    return list(session.scalars(stmt))
