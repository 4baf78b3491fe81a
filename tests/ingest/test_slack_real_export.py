"""The Slack connector on a real export (slack-export-viewer's test archive): exact counts, bots, idempotence."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.ingest.builders import ORG, Importer

from teamweave.imports.models import Identity, ImportRun

FIXTURE = "slack-export-viewer-testarchive"
INTERACTION_SUBTYPES = {None, "bot_message", "file_share", "file_comment"}


def expected_counts(extracted: Path) -> tuple[Counter[str], Counter[str], int]:
    """Counts per kind computed straight from the raw JSON (independently of the connector), skipped
    subtypes, and how many messages came from bots."""
    users = {u["id"] for u in json.loads((extracted / "users.json").read_text())}
    kinds: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    bot_messages = 0
    for day in sorted(extracted.glob("*/*.json")):
        for m in json.loads(day.read_text()):
            subtype = m.get("subtype")
            if subtype not in INTERACTION_SUBTYPES:
                skipped[subtype] += 1
                continue
            kinds["message"] += 1
            author = m.get("comment", {}).get("user") if subtype == "file_comment" else m.get("user")
            if m.get("bot_id"):
                bot_messages += 1
                author = m["bot_id"]
            mentioned = set(re.findall(r"<@(U[A-Z0-9]+)", m["text"])) & users
            kinds["mention"] += len(mentioned - {author})
            kinds["reaction"] += sum(len(set(r["users"]) - {author}) for r in m.get("reactions", []))
    return kinds, skipped, bot_messages


@pytest.mark.parametrize("variant", ["testarchive.zip", "extracted"])
def test_real_export_counts(importer: Importer, shared_data: Path, variant: str) -> None:
    root = shared_data / FIXTURE
    kinds, skipped, bot_messages = expected_counts(root / "extracted")
    assert kinds["message"] == 158 - sum(skipped.values()) == 147
    assert bot_messages == 94

    summary = importer(root / variant)

    assert summary.counts_by_kind == {k: v for k, v in sorted(kinds.items()) if v}
    assert summary.added == sum(kinds.values())
    assert summary.skip_reasons == {f"{s}: not an interaction": n for s, n in skipped.items()}
    assert summary.errors == []
    assert summary.quarantine_file is None
    rows = importer.rows()
    assert sum(1 for r in rows if r["kind"] == "message" and r["by_bot"]) == 94
    assert len(summary.unmatched) == 4
    assert len(summary.bots) == 3
    humans = importer.session.execute(select(Identity).where(Identity.org == ORG, ~Identity.is_bot)).scalars().all()
    assert len(humans) == 4
    assert all(r["audience"] >= 1 for r in rows)
    small_channel = [r for r in rows if r["kind"] == "message" and not r["by_bot"]]
    assert all(r["audience"] == 3 and len(r["targets"]) == 3 for r in small_channel)


def test_importing_twice_and_zip_then_folder_counts_nothing_twice(importer: Importer, shared_data: Path) -> None:
    root = shared_data / FIXTURE
    first = importer(root / "testarchive.zip")
    again = importer(root / "testarchive.zip")
    folder = importer(root / "extracted")

    assert first.added == 162
    assert (again.added, again.duplicates) == (0, 162)
    assert (folder.added, folder.duplicates) == (0, 162)
    assert importer.events.count(ORG) == 162
    runs = importer.session.execute(select(ImportRun).order_by(ImportRun.id)).scalars().all()
    assert [(r.status, r.added) for r in runs] == [("done", 162), ("done", 0), ("done", 0)]
    assert len(importer.session.execute(select(Identity)).scalars().all()) == 7
