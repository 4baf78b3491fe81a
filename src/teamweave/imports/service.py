"""The imports capability: import runs (history, counts, errors) and source identities. Never commits."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from teamweave.errors import NotFound
from teamweave.imports import repository
from teamweave.imports.models import Identity, ImportRun
from teamweave.imports.schemas import IdentityView, ImportRunView
from teamweave.people import service as people_service

MAX_STORED_ERRORS = 200


def start_run(session: Session, *, org: str, source: str, file_name: str) -> ImportRun:
    """Record that an import began (status ``running``) and return its row (flushed: it has an id)."""
    run = ImportRun(
        org=org,
        source=source,
        file_name=file_name[:500],
        started_at=datetime.now(UTC),
        finished_at=None,
        status="running",
        added=0,
        duplicates=0,
        skipped=0,
        counts={},
        errors=[],
        quarantine_file=None,
    )
    return repository.add_run(session, run)


def finish_run(
    session: Session,
    *,
    run: ImportRun,
    added: int,
    duplicates: int,
    skipped: int,
    counts: dict[str, int],
    errors: list[str],
    quarantine_file: str | None,
) -> ImportRun:
    """Mark a run ``done`` with what went in and what was skipped."""
    run.status = "done"
    run.finished_at = datetime.now(UTC)
    run.added = added
    run.duplicates = duplicates
    run.skipped = skipped
    run.counts = dict(counts)
    run.errors = list(errors[:MAX_STORED_ERRORS])
    run.quarantine_file = quarantine_file
    session.flush()
    return run


def fail_run(session: Session, *, run: ImportRun, error: str) -> ImportRun:
    """Mark a run ``failed`` with the (located, content-free) reason."""
    run.status = "failed"
    run.finished_at = datetime.now(UTC)
    run.errors = [*run.errors, error][:MAX_STORED_ERRORS]
    session.flush()
    return run


def list_runs(session: Session, *, org: str, limit: int = 100) -> list[ImportRunView]:
    """The import history, newest first."""
    return [ImportRunView.model_validate(r) for r in repository.runs(session, org=org, limit=limit)]


def known_identities(session: Session, *, org: str, source: str) -> dict[str, Identity]:
    """Identities already recorded for a source, by pseudonym (for importers to avoid duplicates)."""
    return {i.pseudonym: i for i in repository.identities_of_source(session, org=org, source=source)}


def add_identity(
    session: Session,
    *,
    org: str,
    source: str,
    pseudonym: str,
    label: str,
    is_bot: bool,
    run_id: int | None,
) -> Identity:
    """Record an identity a source used that matched no person by e-mail."""
    identity = Identity(
        org=org,
        source=source,
        pseudonym=pseudonym,
        label=label[:300],
        person_id=None,
        is_bot=is_bot,
        first_import_id=run_id,
    )
    return repository.add_identity(session, identity)


def unresolved_identities(session: Session, *, org: str) -> list[IdentityView]:
    """Identities not (yet) resolved to a person: people first, then bots."""
    return [IdentityView.model_validate(i) for i in repository.unresolved_identities(session, org=org)]


def resolve_identity(session: Session, *, org: str, identity_id: int, person_id: int) -> IdentityView:
    """Resolve an identity to a person: analysis then counts its events as that person's, with no re-import."""
    identity = repository.get_identity(session, org=org, identity_id=identity_id)
    if identity is None:
        raise NotFound(f"no identity {identity_id}", where="identity")
    identity.person_id = people_service.get_person(session, org=org, person_id=person_id).id
    session.flush()
    return IdentityView.model_validate(identity)


def bot_identities(session: Session, *, org: str) -> set[str]:
    """Pseudonyms of the identities that are bots or AI tools (never people, never nodes)."""
    return set(repository.bot_pseudonyms(session, org=org))


def alias_map(session: Session, *, org: str) -> dict[str, str]:
    """Identity pseudonym -> person pseudonym, for every identity resolved to a person."""
    resolved = repository.resolved_identities(session, org=org)
    if not resolved:
        return {}
    pseudonym_of = {entry.person_id: entry.pseudonym for entry in people_service.directory(session, org=org)}
    return {i.pseudonym: pseudonym_of[i.person_id] for i in resolved if i.person_id in pseudonym_of}
