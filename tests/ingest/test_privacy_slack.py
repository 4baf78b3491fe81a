"""Privacy: importing a real Slack export stores no message text, attachment title or file name anywhere.

Every byte under the data dir (SQLite database, Parquet events, quarantine files, keys) is read, Parquet and
SQLite decoded, and searched for distinctive content taken from the fixture's day files.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.support.stored_text import stored_text

from teamweave.ingest.pipeline import import_path
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

FIXTURE = "slack-export-viewer-testarchive"


def _fixture_content(extracted: Path) -> tuple[list[str], list[str]]:
    """Distinctive message texts, and attachment titles / file names and titles, from the raw day files."""
    texts: list[str] = []
    names: list[str] = []
    for day in sorted(extracted.glob("*/*.json")):
        for m in json.loads(day.read_text()):
            text = m.get("text", "")
            if len(text) >= 25 and "<@" not in text[:3]:
                texts.append(text[:60])
            for attachment in m.get("attachments", []):
                names.extend(str(attachment[k]) for k in ("title", "fallback") if len(str(attachment.get(k, ""))) > 8)
            file = m.get("file") or {}
            names.extend(str(file[k]) for k in ("name", "title") if file.get(k))
    return texts, names


def test_no_message_text_or_file_name_reaches_any_stored_byte(
    tmp_path: Path, shared_data: Path, runtime: Runtime
) -> None:
    root = shared_data / FIXTURE
    texts, names = _fixture_content(root / "extracted")
    assert len(texts) >= 30
    assert {"100_cities.js", "10_cities.js"} <= set(names)
    bad = tmp_path / "bad-export"
    with zipfile.ZipFile(root / "testarchive.zip") as archive:
        archive.extractall(bad)
    (bad / "enrique" / "2016-01-15.json").write_text((bad / "enrique" / "2016-01-15.json").read_text()[:-20])
    settings = runtime.settings
    for path in (root / "testarchive.zip", root / "extracted", bad):
        with session_scope(runtime.sessions) as session:
            summary = import_path(
                session,
                org="default",
                path=path,
                events=runtime.events,
                pseudonymiser=runtime.pseudonymiser,
                quarantine_dir=settings.quarantine_dir,
            )
    assert summary.quarantine_file is not None
    runtime.close()  # settle the database files before reading every byte

    stored = stored_text(settings.data_dir)
    assert "parquet" in "".join(p.suffix for p in settings.data_dir.rglob("*"))
    assert "@hamza (Slack U0BMQB6JE)" in stored  # the scan does read the database (identity labels are kept)
    assert "unreadable day file" in stored  # ... and the quarantine file
    lowered = stored.lower()
    for needle in [*texts, *names]:
        variants = {needle, needle.lower(), needle.replace("/", "\\/"), json.dumps(needle)[1:-1]}
        for variant in variants:
            assert variant not in stored, f"stored content found: {variant[:30]!r}"
            assert variant.lower() not in lowered
        assert needle.encode("utf-8").decode("latin-1") not in stored
    for word in ("setup.py", "executor", "Holmesville", "cities", "progressive"):
        assert word.lower() not in lowered, word
