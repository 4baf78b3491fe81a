"""The Teams table path (``event_tables``) against the record path (``interactions``) on the same input: the
same events in the same order, the same errors, skips, quarantine lines and identities.

The pipeline reads ``event_tables``; the record path stays the reference, so every case imports the same input
both ways: the hand-checked fixtures of test_teams_graph.py, blocks of one file and re-read files, a window,
duplicates, and hypothesis-made hostile messages (wrong types anywhere, odd times, applications, channels).
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
from tests.ingest.test_teams_graph import (
    ANA,
    BO,
    CY,
    DEE,
    GROUP,
    channel_files,
    chat_message,
    group_chat_page,
    mention,
    one_on_one_pages,
    page,
    reaction,
    write_export,
)
from tests.ingest.test_teams_hostile import Identities, json_values

from teamweave.ingest import teams_tables
from teamweave.ingest.connector import TableConnector
from teamweave.ingest.context import ImportContext
from teamweave.ingest.pipeline import run_connector
from teamweave.ingest.quarantine import QuarantineWriter
from teamweave.ingest.teams_columns import is_plain_time, utc_times
from teamweave.ingest.teams_graph import SOURCE, TeamsMessages, parse_time
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EVENT_SCHEMA, EventStore, records_to_table

P = Pseudonymiser(b"k" * 32)
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(path: Path, *, tables: bool, window: tuple[datetime | None, datetime | None] = (None, None)) -> Any:
    """(events as a table, errors, skip reasons in insertion order, quarantine text) read one way."""
    with tempfile.TemporaryDirectory() as tmp:
        connector = TeamsMessages.open(path, max_file_bytes=2 * 1024**2)
        with QuarantineWriter(Path(tmp), source="teams", run_id=1) as quarantine:
            ctx = ImportContext(
                org="acme",
                pseudonymiser=P,
                identities=Identities(),  # type: ignore[arg-type]
                quarantine=quarantine,
                since=window[0],
                until=window[1],
            )
            if tables:
                parts = list(connector.event_tables(ctx))
                table = pa.concat_tables(parts) if parts else EVENT_SCHEMA.empty_table()
            else:
                table = records_to_table(list(connector.interactions(ctx)))
        written = "".join(p.read_text() for p in sorted(Path(tmp).rglob("*")) if p.is_file())
        return table.to_pylist(), ctx.errors, list(ctx.skip_reasons.items()), written


def assert_same(path: Path, **options: Any) -> list[dict[str, Any]]:
    records = _read(path, tables=False, **options)
    assert _read(path, tables=True, **options) == records
    return records[0]  # type: ignore[no-any-return]


def test_table_connector() -> None:
    assert isinstance(TeamsMessages(Path("."), []), TableConnector)


@pytest.mark.parametrize("block", [1, 2, 50_000])
@pytest.mark.parametrize("cache", [0, 1, 200_000])
def test_fixtures_in_blocks_and_rereads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, cache: int
) -> None:
    export = write_export(tmp_path / "export")
    (export / "bad.json").write_text(json.dumps([{"messageType": "message", "id": "1"}, 7]))
    (export / "again.json").write_text(json.dumps(group_chat_page()))  # every message a second time
    (export / "broken.json").write_text('{"value": [')
    monkeypatch.setattr(teams_tables, "BLOCK_MESSAGES", block)
    original = TeamsMessages.open
    monkeypatch.setattr(TeamsMessages, "open", lambda path, **kw: original(path, cache_posts=cache, **kw))
    events = assert_same(export)
    assert len(events) == 16


@pytest.mark.parametrize(
    "window",
    [
        (datetime(2021, 3, 28, 21, 0, tzinfo=UTC), datetime(2021, 3, 29, tzinfo=UTC)),
        (datetime(2021, 3, 29, 3, 50, tzinfo=UTC), None),
        (None, datetime(2021, 3, 29, 3, 50, tzinfo=UTC)),
    ],
)
def test_window(tmp_path: Path, window: tuple[datetime | None, datetime | None]) -> None:
    assert_same(write_export(tmp_path / "export"), window=window)


def test_the_pipeline_stores_the_same(session: Session, tmp_path: Path) -> None:
    """Each path into its own org: the same summary, stored rows and identity rows (in the same order)."""
    export = write_export(tmp_path / "export")
    (export / "again.json").write_text(json.dumps(group_chat_page()))
    summaries, identities = [], []
    for org, connector in (
        ("records", RecordsOnly(TeamsMessages.open(export))),
        ("tables", TeamsMessages.open(export)),
    ):
        summary = run_connector(
            session,
            org=org,
            connector=connector,  # type: ignore[arg-type]
            source=SOURCE,
            file_name=export.name,
            events=EventStore(tmp_path / org / "events"),
            pseudonymiser=P,
            quarantine_dir=tmp_path / f"q-{org}",
        )
        reported, known = summary_and_identities(session, summary, org)
        summaries.append(reported)
        identities.append(known)
    assert summaries[0] == summaries[1]
    assert summaries[0]["added"] == 16
    assert identities[0] == identities[1]
    assert len(identities[0]) == 5
    assert stored(tmp_path, "records") == stored(tmp_path, "tables") != []


def stored(root: Path, org: str) -> list[dict[str, Any]]:
    """An org's stored rows in the order of its files and rows, the org blanked."""
    table = pa.concat_tables(pq.read_table(path) for path in EventStore(root / org / "events").files(org))
    return [{**row, "org": ""} for row in table.to_pylist()]


