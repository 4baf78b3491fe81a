"""The people capability's logic. Services never commit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from teamweave.people import repository
from teamweave.people.models import Person
from teamweave.people.schemas import DirectoryEntry


def directory(session: Session, *, org: str) -> list[DirectoryEntry]:
    """Everyone in the organisation with team, site and time zone."""
    return [
        DirectoryEntry(
            person_id=p.id,
            pseudonym=p.pseudonym,
            email=p.email,
            name=p.name,
            team_id=p.team_id,
            team_name=t.name if t else None,
            manager_id=p.manager_id,
            site_id=p.site_id,
            site_name=s.name if s else None,
            timezone=p.timezone,
            start_date=p.start_date,
            analytics_opt_out=p.analytics_opt_out,
        )
        for p, t, s in repository.directory_rows(session, org=org)
    ]


def person_by_email(session: Session, *, org: str, email: str) -> Person | None:
    """The person with this e-mail address (case-insensitive), or None."""
    return repository.person_by_email(session, org=org, email=email)
