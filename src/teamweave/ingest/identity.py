"""Resolve the identities a source uses (Slack users, calendar attendees) to pseudonyms.

A source identity with an e-mail address that belongs to a person becomes that person's pseudonym. Any other
identity (no address, an unknown address, a bot) gets an identity pseudonym and an ``Identity`` row, so it is
listed for an admin to resolve later rather than dropped. When an identity seen unmatched in an earlier import
now matches a person by e-mail, its row is resolved to that person, so earlier events count as theirs too.
An identity of an erased person (the mark of its pseudonym, or of its e-mail's, was kept: ``privacy.erased``)
gets no row; its pseudonym goes to :attr:`IdentityResolver.erased`, whose events the pipeline leaves out.
Memory stays bounded on any input size (a 2 GB mbox with 1.5M distinct addresses, docs/performance.md): new
identity rows are written in batches with one Core ``INSERT .. ON CONFLICT DO NOTHING`` each (no ORM object per
identity), nothing is read per identity (only the few identities an admin resolved are loaded), the raw id ->
pseudonym cache is bounded, and per distinct identity only its 20-character pseudonym is kept, so it is recorded
and counted once. The summary lists at most :data:`MAX_LISTED` labels and counts them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sqlalchemy.orm import Session

from teamweave.imports import service as imports_service
from teamweave.imports.service import NewIdentity
from teamweave.people import service as people_service
from teamweave.privacy.erased import erasure_mark, erasure_marks
from teamweave.privacy.pseudonym import Pseudonymiser

CACHE_LIMIT: Final = 100_000
"""Raw ids whose pseudonym is cached; the cache is emptied when full (re-resolving is cheap and exact)."""
FLUSH_EVERY: Final = 5_000
"""New identity rows written per INSERT statement."""
MAX_LISTED: Final = 10_000
"""Labels of unmatched identities (and of bots) kept for the import summary; all are counted."""


@dataclass(frozen=True, slots=True)
class SourceIdentity:
    """What a source says about one of its identities. ``label`` is what an admin needs to resolve it."""

    raw_id: str
    label: str
    email: str | None = None
    is_bot: bool = False


class IdentityResolver:
    """Raw source ids -> pseudonyms for one import of one source. Call :meth:`flush` when the source is read."""

    def __init__(
        self, session: Session, *, org: str, source: str, pseudonymiser: Pseudonymiser, run_id: int | None
    ) -> None:
        self._session = session
        self._org = org
        self._source = source
        self._pseudonymiser = pseudonymiser
        self._run_id = run_id
        self._resolved = imports_service.resolved_pseudonyms(session, org=org, source=source)
        self._people: dict[str, tuple[int, str]] = {  # e-mail -> (person id, pseudonym), loaded once an import
            entry.email.lower(): (entry.person_id, entry.pseudonym)
            for entry in people_service.directory(session, org=org)
        }
        self._erasure_marks = erasure_marks(session, org=org)
        self.erased: set[str] = set()
        """Pseudonyms of erased people's identities met in this import: their events stay out."""
        self._cache: dict[str, str] = {}
        self._seen: set[str] = set()  # identity pseudonyms handled in this import: recorded and counted once
        self._pending: list[NewIdentity] = []
        self._newly_matched: dict[str, int] = {}  # identity pseudonym -> person id, for rows stored unresolved
        self.matched = 0
        self.unmatched: dict[str, str] = {}
        self.unmatched_count = 0
        self.bots: dict[str, str] = {}
        self.bot_count = 0

    def pseudonym(self, identity: SourceIdentity) -> str:
        """The pseudonym events store for this identity (a person's when the e-mail matches one)."""
        cached = self._cache.get(identity.raw_id)
        if cached is not None:
            return cached
        pseudonym = self._resolve(identity)
        if len(self._cache) >= CACHE_LIMIT:
            self._cache.clear()
        self._cache[identity.raw_id] = pseudonym
        return pseudonym

    def cached(self, raw_id: str) -> str | None:
        """The pseudonym of a raw id already resolved in this import (None when not cached): lets a connector
        skip building a :class:`SourceIdentity` for it. Same answer as :meth:`pseudonym`."""
        return self._cache.get(raw_id)

    def flush(self) -> None:
        """Write the identities recorded since the last flush, and resolve stored ones that now match."""
        session, org, source = self._session, self._org, self._source
        imports_service.record_identities(
            session, org=org, source=source, run_id=self._run_id, identities=self._pending
        )
        imports_service.resolve_matched(session, org=org, source=source, person_of=self._newly_matched)
        self._pending, self._newly_matched = [], {}

    def _resolve(self, identity: SourceIdentity) -> str:
        identity_pseudonym = self._pseudonymiser.identity(self._source, identity.raw_id)
        first_time = identity_pseudonym not in self._seen
        if first_time:
            self._seen.add(identity_pseudonym)
            if self._erasure_marks and self._was_erased(identity, identity_pseudonym):
                self.erased.add(identity_pseudonym)
        if identity_pseudonym in self.erased:
            return identity_pseudonym  # no row, not counted: the pipeline leaves its events out
        if identity.email and not identity.is_bot:
            person = self._people.get(identity.email.strip().lower())
            if person is not None:
                person_id, person_pseudonym = person
                if first_time:
                    self.matched += 1
                    if identity_pseudonym not in self._resolved:  # stored unmatched by an earlier import?
                        self._newly_matched[identity_pseudonym] = person_id
                return person_pseudonym
        if first_time:
            self._record(identity, identity_pseudonym)
        return identity_pseudonym

    def _was_erased(self, identity: SourceIdentity, identity_pseudonym: str) -> bool:
        """Whether the identity, or the person its e-mail names, was erased (``privacy.erased``)."""
        if erasure_mark(identity_pseudonym) in self._erasure_marks:
            return True
        email = identity.email
        return email is not None and erasure_mark(self._pseudonymiser.person_of_email(email)) in self._erasure_marks

    def _record(self, identity: SourceIdentity, identity_pseudonym: str) -> None:
        self._pending.append(NewIdentity(identity_pseudonym, identity.label[:300], identity.is_bot))
        if len(self._pending) >= FLUSH_EVERY:
            self.flush()
        if identity.is_bot:
            self.bot_count += 1
            if len(self.bots) < MAX_LISTED:
                self.bots[identity_pseudonym] = identity.label[:300]
        elif identity_pseudonym not in self._resolved:
            self.unmatched_count += 1
            if len(self.unmatched) < MAX_LISTED:
                self.unmatched[identity_pseudonym] = identity.label[:300]
