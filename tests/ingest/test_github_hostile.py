"""Hostile GitHub JSON: wrong types, deep nesting, huge strings and numbers, truncation, bad encodings.

Whatever the file holds, opening it fails with InputFormatError or reading it ends with events, counted skips
and located, quarantined errors — never another exception, never a hang.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.ingest.builders import read_events
from tests.ingest.test_github_json import issue_comment, pull, review, review_comment

from teamweave.errors import InputFormatError
from teamweave.ingest.context import ImportContext
from teamweave.ingest.github_json import GitHubJson
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.quarantine import QuarantineWriter
from teamweave.ingest.records import Interaction
from teamweave.privacy.pseudonym import Pseudonymiser

PSEUDONYMISER = Pseudonymiser(b"k" * 32)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
FIELDS = ["id", "user", "submitted_at", "created_at", "pull_request_url", "issue_url", "in_reply_to_id", "url"]
FIELDS += ["number", "state", "head", "diff_hunk", "html_url"]


class FakeIdentities:
    """Stands in for the database-backed resolver: raw id -> itself."""

    def pseudonym(self, identity: SourceIdentity) -> str:
        return PSEUDONYMISER.identity("github", identity.raw_id)


def _valid() -> list[dict[str, Any]]:
    return [
        pull(1, "ana"),
        review(301, "bo", 1, "APPROVED", "2024-05-02T10:00:00Z"),
        review_comment(401, "cy", 1, "2024-05-02T10:30:00Z"),
        review_comment(402, "ana", 1, "2024-05-02T10:40:00Z", reply_to=401),
        issue_comment(501, "bo", 1, "2024-05-04T09:00:00Z"),
    ]


def _read(data: bytes) -> list[Interaction] | None:
    """The events of a file holding ``data``; None when open refuses it. Any other exception fails the test."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.json"
        path.write_bytes(data)
        try:
            connector = GitHubJson.open(path)
        except InputFormatError as error:
            refused: InputFormatError | None = error
        else:
            refused = None
        if refused is not None:
            assert refused.file == "data.json"
            return None
        rows, reports, quarantined = _both_ways(connector, Path(folder), tables=False)
        assert _both_ways(GitHubJson.open(path), Path(folder), tables=True) == (rows, reports, quarantined)
        errors, _ = reports
        assert all(error.startswith("data.json") for error in errors)
        return [Interaction(**{**row, "targets": tuple(row["targets"])}) for row in rows]


def _both_ways(
    connector: GitHubJson, folder: Path, *, tables: bool
) -> tuple[list[dict[str, Any]], tuple[list[str], list[tuple[str, int]]], str]:
    """Read one way (the record path, or the table path the pipeline uses): the events as rows, the errors
    and skips in order, and what was quarantined."""
    quarantine_dir = folder / ("q-tables" if tables else "q")
    with QuarantineWriter(quarantine_dir, source="github", run_id=1) as quarantine:
        ctx = ImportContext(
            org="acme",
            pseudonymiser=PSEUDONYMISER,
            identities=FakeIdentities(),  # type: ignore[arg-type]
            quarantine=quarantine,
        )
        rows = read_events(connector, ctx, tables=tables)
    quarantined = "".join(path.read_text() for path in sorted(quarantine_dir.glob("*.jsonl")))
    return rows, (ctx.errors, list(ctx.skip_reasons.items())), quarantined


def test_the_valid_file_reads() -> None:
    events = _read(json.dumps(_valid()).encode())
    assert events is not None
    assert [e.kind for e in events] == ["review", "review", "reply", "message"]


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=4), st.sampled_from(FIELDS), JSON_VALUES)
def test_wrong_types_in_any_field(index: int, field: str, value: Any) -> None:
    objects = _valid()
    objects[index][field] = value
    events = _read(json.dumps(objects).encode())
    assert events is not None
    assert len(events) <= 4


@settings(max_examples=150, deadline=None)
@given(st.integers(min_value=0, max_value=4000), st.binary(max_size=20))
def test_truncated_and_mis_encoded_files(cut: int, tail: bytes) -> None:
    data = json.dumps(_valid(), indent=1).encode()
    events = _read(data[:cut] + tail)
    assert events is None or len(events) <= 4


@settings(max_examples=10, deadline=None)
@given(st.sampled_from([1_000, 50_000, 200_000]), st.sampled_from(["[", '{"a":', '[{"user":']))
def test_deeply_nested_json(depth: int, opener: str) -> None:
    head = json.dumps(_valid())
    events = _read((head + opener * depth).encode())
    assert events is not None
    assert len(events) == 4


@settings(max_examples=10, deadline=None)
@given(st.sampled_from(["login", "time", "int", "url"]), st.sampled_from([10_000, 2_000_000]))
def test_huge_strings_and_numbers(where: str, size: int) -> None:
    objects = _valid()
    if where == "login":
        objects[1]["user"]["login"] = "a" * size
    elif where == "time":
        objects[1]["submitted_at"] = "2" * size
    elif where == "url":
        objects[1]["pull_request_url"] = "https://api.github.com/repos/a/b/pulls/" + "9" * size
    text = json.dumps(objects)
    if where == "int":
        text = text.replace('"id": 301', '"id": ' + "9" * size)
    events = _read(text.encode())
    assert events is not None
    assert len(events) <= 4
