"""The privacy capability's queries: everything held about one person, across the tables that hold it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from teamweave.accounts.models import User
from teamweave.audit.models import AuditEntry
from teamweave.imports.models import Identity
from teamweave.network.models import NewHireIntegration, PersonMetric
from teamweave.people.models import Person, Site, Team
from teamweave.privacy.models import ErasureMark


def person(session: Session, *, org: str, email: str) -> Person | None:
    stmt = select(Person).where(Person.org == org, Person.email == email.strip().lower())
    return session.execute(stmt).scalar_one_or_none()


def person_profile(session: Session, *, person: Person) -> dict[str, Any]:
    team = session.get(Team, person.team_id) if person.team_id else None
    site = session.get(Site, person.site_id) if person.site_id else None
    manager = session.get(Person, person.manager_id) if person.manager_id else None
    return {
        "email": person.email,
        "name": person.name,
        "team": team.name if team else None,
        "site": site.name if site else None,
        "manager": manager.name if manager else None,
        "timezone": person.timezone,
        "start_date": person.start_date.isoformat() if person.start_date else None,
        "birthday": person.birthday.isoformat() if person.birthday else None,
        "analytics_opt_out": person.analytics_opt_out,
    }


def identities_of(session: Session, *, org: str, person_id: int) -> list[Identity]:
    stmt = select(Identity).where(Identity.org == org, Identity.person_id == person_id)
    return list(session.execute(stmt).scalars())


def accounts_of(session: Session, *, org: str, person_id: int) -> list[User]:
    return list(session.execute(select(User).where(User.org == org, User.person_id == person_id)).scalars())


def metrics_of(session: Session, *, org: str, pseudonym: str) -> list[PersonMetric]:
    stmt = (
        select(PersonMetric)
        .where(PersonMetric.org == org, PersonMetric.pseudonym == pseudonym)
        .order_by(PersonMetric.period, PersonMetric.window_start)
    )
    return list(session.execute(stmt).scalars())


def audit_views_of(session: Session, *, org: str, person: Person) -> list[AuditEntry]:
    """Entries about the person, and views of their team's aggregates (which covered them)."""
    about_person = (AuditEntry.subject_kind == "person") & (AuditEntry.subject_id == str(person.id))
    about_team = (AuditEntry.subject_kind == "team") & (AuditEntry.subject_id == str(person.team_id))
    stmt = select(AuditEntry).where(
        AuditEntry.org == org, about_person | about_team if person.team_id is not None else about_person
    )
    return list(session.execute(stmt.order_by(AuditEntry.ts)).scalars())


def delete_person(session: Session, *, org: str, person: Person) -> None:
    """Delete the person and every row keyed by them; their reports keep no manager link to them."""
    session.execute(update(Person).where(Person.org == org, Person.manager_id == person.id).values(manager_id=None))
    session.execute(delete(PersonMetric).where(PersonMetric.org == org, PersonMetric.pseudonym == person.pseudonym))
    session.execute(delete(Identity).where(Identity.org == org, Identity.person_id == person.id))
    session.execute(delete(User).where(User.org == org, User.person_id == person.id))
    session.execute(delete(Person).where(Person.id == person.id))


def integration_of(session: Session, *, org: str, person_id: int) -> list[NewHireIntegration]:
    """A newcomer's integration curve (ties at day 30/60/90), if they have one."""
    stmt = select(NewHireIntegration).where(NewHireIntegration.org == org, NewHireIntegration.person_id == person_id)
    return list(session.scalars(stmt))


def record_erasure_marks(session: Session, *, org: str, person_mark: str, marks: Iterable[str], at: datetime) -> None:
    """Remember the marks of an erased person's pseudonyms (each once), for imports to leave out."""
    wanted = set(marks)
    stmt = select(ErasureMark.mark).where(ErasureMark.org == org, ErasureMark.mark.in_(sorted(wanted)))
    for mark in sorted(wanted - set(session.scalars(stmt))):
        session.add(ErasureMark(org=org, mark=mark, person_mark=person_mark, erased_at=at))


def erasure_marks(session: Session, *, org: str) -> set[str]:
    """Every erasure mark of the org."""
    return set(session.scalars(select(ErasureMark.mark).where(ErasureMark.org == org)))


def forget_erasure_marks(session: Session, *, org: str, person_mark: str) -> int:
    """Drop the marks of one erased person; how many."""
    stmt = delete(ErasureMark).where(ErasureMark.org == org, ErasureMark.person_mark == person_mark)
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[attr-defined]
