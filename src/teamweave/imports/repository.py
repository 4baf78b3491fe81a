"""Queries of the imports capability: import runs and source identities."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Final, cast

from sqlalchemy import Insert, Table, bindparam, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from teamweave.imports.models import Identity, ImportRun

IDENTITIES: Final = cast(Table, Identity.__table__)


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


def resolved_pseudonyms(session: Session, *, org: str, source: str) -> set[str]:
    """Pseudonyms of the identities of a source already resolved to a person (few: an admin resolved them)."""
    stmt = select(Identity.pseudonym).where(
        Identity.org == org, Identity.source == source, Identity.person_id.is_not(None)
    )
    return set(session.execute(stmt).scalars())


def _insert_ignoring_duplicates(session: Session) -> Insert:
    keys = ["org", "source", "pseudonym"]
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(IDENTITIES).on_conflict_do_nothing(index_elements=keys)
    return sqlite.insert(IDENTITIES).on_conflict_do_nothing(index_elements=keys)


def insert_identities(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert identity rows (dicts of Identity columns) in one Core statement, skipping any already stored
    (same org, source, pseudonym). No ORM object is made: memory does not grow with the rows inserted."""
    if rows:
        session.connection().execute(_insert_ignoring_duplicates(session), list(rows))


def resolve_unresolved(session: Session, *, org: str, source: str, person_of: Mapping[str, int]) -> None:
    """Set ``person_id`` of the stored, still unresolved identities named in ``person_of`` (pseudonym ->
    person id); an identity an admin already resolved is left as it is. One executemany statement."""
    if not person_of:
        return
    table = IDENTITIES
    stmt = (
        update(table)
        .where(
            table.c.org == org,
            table.c.source == source,
            table.c.pseudonym == bindparam("p"),
            table.c.person_id.is_(None),
        )
        .values(person_id=bindparam("pid"))
    )
    session.connection().execute(stmt, [{"p": p, "pid": pid} for p, pid in person_of.items()])


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
