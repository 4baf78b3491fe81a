"""Privacy: columns the format does not define (a message text, a subject) are never read into any stored byte.

The texts are real: requests from the Stanford Politeness Corpus (../shared/data), put in ``text`` and
``subject`` columns of good rows and of rows that are quarantined. Every byte under the data dir is searched.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.support.stored_text import stored_text

from teamweave.ingest.generic_csv import SOURCE, CsvEvents
from teamweave.ingest.pipeline import run_connector
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

CORPUS = "stanford-politeness-wikipedia/wikipedia.annotated.csv"


def _real_texts(shared_data: Path, count: int) -> list[str]:
    with open(shared_data / CORPUS, encoding="utf-8", newline="") as handle:
        texts = [row["Request"] for row in csv.DictReader(handle) if len(row["Request"]) >= 40]
    return texts[:count]


def test_no_text_column_reaches_any_stored_byte(tmp_path: Path, shared_data: Path, runtime: Runtime) -> None:
    texts = _real_texts(shared_data, 40)
    path = tmp_path / "chat-log.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["ts", "kind", "actor", "targets", "channel", "subject", "text"])
        for index, text in enumerate(texts):
            good = index % 4 != 0
            ts = f"2025-02-{1 + index % 28:02d}T10:{index % 60:02d}:00Z" if good else text[:30]
            out.writerow([ts, "message", f"user{index % 7}@example.org", "ana@example.org", "#wiki", text[:50], text])
    settings = runtime.settings
    for _ in range(2):
        with session_scope(runtime.sessions) as session:
            summary = run_connector(
                session,
                org="default",
                connector=CsvEvents.open(path),
                source=SOURCE,
                file_name=path.name,
                events=runtime.events,
                pseudonymiser=runtime.pseudonymiser,
                quarantine_dir=settings.quarantine_dir,
            )
    assert summary.duplicates == 30
    assert len(summary.errors) == 10
    assert summary.quarantine_file is not None
    runtime.close()  # settle the database files before reading every byte

    stored = stored_text(settings.data_dir)
    assert "user1@example.org (CSV)" in stored  # the scan does read the database
    assert "field 'ts'" in stored  # ... and the quarantine file
    lowered = stored.lower()
    for text in texts:
        for needle in (text, text[:50], text[:30], json.dumps(text)[1:-1][:40]):
            assert needle.lower() not in lowered, f"stored content found: {needle[:30]!r}"
