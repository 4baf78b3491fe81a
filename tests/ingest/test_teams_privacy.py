"""Privacy: importing Teams messages stores no body, subject, summary or attachment name anywhere.

Every byte under the data dir (SQLite database, Parquet events, quarantine files) is read, decoded, and searched
for the distinctive content of the fixture's messages — including messages that were quarantined or skipped.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.ingest.test_teams_graph import GROUP, SECRET, chat_message, write_export
from tests.support.stored_text import stored_text

from teamweave.ingest.pipeline import run_connector
from teamweave.ingest.teams_graph import SOURCE, TeamsMessages
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

BODIES = [
    SECRET,
    "can you review the launch plan?",
    "Standup in 5 minutes",
    "Sounds good, see you at the standup",
    "Wiremu's performance review is on Thursday",
]
OTHER_CONTENT = ["Launch retro", "Retro notes", "retro-secret-plan.docx", "Salary bands 2025", "offsite-budget.xlsx"]


def _add_sensitive_extras(export: Path) -> None:
    quarantined = chat_message("900", "2025-01-01T00:00:00Z", chat=GROUP, text=BODIES[4], subject="Salary bands 2025")
    quarantined["from"] = {"user": {"displayName": "no id"}}  # no sender id: quarantined
    attachment = {"id": "a1", "contentType": "reference", "name": "offsite-budget.xlsx"}
    skipped = chat_message("901", "2025-01-01T00:00:00Z", chat=GROUP, text=BODIES[4], attachments=[attachment])
    skipped["messageType"] = "systemEventMessage"
    (export / "extras.json").write_text(json.dumps([quarantined, skipped]))
    (export / "truncated.json").write_text(json.dumps([quarantined])[:-30])


def test_no_message_content_reaches_any_stored_byte(tmp_path: Path, runtime: Runtime) -> None:
    export = write_export(tmp_path / "teams-export")
    _add_sensitive_extras(export)
    assert all(text in "".join(p.read_text() for p in export.rglob("*.json")) for text in BODIES + OTHER_CONTENT)
    settings = runtime.settings
    for _ in range(2):
        with session_scope(runtime.sessions) as session:
            summary = run_connector(
                session,
                org="default",
                connector=TeamsMessages.open(export),
                source=SOURCE,
                file_name=export.name,
                events=runtime.events,
                pseudonymiser=runtime.pseudonymiser,
                quarantine_dir=settings.quarantine_dir,
            )
    assert summary.quarantine_file is not None
    assert summary.duplicates == 16
    runtime.close()  # settle the database files before reading every byte

    stored = stored_text(settings.data_dir)
    assert "Ana Lima (Teams)" in stored  # the scan does read the database (identity labels are kept)
    assert "message without a sender" in stored  # ... and the quarantine file
    lowered = stored.lower()
    for needle in BODIES + OTHER_CONTENT:
        for variant in {needle, json.dumps(needle)[1:-1], needle.replace("'", "\\u0027")}:
            assert variant.lower() not in lowered, f"stored content found: {variant[:30]!r}"
    for word in ("confidential", "priya", "launch plan", "salary", "wiremu", "offsite", "standup in"):
        assert word not in lowered, word
