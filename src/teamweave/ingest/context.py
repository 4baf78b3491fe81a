"""What every connector needs while it reads: the org, pseudonyms, identities, the date window, a tally of
what was skipped and why, the quarantine, and progress."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from teamweave.ingest.identity import IdentityResolver
from teamweave.ingest.quarantine import QuarantineWriter
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.progress import NullProgress, ProgressReporter

MAX_ERRORS = 1000


@dataclass
class ImportContext:
    """Shared state of one import. ``since``/``until`` bound event times (None: unbounded); until is exclusive."""

    org: str
    pseudonymiser: Pseudonymiser
    identities: IdentityResolver
    quarantine: QuarantineWriter
    since: datetime | None = None
    until: datetime | None = None
    progress: ProgressReporter = field(default_factory=NullProgress)
    skip_reasons: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    unknown_targets: set[str] = field(default_factory=set)

    @property
    def skipped(self) -> int:
        return sum(self.skip_reasons.values())

    def skip(self, reason: str, count: int = 1) -> None:
        """Count records skipped by rule (not an interaction, outside the window): not errors."""
        self.skip_reasons[reason] += count

    def bad(self, *, location: str, reason: str, **keys: object) -> None:
        """A bad record: counted, reported with its location, and quarantined (location, reason, keys only)."""
        self.skip_reasons[reason] += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(f"{location}: {reason}")
        self.quarantine.write(location=location, reason=reason, **keys)

    def in_window(self, ts: datetime) -> bool:
        return (self.since is None or ts >= self.since) and (self.until is None or ts < self.until)
