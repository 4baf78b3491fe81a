"""The imports capability: import runs (history, counts, errors) and source identities. Never commits."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from sqlalchemy.orm import Session

from teamweave.errors import InputFormatError, NotFound, TeamweaveError
from teamweave.imports import repository
from teamweave.imports.models import Identity, ImportRun
from teamweave.imports.schemas import AliasResult, IdentityView, ImportRunView
from teamweave.ingest.records import SOURCES
from teamweave.people import service as people_service
from teamweave.privacy.pseudonym import Pseudonymiser

MAX_STORED_ERRORS = 200
ALIAS_COLUMNS: Final = ("source", "identity", "email")
MAX_ALIAS_BYTES: Final = 20_000_000


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


def resolved_pseudonyms(session: Session, *, org: str, source: str) -> set[str]:
    """Pseudonyms of a source's identities already resolved to a person (an importer lists them as matched)."""
    return repository.resolved_pseudonyms(session, org=org, source=source)


@dataclass(frozen=True, slots=True)
class NewIdentity:
    """An identity an importer saw that matched no person by e-mail (label cut to the column's 300 chars)."""

    pseudonym: str
    label: str
    is_bot: bool


def record_identities(
    session: Session, *, org: str, source: str, run_id: int | None, identities: list[NewIdentity]
) -> None:
    """Record identities a source used, in one statement; those already recorded are left as they are
    (label, resolution and first import kept). Bounded memory: no ORM object is made per identity."""
    rows = [
        {
            "org": org,
            "source": source,
            "pseudonym": i.pseudonym,
            "label": i.label[:300],
            "person_id": None,
            "is_bot": i.is_bot,
            "first_import_id": run_id,
        }
        for i in identities
    ]
    repository.insert_identities(session, rows)


def resolve_matched(session: Session, *, org: str, source: str, person_of: dict[str, int]) -> None:
    """Resolve the recorded, unresolved identities that now match a person by e-mail (pseudonym -> person
    id), so events imported earlier under the identity's pseudonym count as that person's."""
    repository.resolve_unresolved(session, org=org, source=source, person_of=person_of)


def unresolved_identities(session: Session, *, org: str) -> list[IdentityView]:
    """Identities not (yet) resolved to a person: people first, then bots."""
    return [IdentityView.model_validate(i) for i in repository.unresolved_identities(session, org=org)]


def list_identities(session: Session, *, org: str, unresolved_only: bool = False) -> list[IdentityView]:
    """Every identity the imports recorded (or only the unresolved ones): people first, then bots."""
    rows = repository.identities(session, org=org, unresolved_only=unresolved_only)
    return [IdentityView.model_validate(i) for i in rows]


class BotIdentity(TeamweaveError):
    """A bot or AI-tool identity cannot be resolved to a person (its events are tool interactions)."""

    status = 409


def resolve_identity(session: Session, *, org: str, identity_id: int, person_id: int) -> IdentityView:
    """Resolve an identity to a person: analysis then counts its events as that person's, with no re-import.

    Resolving again to another person moves the events to that person; events are never copied, so nothing
    is counted twice. A bot identity raises :class:`BotIdentity`; an unknown identity or person
    :class:`NotFound`.
    """
    identity = repository.get_identity(session, org=org, identity_id=identity_id)
    if identity is None:
        raise NotFound(f"no identity {identity_id}", where="identity")
    if identity.is_bot:
        raise BotIdentity(f"identity {identity_id} is a bot", hint="bots are tools and are never resolved to people")
    identity.person_id = people_service.get_person(session, org=org, person_id=person_id).id
    session.flush()
    return IdentityView.model_validate(identity)


def resolve_identity_to_email(session: Session, *, org: str, identity_id: int, email: str) -> IdentityView:
    """:func:`resolve_identity` to the person with this HR e-mail address (:class:`NotFound` when none)."""
    if not email.strip():
        raise TeamweaveError("an e-mail address is needed", where="email")
    person = people_service.person_by_email(session, org=org, email=email.strip())
    if person is None:
        raise NotFound(f"no person with e-mail {email.strip()}", where="email", hint="see teamweave people list")
    return resolve_identity(session, org=org, identity_id=identity_id, person_id=person.id)


def candidate_raw_ids(source: str, identity: str) -> set[str]:
    """The raw ids a connector may have used for what an admin calls ``identity`` (docs/connectors.md).

    The value as given, in lower case, and with runs of spaces collapsed (Lotus Notes names); for GitHub, the
    ``github:<login>`` form the connector uses (a leading ``@`` is ignored).

    Examples
    --------
    >>> sorted(candidate_raw_ids("github", "@Octo-Cat"))
    ['@Octo-Cat', '@octo-cat', 'github:octo-cat']
    """
    value = identity.strip()
    ids = {value, value.lower(), " ".join(value.split()).lower()}
    if source == "github":
        login = value.removeprefix("@").lower().removeprefix("github:")
        ids.add(f"github:{login}")
    return ids


