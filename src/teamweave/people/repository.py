"""Queries of the people capability."""

from __future__ import annotations

from sqlalchemy import select
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
