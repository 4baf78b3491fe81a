"""Queries of the audit capability."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from teamweave.audit.models import AuditEntry


def add_entry(session: Session, entry: AuditEntry) -> AuditEntry:
    session.add(entry)
    session.flush()
    return entry


def latest_entries(session: Session, *, org: str, limit: int) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.org == org).order_by(AuditEntry.id.desc()).limit(limit)
    return list(session.execute(stmt).scalars())
