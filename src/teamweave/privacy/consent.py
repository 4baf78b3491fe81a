"""Consent: a person may opt out of analytics (and back in). Opted-out people are left out of every metric."""

from __future__ import annotations

from sqlalchemy.orm import Session

from teamweave.errors import NotFound
from teamweave.privacy import repository


def set_analytics_opt_out(session: Session, *, org: str, email: str, opt_out: bool) -> None:
    """Record the person's choice; the next analysis leaves them out (or back in). The caller commits."""
    person = repository.person(session, org=org, email=email)
    if person is None:
        raise NotFound(f"no person with e-mail {email}", where=f"org {org}")
    person.analytics_opt_out = opt_out
