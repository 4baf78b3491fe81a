"""The csv module's process-wide field limit: readers set their own and leave the process as they found it."""

from __future__ import annotations

import csv
from pathlib import Path

from tests.ingest.test_generic_csv_hostile import GOOD, HEADER, _import

from teamweave.cli.tone import _csv_messages
from teamweave.ingest.csv_limits import DEFAULT_FIELD_CHARS, field_size_limit


def test_generic_csv_reads_the_same_whatever_limit_the_process_has() -> None:
    huge = '2025-01-01T00:00:00Z,,message,ana@example.org,"' + "q" * 140_000 + '",,,,\n'
    content = (HEADER + huge + GOOD).encode()
    with field_size_limit(1 << 24):
        result = _import(content)
    assert result is not None
    events, ctx = result
    assert len(events) == 1
    assert ctx.errors == ["events.csv, line 2: unreadable row (field larger than field limit (131072))"]
    assert csv.field_size_limit() == DEFAULT_FIELD_CHARS


def test_the_tone_batch_reader_puts_the_limit_back(tmp_path: Path) -> None:
    path = tmp_path / "messages.csv"
    path.write_text("text\n" + "x" * 200_000 + "\nhello\n")
    assert [len(m) for m in _csv_messages(path, "text")] == [200_000, 5]
    assert csv.field_size_limit() == DEFAULT_FIELD_CHARS
