"""What the imports capability hands out: run summaries, run history rows, identities."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class ImportSummary(BaseModel):
    """The outcome of one import, as the CLI and the web app show it.

    ``counts_by_kind`` counts the events read from the source per kind (before de-duplication);
    ``added`` and ``duplicates`` say how many of them were new to the event store.
    ``errors`` are located messages (file and record index or line), never content.
    """

    run_id: int
    source: str
    file_name: str
    read: int = 0
    added: int = 0
    duplicates: int = 0
    skipped: int = 0
    counts_by_kind: dict[str, int] = Field(default_factory=dict)
    skip_reasons: dict[str, int] = Field(default_factory=dict)
    errors: list[str] = Field(default_factory=list)
    unmatched: list[str] = Field(
        default_factory=list, description="Labels of people not matched by e-mail (at most 10,000 listed)."
    )
    unmatched_total: int = Field(0, description="How many identities matched no person (all, not only listed).")
    bots: list[str] = Field(default_factory=list, description="Labels of bot identities seen (at most 10,000).")
    bots_total: int = Field(0, description="How many bot identities were seen.")
    dropped_targets: int = Field(0, description="Targets left out because the source does not know them.")
    erased: int = Field(0, description="Events left out because an erased person acted in them.")
    quarantine_file: Path | None = None
    seconds: float = 0.0
    events_per_second: float = 0.0


class ImportRunView(BaseModel):
    """One row of the import history."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    org: str
    source: str
    file_name: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    added: int
    duplicates: int
    skipped: int
    counts: dict[str, int]
    errors: list[str]
    quarantine_file: str | None


class IdentityView(BaseModel):
    """A source identity and the person it resolves to (None while unresolved)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    org: str
    source: str
    pseudonym: str
    label: str
    person_id: int | None
    is_bot: bool


class AliasResult(BaseModel):
    """What applying an alias file did (docs/connectors.md, "Resolving identities").

    ``resolved`` counts identities newly resolved (or moved to another person), ``unchanged`` those already
    resolved to the row's person (applying a file twice resolves nothing the second time). ``errors`` are
    located messages (file, line, field) of rows that were skipped; the other rows were applied.
    """

    file: str
    rows: int = 0
    resolved: int = 0
    unchanged: int = 0
    errors: list[str] = Field(default_factory=list)
