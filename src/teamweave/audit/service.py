"""The audit log: every view of people data by someone other than its subject is written here.

Services never commit: the entry is part of the viewing request's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from teamweave.accounts import service as accounts_service
from teamweave.accounts.models import User
from teamweave.audit import repository
from teamweave.audit.models import AuditEntry
from teamweave.people import service as people_service

SUBJECT_KINDS = frozenset({"person", "team", "org", "imports"})


def record_view(
    session: Session,
    *,
    org: str,
    viewer: User,
    action: str,
    subject_kind: str,
    subject_id: str | int,
    path: str | None,
) -> AuditEntry:
    """Write one entry: who (user id and role) viewed what (kind and id), how (action) and where (path)."""
    if subject_kind not in SUBJECT_KINDS:
        raise ValueError(f"unknown subject kind {subject_kind!r}")
    entry = AuditEntry(
        ts=datetime.now(UTC),
        org=org,
        viewer_user_id=viewer.id,
        viewer_role=viewer.role,
        action=action,
        subject_kind=subject_kind,
        subject_id=str(subject_id),
        path=path[:500] if path else None,
    )
    return repository.add_entry(session, entry)


OPERATOR_ROLE = "operator (command line)"


def record_operator_action(
    session: Session, *, org: str, action: str, subject_kind: str, subject_id: str | int
) -> AuditEntry:
    """Write one entry for something done from the command line (an export or an erasure of a person)."""
    if subject_kind not in SUBJECT_KINDS:
        raise ValueError(f"unknown subject kind {subject_kind!r}")
    entry = AuditEntry(
        ts=datetime.now(UTC),
        org=org,
        viewer_user_id=None,
        viewer_role=OPERATOR_ROLE,
        action=action,
        subject_kind=subject_kind,
        subject_id=str(subject_id),
        path=None,
    )
    return repository.add_entry(session, entry)


def entries(session: Session, *, org: str, limit: int = 200) -> list[AuditEntry]:
    """The latest ``limit`` entries of the org, newest first."""
    return repository.latest_entries(session, org=org, limit=limit)


@dataclass(frozen=True)
class NamedEntry:
    """An audit entry as the admins' page shows it: who viewed (their login) and what (a team's or person's name)."""

    entry: AuditEntry
    viewer: str
    subject: str


def named_entries(session: Session, *, org: str, limit: int = 200) -> list[NamedEntry]:
    """:func:`entries` with the viewer's username and the subject's name (``team 6`` reads ``team Platform``);
    a login or subject deleted since keeps its id."""
    users = {u.id: u.username for u in accounts_service.list_users(session, org=org)}
    teams = {str(t.team_id): t.name for t in people_service.teams(session, org=org)}
    people = {str(p.person_id): p.name for p in people_service.directory(session, org=org)}
    names = {"team": teams, "person": people}
    named = []
    for e in entries(session, org=org, limit=limit):
        viewer = users.get(e.viewer_user_id, f"user {e.viewer_user_id}") if e.viewer_user_id is not None else "-"
        label = names.get(e.subject_kind, {}).get(e.subject_id, e.subject_id)
        named.append(NamedEntry(entry=e, viewer=viewer, subject=f"{e.subject_kind} {label}"))
    return named
