"""Queries of the imports capability: import runs and source identities."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from teamweave.imports.models import Identity, ImportRun


def add_run(session: Session, run: ImportRun) -> ImportRun:
    session.add(run)
    session.flush()
    return run


def get_run(session: Session, *, org: str, run_id: int) -> ImportRun | None:
    stmt = select(ImportRun).where(ImportRun.org == org, ImportRun.id == run_id)
    return session.execute(stmt).scalar_one_or_none()


def runs(session: Session, *, org: str, limit: int) -> list[ImportRun]:
    stmt = (
        select(ImportRun)
        .where(ImportRun.org == org)
        .order_by(ImportRun.started_at.desc(), ImportRun.id.desc())
        .limit(limit)
    )
    return list(session.execute(stmt).scalars())


def identities_of_source(session: Session, *, org: str, source: str) -> list[Identity]:
    stmt = select(Identity).where(Identity.org == org, Identity.source == source)
    return list(session.execute(stmt).scalars())


def add_identity(session: Session, identity: Identity) -> Identity:
    session.add(identity)
    return identity


def get_identity(session: Session, *, org: str, identity_id: int) -> Identity | None:
    stmt = select(Identity).where(Identity.org == org, Identity.id == identity_id)
    return session.execute(stmt).scalar_one_or_none()


def resolved_identities(session: Session, *, org: str) -> list[Identity]:
    stmt = select(Identity).where(Identity.org == org, Identity.person_id.is_not(None))
    return list(session.execute(stmt).scalars())


def bot_pseudonyms(session: Session, *, org: str) -> list[str]:
    stmt = select(Identity.pseudonym).where(Identity.org == org, Identity.is_bot.is_(True))
    return list(session.execute(stmt).scalars())


def unresolved_identities(session: Session, *, org: str) -> list[Identity]:
    stmt = (
        select(Identity)
        .where(Identity.org == org, Identity.person_id.is_(None))
        .order_by(Identity.is_bot, Identity.source, Identity.label, Identity.id)
    )
    return list(session.execute(stmt).scalars())


def identities(session: Session, *, org: str, unresolved_only: bool) -> list[Identity]:
    """Every identity of the org (or only those not resolved to a person): people first, then bots."""
    stmt = select(Identity).where(Identity.org == org)
    if unresolved_only:
        stmt = stmt.where(Identity.person_id.is_(None))
    stmt = stmt.order_by(Identity.is_bot, Identity.source, Identity.label, Identity.id)
    return list(session.execute(stmt).scalars())


def identities_matching(
    session: Session, *, org: str, sources: Collection[str], pseudonyms: Collection[str], label: str
) -> list[Identity]:
    """Identities of ``sources`` with one of ``pseudonyms`` or with ``label`` (case-insensitive)."""
    stmt = (
        select(Identity)
        .where(
            Identity.org == org,
            Identity.source.in_(sorted(sources)),
            or_(Identity.pseudonym.in_(sorted(pseudonyms)), func.lower(Identity.label) == label.lower()),
        )
        .order_by(Identity.id)
    )
    return list(session.execute(stmt).scalars())