def matching_identities(
    session: Session, *, org: str, source: str | None, identity: str, pseudonymiser: Pseudonymiser
) -> list[Identity]:
    """The identities of ``source`` (any source when None) that ``identity`` names: by recomputing the
    pseudonym of each candidate raw id (:func:`candidate_raw_ids`), or by the label the Imports page shows."""
    sources = [source] if source else sorted(SOURCES)
    pseudonyms = {pseudonymiser.identity(s, raw) for s in sources for raw in candidate_raw_ids(s, identity)}
    return repository.identities_matching(
        session, org=org, sources=sources, pseudonyms=pseudonyms, label=identity.strip()
    )


@dataclass(frozen=True, slots=True)
class AliasRow:
    """One data row of an alias file; ``line`` is its 1-based line number (the header is line 1)."""

    line: int
    source: str
    identity: str
    email: str


def read_alias_file(path: Path) -> list[AliasRow]:
    """The rows of an alias file (``source,identity,email``, UTF-8, header first; blank lines ignored).

    Raises :class:`InputFormatError` (file, line) before anything is applied when the file cannot be read, is
    larger than :data:`MAX_ALIAS_BYTES`, is not UTF-8 CSV or lacks a column.
    """
    name = path.name
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_ALIAS_BYTES + 1)
    except OSError as error:
        raise InputFormatError(f"cannot read the file ({error.strerror})", file=name) from error
    if len(data) > MAX_ALIAS_BYTES:
        raise InputFormatError(f"larger than {MAX_ALIAS_BYTES // 1_000_000} MB", file=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputFormatError("not UTF-8 text", file=name, line=data.count(b"\n", 0, error.start) + 1) from error
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        missing = [column for column in ALIAS_COLUMNS if column not in header]
        if missing:
            raise InputFormatError(
                f"missing column(s): {', '.join(missing)}",
                file=name,
                line=1,
                hint="the header is source,identity,email",
            )
        index = [header.index(column) for column in ALIAS_COLUMNS]
        rows = [
            AliasRow(reader.line_num, *(record[i].strip() if i < len(record) else "" for i in index))
            for record in reader
            if any(cell.strip() for cell in record)
        ]
    except csv.Error as error:
        raise InputFormatError(f"not CSV ({error})", file=name, line=max(reader.line_num, 1)) from error
    return [AliasRow(r.line, r.source.lower(), r.identity, r.email) for r in rows]


def apply_aliases(session: Session, *, org: str, path: Path, pseudonymiser: Pseudonymiser) -> AliasResult:
    """Resolve every identity an alias file names to the person with the row's HR e-mail address.

    Rows naming an unknown source, identity or e-mail address, or a bot, are reported in ``errors`` with
    file, line and field and skipped; the other rows are applied. Applying a file twice changes nothing.
    A file that is not an alias file raises :class:`InputFormatError` before anything is applied.
    Never commits.
    """
    rows = read_alias_file(path)
    result = AliasResult(file=path.name, rows=len(rows))
    for row in rows:
        try:
            changed, unchanged = _apply_alias(session, org=org, row=row, file=path.name, pseudonymiser=pseudonymiser)
        except InputFormatError as error:
            result.errors.append(str(error))
        else:
            result.resolved += changed
            result.unchanged += unchanged
    session.flush()
    return result


def _apply_alias(
    session: Session, *, org: str, row: AliasRow, file: str, pseudonymiser: Pseudonymiser
) -> tuple[int, int]:
    """Apply one row: (identities resolved or moved, identities already resolved to that person)."""
    if row.source and row.source not in SOURCES:
        raise InputFormatError(
            f"unknown source {row.source!r}",
            file=file,
            line=row.line,
            field="source",
            hint=f"one of {', '.join(sorted(SOURCES))}, or empty for any source",
        )
    for field, value in (("identity", row.identity), ("email", row.email)):
        if not value:
            raise InputFormatError(f"empty {field}", file=file, line=row.line, field=field)
    person = people_service.person_by_email(session, org=org, email=row.email)
    if person is None:
        raise InputFormatError(
            f"unknown e-mail {row.email} (not in the HR directory)", file=file, line=row.line, field="email"
        )
    found = matching_identities(
        session, org=org, source=row.source or None, identity=row.identity, pseudonymiser=pseudonymiser
    )
    where = f" in {row.source}" if row.source else ""
    if not found:
        raise InputFormatError(
            f"unknown identity {row.identity!r}{where} (no import has seen it)",
            file=file,
            line=row.line,
            field="identity",
        )
    humans = [identity for identity in found if not identity.is_bot]
    if not humans:
        raise InputFormatError(
            f"identity {row.identity!r}{where} is a bot; bots are never resolved to people",
            file=file,
            line=row.line,
            field="identity",
        )
    changed = [identity for identity in humans if identity.person_id != person.id]
    for identity in changed:
        identity.person_id = person.id
    return len(changed), len(humans) - len(changed)


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
