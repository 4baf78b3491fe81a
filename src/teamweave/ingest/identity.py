"""Resolve the identities a source uses (Slack users, calendar attendees) to pseudonyms.

A source identity with an e-mail address that belongs to a person becomes that person's pseudonym. Any other
identity (no address, an unknown address, a bot) gets an identity pseudonym and an ``Identity`` row, so it is
listed for an admin to resolve later rather than dropped. When an identity seen unmatched in an earlier import
now matches a person by e-mail, its row is resolved to that person, so earlier events count as theirs too.
Lookups are cached per raw id: each identity costs one query per import at most.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from teamweave.imports import service as imports_service
from teamweave.imports.models import Identity
from teamweave.people import service as people_service
from teamweave.privacy.pseudonym import Pseudonymiser


@dataclass(frozen=True, slots=True)
class SourceIdentity:
    """What a source says about one of its identities. ``label`` is what an admin needs to resolve it."""

    raw_id: str
    label: str
    email: str | None = None
    is_bot: bool = False


class IdentityResolver:
    """Raw source ids -> pseudonyms for one import of one source."""

    def __init__(
        self, session: Session, *, org: str, source: str, pseudonymiser: Pseudonymiser, run_id: int | None
    ) -> None:
        self._session = session
        self._org = org
        self._source = source
        self._pseudonymiser = pseudonymiser
        self._run_id = run_id
        self._known: dict[str, Identity] = imports_service.known_identities(session, org=org, source=source)
        self._people: dict[str, tuple[int, str]] = {  # e-mail -> (person id, pseudonym), loaded once an import
            entry.email.lower(): (entry.person_id, entry.pseudonym)
            for entry in people_service.directory(session, org=org)
        }
        self._cache: dict[str, str] = {}
        self.matched = 0
        self.unmatched: dict[str, str] = {}
        self.bots: dict[str, str] = {}

    def pseudonym(self, identity: SourceIdentity) -> str:
        """The pseudonym events store for this identity (a person's when the e-mail matches one)."""
        cached = self._cache.get(identity.raw_id)
        if cached is not None:
            return cached
        pseudonym = self._resolve(identity)
        self._cache[identity.raw_id] = pseudonym
        return pseudonym

    def _resolve(self, identity: SourceIdentity) -> str:
        identity_pseudonym = self._pseudonymiser.identity(self._source, identity.raw_id)
        row = self._known.get(identity_pseudonym)
        if identity.email and not identity.is_bot:
            person = self._people.get(identity.email.strip().lower())
            if person is not None:
                person_id, person_pseudonym = person
                if row is not None and row.person_id is None:
                    row.person_id = person_id
                self.matched += 1
                return person_pseudonym
        if row is None:
            row = imports_service.add_identity(
                self._session,
                org=self._org,
                source=self._source,
                pseudonym=identity_pseudonym,
                label=identity.label,
                is_bot=identity.is_bot,
                run_id=self._run_id,
            )
            self._known[identity_pseudonym] = row
        if identity.is_bot:
            self.bots[identity_pseudonym] = row.label
        elif row.person_id is None:
            self.unmatched[identity_pseudonym] = row.label
        return identity_pseudonym
