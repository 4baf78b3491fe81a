"""Both readers of the generic CSV format over the same file: the row reader (``CsvEvents.interactions``) and
the block reader (``CsvEvents.event_tables``), with everything each does to the import context recorded."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from teamweave.ingest.context import ImportContext
from teamweave.ingest.generic_csv import CsvEvents
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.quarantine import QuarantineWriter
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EVENT_SCHEMA, records_to_table

P = Pseudonymiser(b"k" * 32)
PEOPLE = {
    "ana@example.org": P.person_of_email("ana@example.org"),
    "bo@example.org": P.person_of_email("bo@example.org"),
}


class RecordingIdentities:
    """Resolves as the pipeline's resolver does for two known people, and records every call in order."""

    def __init__(self) -> None:
        self.calls: list[SourceIdentity] = []
        self.unmatched: dict[str, str] = {}
        self.bots: dict[str, str] = {}

    def pseudonym(self, identity: SourceIdentity) -> str:
        assert len(identity.label) <= 300
        self.calls.append(identity)
        person = PEOPLE.get(identity.email or "") if not identity.is_bot else None
        return person or P.identity("csv", identity.raw_id)


@dataclass
class Outcome:
    """What one reader did: the events, the identity calls, the errors, the skips (in the order their reasons
    first appeared) and the quarantine file's lines."""

    events: list[dict[str, Any]]
    calls: list[SourceIdentity]
    errors: list[str]
    skips: list[tuple[str, int]]
    quarantined: list[str]


def read(path: Path, *, tables: bool, since: datetime | None = None, until: datetime | None = None) -> Outcome:
    """Read the file with one of the two readers into a fresh context."""
    identities = RecordingIdentities()
    with tempfile.TemporaryDirectory() as tmp, QuarantineWriter(Path(tmp), source="csv", run_id=1) as quarantine:
        ctx = ImportContext(
            org="acme",
            pseudonymiser=P,
            identities=identities,  # type: ignore[arg-type]
            quarantine=quarantine,
            since=since,
            until=until,
        )
        connector = CsvEvents.open(path)
        if tables:
            parts = list(connector.event_tables(ctx))
            table = pa.concat_tables(parts) if parts else EVENT_SCHEMA.empty_table()
        else:
            table = records_to_table(list(connector.interactions(ctx)))
        quarantine.close()
        lines = quarantine.path.read_text().splitlines() if quarantine.written else []
    return Outcome(table.to_pylist(), identities.calls, ctx.errors, list(ctx.skip_reasons.items()), lines)


def both(path: Path, **window: datetime | None) -> Outcome:
    """The row reader's outcome, after checking that the block reader's is the same in every respect."""
    rows, blocks = read(path, tables=False, **window), read(path, tables=True, **window)
    assert blocks.events == rows.events
    assert blocks.calls == rows.calls
    assert blocks.errors == rows.errors
    assert blocks.skips == rows.skips
    assert blocks.quarantined == rows.quarantined
    return rows
