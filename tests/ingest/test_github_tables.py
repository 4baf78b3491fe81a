"""The GitHub table path (``event_tables``, each file parsed once) against the record path (``interactions``):
the same events in the same order, the same errors, skips, quarantine lines and identity rows.

The pipeline reads ``event_tables``; the record path stays the reference. test_github_hostile.py reads every
hostile file both ways too.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session
from tests.ingest.builders import RecordsOnly, summary_and_identities
from tests.ingest.test_github_hostile import JSON_VALUES, _both_ways
from tests.ingest.test_github_json import issue, issue_comment, pull, review, review_comment, write_fixture

from teamweave.ingest import github_tables
from teamweave.ingest.connector import TableConnector
from teamweave.ingest.github_json import SOURCE, GitHubJson
from teamweave.ingest.pipeline import run_connector
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore

P = Pseudonymiser(b"k" * 32)


def assert_same(path: Path) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as tmp:
        records = _both_ways(GitHubJson.open(path), Path(tmp), tables=False)
        assert _both_ways(GitHubJson.open(path), Path(tmp), tables=True) == records
    return records[0]


def test_table_connector() -> None:
    assert isinstance(GitHubJson(Path("."), []), TableConnector)


@pytest.mark.parametrize(("cache", "per_table"), [(1, 1), (3, 2), (200_000, 50_000)])
def test_fixture_kept_or_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cache: int, per_table: int
) -> None:
    monkeypatch.setattr(github_tables, "CACHE_OBJECTS", cache)
    monkeypatch.setattr(github_tables, "TABLE_EVENTS", per_table)
    root = write_fixture(tmp_path / "gh")
    (root / "broken.json").write_text(json.dumps([pull(7, "ana")])[:-9])
    (root / "z-again.json").write_text(json.dumps([review(301, "bo", 1, "APPROVED", "2024-05-02T10:00:00Z")]))
    assert len(assert_same(root)) == 9  # the fixture's 8, and review 301 again (the store keeps one)


def test_the_pipeline_stores_the_same(session: Session, tmp_path: Path) -> None:
    """Each path into its own org: the same summary, stored rows and identity rows (in the same order)."""
    root = write_fixture(tmp_path / "gh")
    summaries, identities = [], []
    for org, connector in (("records", RecordsOnly(GitHubJson.open(root))), ("tables", GitHubJson.open(root))):
        summary = run_connector(
            session,
            org=org,
            connector=connector,  # type: ignore[arg-type]
            source=SOURCE,
            file_name=root.name,
            events=EventStore(tmp_path / org),
            pseudonymiser=P,
            quarantine_dir=tmp_path / f"q-{org}",
            window=(None, datetime(2024, 5, 4, 9, 30, tzinfo=UTC)),
        )
        reported, known = summary_and_identities(session, summary, org)
        summaries.append(reported)
        identities.append(known)
    assert summaries[0] == summaries[1]
    assert summaries[0]["skip_reasons"]["outside the import window"] == 1
    assert identities[0] == identities[1] != []
    stored = [
        [
            {**row, "org": ""}
            for row in pa.concat_tables(pq.read_table(f) for f in EventStore(tmp_path / org).files(org)).to_pylist()
        ]
        for org in ("records", "tables")
    ]
    assert stored[0] == stored[1] != []


def _objects(data: st.DataObject) -> list[Any]:
    logins = ["ana", "bo", "cy", "dependabot[bot]"]
    times = ["2024-05-02T10:00:00Z", "2024-05-02T11:00:00+02:00", "bad", None]
    made: list[Any] = []
    for _ in range(data.draw(st.integers(min_value=1, max_value=8))):
        kind = data.draw(st.sampled_from(["pull", "issue", "review", "review_comment", "issue_comment", "other"]))
        number, login = data.draw(st.integers(1, 3)), data.draw(st.sampled_from(logins))
        when = data.draw(st.sampled_from(times))
        ident = data.draw(st.integers(300, 305))
        obj = _made(data, kind, number, login, when, ident)
        if isinstance(obj, dict) and obj and data.draw(st.integers(0, 4)) == 0:
            obj[data.draw(st.sampled_from(sorted(obj)))] = data.draw(JSON_VALUES)
        made.append(obj)
    return made


def _made(data: st.DataObject, kind: str, number: int, login: str, when: str | None, ident: int) -> Any:
    if kind == "pull":
        return pull(number, login)
    if kind == "issue":
        return issue(number, login)
    if kind == "review":
        return review(ident, login, number, "APPROVED", when)
    if kind == "review_comment":
        return review_comment(ident, login, number, when or "x", reply_to=data.draw(st.sampled_from([None, 300, 999])))
    if kind == "issue_comment":
        return issue_comment(ident, login, number, when or "x")
    return data.draw(JSON_VALUES)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_varied_and_hostile_objects_in_several_files(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "gh"
        root.mkdir()
        for index in range(data.draw(st.integers(1, 3))):
            pages = [_objects(data) for _ in range(data.draw(st.integers(1, 2)))]
            text = "".join(json.dumps(page) for page in pages)
            if data.draw(st.integers(0, 5)) == 0:
                text = text[: data.draw(st.integers(0, len(text)))]
            (root / f"f{index}.json").write_text(text)
        (root / "marker.json").write_text(json.dumps([pull(9, "cy")]))  # so the folder opens
        assert_same(root)