def _messages(data: st.DataObject) -> list[dict[str, Any]]:
    """Chat and channel messages, replies, applications, mentions, reactions, odd times; then wrong types."""
    people = [ANA, BO, CY, DEE]
    times = [
        "2023-11-14T22:13:20Z", "2023-11-14T22:13:21.1234567Z", "2023-11-14T23:13:20+01:00", "2023-02-29T00:00:00Z",
        "2023-11-30T10:00:00.5Z", "2023-11-14T22:13:20.12345678Z", "bad", "2023-11-14", "1969-12-31T23:59:59.9999999Z",
    ]  # fmt: skip
    messages = []
    for number in range(data.draw(st.integers(min_value=1, max_value=6))):
        where = data.draw(st.sampled_from(["chat", "channel", "neither"]))
        message = chat_message(
            str(data.draw(st.integers(min_value=1, max_value=4))),
            data.draw(st.sampled_from(times)),
            chat=GROUP if where == "chat" else None,
            channel="19:c@thread.tacv2" if where == "channel" else None,
            sender_id=data.draw(st.sampled_from(people)),
            app="28:bot" if data.draw(st.integers(0, 5)) == 0 else None,
            reply_to=data.draw(st.sampled_from([None, "1", "2", "9"])),
            mentions=[mention(i, data.draw(st.sampled_from(people))) for i in range(data.draw(st.integers(0, 3)))],
            reactions=[
                reaction(data.draw(st.sampled_from(people)), data.draw(st.sampled_from(times)), kind)
                for kind in data.draw(st.lists(st.sampled_from(["like", "heart"]), max_size=3))
            ],
        )
        user = message["from"]["user"] or message["from"]["application"]
        if number and data.draw(st.booleans()):
            user["displayName"] = data.draw(st.sampled_from([None, "", " Ana ", 5, "Bo", "N" * 120]))
        if data.draw(st.integers(0, 4)) == 0:
            message[data.draw(st.sampled_from(sorted(message)))] = data.draw(json_values)
        messages.append(message)
    return messages


@FAST
@given(st.data())
def test_hostile_and_varied_messages(data: st.DataObject) -> None:
    pages = [page(f"chats('{GROUP}')/messages", _messages(data)) for _ in range(data.draw(st.integers(1, 3)))]
    shape = data.draw(st.sampled_from(["pages", "bare", "files"]))
    window = data.draw(st.sampled_from([(None, None), (datetime(2023, 11, 14, 22, 13, 21, tzinfo=UTC), None)]))
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "export"
        root.mkdir()
        if shape == "files":
            for index, response in enumerate(pages):
                (root / f"page-{index}.json").write_text(json.dumps(response))
        else:
            content = pages if shape == "pages" else [m for p in pages for m in p["value"]]
            (root / "messages.json").write_text(json.dumps(content))
        assert_same(root, window=window)


@FAST
@given(json_values)
def test_any_json_document(document: object) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "messages.json").write_text(json.dumps(document))
        assert_same(Path(tmp))


def test_channel_and_one_on_one_files(tmp_path: Path) -> None:
    for name, content in {**channel_files(), "one.json": one_on_one_pages()}.items():
        path = tmp_path / name.replace("/", "-")
        path.write_text(json.dumps(content))
        assert assert_same(path)


@pytest.mark.parametrize(
    "text",
    [
        "2023-11-14T22:13:20Z",
        "2023-11-14T22:13:20.1Z",
        "2023-11-14T22:13:20.123456Z",
        "2023-11-14T22:13:20.1234567Z",  # Graph's 7 digits: the 7th is dropped, not rounded
        "2023-11-14T22:13:20.9999999Z",
        "1969-12-31T23:59:59.9999999Z",  # before the epoch, dropping a digit is not truncating toward zero
        "2024-02-29T00:00:00Z",
        "2023-02-28T23:59:59.0000001Z",
    ],
)
def test_plain_times_read_as_parse_time_reads_them(text: str) -> None:
    assert is_plain_time(text)
    assert utc_times([text]).to_pylist() == [parse_time(text)]
    assert utc_times([parse_time(text).isoformat()]).to_pylist() == [parse_time(text)]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text", ["2023-02-29T00:00:00Z", "2023-11-14T24:00:00Z", "2023-11-14T22:13:20+01:00", "2023-11-14", 5, None]
)
def test_other_times_are_left_to_parse_post(text: object) -> None:
    assert not is_plain_time(text)


def test_file_names_in_errors(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b.json"
    assert TeamsMessages(tmp_path, [nested]).name(nested) == "a/b.json"
    assert TeamsMessages(Path("."), [Path("a/b.json")]).name(Path("a/b.json")) == "a/b.json"
    assert TeamsMessages(tmp_path / "x", [nested]).name(nested) == "b.json"
