"""Queries of the people capability."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from teamweave.people.models import Person, Site, Team


def directory_rows(session: Session, *, org: str) -> list[tuple[Person, Team | None, Site | None]]:
    stmt = (
        select(Person, Team, Site)
        .outerjoin(Team, Person.team_id == Team.id)
        .outerjoin(Site, Person.site_id == Site.id)
        .where(Person.org == org)
        .order_by(Person.id)
    )
    return [(p, t, s) for p, t, s in session.execute(stmt).all()]


def person_by_email(session: Session, *, org: str, email: str) -> Person | None:
    stmt = select(Person).where(Person.org == org, Person.email == email.strip().lower())
    return session.execute(stmt).scalar_one_or_none()


def people_of_org(session: Session, *, org: str) -> list[Person]:
    """Everyone of the organisation, by id."""
    return list(session.scalars(select(Person).where(Person.org == org).order_by(Person.id)))


def start_date_of(session: Session, *, org: str, pseudonym: str) -> date | None:
    """The start date of the person known by ``pseudonym`` (None: unknown, or no such person)."""
    stmt = select(Person.start_date).where(Person.org == org, Person.pseudonym == pseudonym)
    return session.execute(stmt).scalars().first()


def person_by_id(session: Session, *, org: str, person_id: int) -> Person | None:
    return session.scalars(select(Person).where(Person.org == org, Person.id == person_id)).one_or_none()


def team_by_id(session: Session, *, org: str, team_id: int) -> Team | None:
    return session.scalars(select(Team).where(Team.org == org, Team.id == team_id)).one_or_none()


def teams_by_name(session: Session, *, org: str) -> dict[str, Team]:
    return {team.name: team for team in session.scalars(select(Team).where(Team.org == org))}


def sites_by_name(session: Session, *, org: str) -> dict[str, Site]:
    return {site.name: site for site in session.scalars(select(Site).where(Site.org == org))}


def add_all(session: Session, items: Iterable[Person | Team | Site]) -> None:
    """Stage new rows and flush them, so that they have ids."""
    session.add_all(items)
    session.flush()


def zone_counts_by_site(session: Session, *, org: str) -> list[tuple[int, str, int]]:
    """(site id, time zone, people) for every site of the organisation that has people."""
    stmt = (
        select(Person.site_id, Person.timezone, func.count())
        .where(Person.org == org, Person.site_id.is_not(None))
        .group_by(Person.site_id, Person.timezone)
    )
    return [(site, zone, int(count)) for site, zone, count in session.execute(stmt).all() if site is not None]


def teams_with_head_counts(session: Session, *, org: str) -> list[tuple[Team, int]]:
    """Every team of the organisation with its number of people (0 for an empty team), by name."""
    stmt = (
        select(Team, func.count(Person.id))
        .outerjoin(Person, Person.team_id == Team.id)
        .where(Team.org == org)
        .group_by(Team.id)
        .order_by(Team.name, Team.id)
    )
    return [(team, int(count)) for team, count in session.execute(stmt).all()]


def count_without_team(session: Session, *, org: str) -> int:
    stmt = select(func.count()).select_from(Person).where(Person.org == org, Person.team_id.is_(None))
    return int(session.execute(stmt).scalar_one())


def members_of_team(session: Session, *, org: str, team_id: int) -> list[Person]:
    stmt = select(Person).where(Person.org == org, Person.team_id == team_id).order_by(Person.name, Person.id)
    return list(session.scalars(stmt))


def reports_of(session: Session, *, org: str, manager_id: int) -> list[Person]:
    stmt = select(Person).where(Person.org == org, Person.manager_id == manager_id).order_by(Person.name, Person.id)
    return list(session.scalars(stmt))


def has_reports(session: Session, *, org: str, person_id: int) -> bool:
    stmt = select(Person.id).where(Person.org == org, Person.manager_id == person_id).limit(1)
    return session.execute(stmt).first() is not None


def report_team_counts(session: Session, *, org: str, manager_id: int) -> list[tuple[int, int]]:
    """(team id, direct reports in it) for a manager's direct reports that have a team."""
    stmt = (
        select(Person.team_id, func.count())
        .where(Person.org == org, Person.manager_id == manager_id, Person.team_id.is_not(None))
        .group_by(Person.team_id)
    )
    return [(team, int(count)) for team, count in session.execute(stmt).all() if team is not None]
