"""The Slack table path (``event_tables``) against the record path (``interactions``) on the same input: the
same events in the same order, the same errors, skips, quarantine lines and identities (asked for in the same
order).

The pipeline reads ``event_tables``; the record path stays the reference, so every case imports the same input
both ways: the hand-checked exports of test_slack_export.py with their hostile records, blocks of one day file,
a window, the real export, and hypothesis-made messages (wrong types anywhere, odd times, bots, threads).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.ingest.builders import (
    Importer,
    RecordsOnly,
    WriteExport,
    msg,
    summary_and_identities,
    user,
    write_export_folder,
)
from tests.ingest.test_teams_hostile import json_values

from teamweave.errors import InputFormatError
from teamweave.imports.models import ImportRun
from teamweave.ingest import slack_tables
from teamweave.ingest.connector import TableConnector
from teamweave.ingest.context import ImportContext
from teamweave.ingest.identity import SourceIdentity
from teamweave.ingest.pipeline import run_connector
from teamweave.ingest.quarantine import QuarantineWriter
from teamweave.ingest.slack_channel import SOURCE, micros, parse_ts, ts_micros
from teamweave.ingest.slack_export import SlackExport
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EVENT_SCHEMA, EventStore, records_to_table

P = Pseudonymiser(b"k" * 32)
FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
USERS = [
    user("U1", "ana", "ana@acme.org"),
    user("U2", "bo", "bo@acme.org"),
    user("U3", "cy"),
    user("U4", "dee", "dee@elsewhere.org"),
    user("UB", "deploybot", is_bot=True),
    {**user("UC", "cibot", is_bot=True), "profile": {"bot_id": "BC"}},
]
SECRET = "the secret launch codes are 0000"


class Identities:
    """Stands in for the database-backed resolver and writes down every identity asked for, in order."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, str | None, bool]] = []

    def pseudonym(self, identity: SourceIdentity) -> str:
        self.asked.append((identity.raw_id, identity.label, identity.email, identity.is_bot))
        return P.identity(SOURCE, identity.raw_id)


def _read(path: Path, *, tables: bool, window: tuple[datetime | None, datetime | None] = (None, None)) -> Any:
    """(events, errors, skip reasons in insertion order, unknown targets, identities asked, quarantine text)."""
    with tempfile.TemporaryDirectory() as tmp:
        connector = SlackExport.open(path)
        identities = Identities()
        with QuarantineWriter(Path(tmp), source=SOURCE, run_id=1) as quarantine:
            ctx = ImportContext(
                org="acme",
                pseudonymiser=P,
                identities=identities,  # type: ignore[arg-type]
                quarantine=quarantine,
                since=window[0],
                until=window[1],
            )
            try:
                if tables:
                    parts = list(connector.event_tables(ctx))
                    table = pa.concat_tables(parts) if parts else EVENT_SCHEMA.empty_table()
                else:
                    table = records_to_table(list(connector.interactions(ctx)))
            finally:
                connector.close()
        written = "".join(p.read_text() for p in sorted(Path(tmp).rglob("*")) if p.is_file())
        skips = list(ctx.skip_reasons.items())
        return table.to_pylist(), ctx.errors, skips, sorted(ctx.unknown_targets), identities.asked, written


def assert_same(path: Path, **options: Any) -> list[dict[str, Any]]:
    records = _read(path, tables=False, **options)
    assert _read(path, tables=True, **options) == records
    return records[0]  # type: ignore[no-any-return]


def hand_checked_export(root: Path) -> Path:
    """The cases of test_slack_export.py in one export: small and large channels, threads, a parent outside the
    export, mentions, reactions, bots, skipped notices and the hostile records (bad ts, unknown or missing user,
    not an object, not an array, not JSON)."""
    many = [user(f"U{i:03d}", f"user{i}") for i in range(60)]
    reactions = [{"name": "tada", "users": ["U2", "U3", "U1", "U999", 7], "count": 5}, "odd", {"users": "U2"}]
    days: dict[str, list[dict[str, Any]] | str] = {
        "all-hands/1970-01-01.json": [
            msg("100.1", "U000", "ping <@U005> and <@U007|user7>, and me <@U000> and <@U999>"),
            msg("100.2", "U001", "<@U005> again", thread_ts="100.2", reactions=reactions),
            msg("100.3", "U005", "reply", thread_ts="100.2"),
        ],
        "dev/1970-01-01.json": [
            msg("100.5", "U1", SECRET, reactions=reactions, thread_ts="100.5"),
            msg("100.4", "U2", "reply before in the file, after by ts", thread_ts="100.5"),
            msg("100.6", "U3", "reply", thread_ts="100.5"),
            msg("100.7", "U1", "outside parent", thread_ts="50.1", parent_user_id="U4"),
            msg("100.8", "U2", "outside parent, unknown", thread_ts="50.2", parent_user_id="U999"),
            {"type": "message", "subtype": "bot_message", "bot_id": "B9", "username": "ci", "ts": "101.1"},
            {"type": "message", "subtype": "bot_message", "bot_id": "BC", "ts": "101.2"},
            {"type": "message", "subtype": "bot_message", "username": "hook", "ts": "101.3"},
            {"type": "message", "bot_id": "B8", "bot_profile": {"name": "helper"}, "ts": "101.4"},
            {"type": "message", "subtype": "file_comment", "comment": {"user": "U3"}, "ts": "101.5"},
            msg("102.1", "UB", "deployed"),
            msg("103.1", "U2", "joined", subtype="channel_join"),
            {"type": "message", "user": "U1", "text": SECRET},
            msg("104.1", "U999", SECRET),
            msg("105.1", None, SECRET),
            msg("bad", "U1"),
            msg("1e5", "U1"),
            msg("106.1234567", "U1"),
            msg("107.", "U1"),
            "not an object",  # type: ignore[list-item]
            msg("108.1", "U1", type="event"),
        ],
        "dev/1970-01-02.json": '[{"type": "message", "text": "' + SECRET + '", ',
        "dev/1970-01-03.json": '{"not": "an array"}',
        "dev/1970-01-04.json": [msg("259200.1", "U1", "hi <@U2>"), msg("259200.2", "U2", reactions=reactions)],
        "elsewhere/1970-01-05.json": [msg("345600.1", "U4", "no channel list names this folder <@U1>")],
    }
    channels = {"all-hands": [u["id"] for u in many], "dev": ["U1", "U2", "U3", "UB"]}
    return write_export_folder(root, [*USERS, *many], channels, days)


def test_table_connector(tmp_path: Path) -> None:
    export = SlackExport.open(hand_checked_export(tmp_path / "export"))
    try:
        assert isinstance(export, TableConnector)
    finally:
        export.close()


@pytest.mark.parametrize("ahead", [True, False])
@pytest.mark.parametrize("block", [1, 2, 5, 50_000])
def test_hand_checked_export_in_blocks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, ahead: bool
) -> None:
    """Blocks of every size, the tables made on a worker thread (TABLES_AHEAD) or not."""
    monkeypatch.setattr(slack_tables, "BLOCK_EVENTS", block)
    monkeypatch.setattr(slack_tables, "TABLES_AHEAD", ahead)
    events = assert_same(hand_checked_export(tmp_path / "export"))
    assert len(events) == 31
    assert {e["kind"] for e in events} == {"message", "reply", "mention", "reaction"}


@pytest.mark.parametrize(
    "window",
    [
        (datetime(1970, 1, 1, 0, 1, 40, 300000, tzinfo=UTC), datetime(1970, 1, 1, 0, 1, 42, tzinfo=UTC)),
        (datetime(1970, 1, 3, tzinfo=UTC), None),
        (None, datetime(1970, 1, 1, 0, 1, 41, 300000, tzinfo=UTC)),
    ],
)
def test_window(tmp_path: Path, window: tuple[datetime | None, datetime | None]) -> None:
    assert_same(hand_checked_export(tmp_path / "export"), window=window)


@pytest.mark.parametrize("variant", ["testarchive.zip", "extracted"])
def test_real_export(shared_data: Path, variant: str) -> None:
    events = assert_same(shared_data / "slack-export-viewer-testarchive" / variant)
    assert len(events) > 50


def test_real_export_in_a_window(shared_data: Path) -> None:
    """Times as Slack writes them, read one by one (the window's checks): half the real export's events."""
    export = shared_data / "slack-export-viewer-testarchive" / "testarchive.zip"
    times = sorted(event["ts"] for event in assert_same(export))
    middle = times[len(times) // 2]
    inside = assert_same(export, window=(middle, None))
    assert 0 < len(inside) < len(times)
    assert assert_same(export, window=(None, middle))


def test_the_pipeline_stores_the_same(session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each path into its own org: the same summary, stored rows and identity rows (in the same order)."""
    monkeypatch.setattr(slack_tables, "BLOCK_EVENTS", 4)
    export = hand_checked_export(tmp_path / "export")
    summaries, identities = [], []
    for org, connector in (("records", RecordsOnly(SlackExport.open(export))), ("tables", SlackExport.open(export))):
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
        assert summary.quarantine_file is not None
        assert "secret" not in summary.quarantine_file.read_text()
    assert summaries[0] == summaries[1]
    assert summaries[0]["added"] == 31
    assert identities[0] == identities[1]
    assert len(identities[0]) >= 10
    assert stored(tmp_path, "records") == stored(tmp_path, "tables") != []


def stored(root: Path, org: str) -> list[dict[str, Any]]:
    """An org's stored rows in the order of its files and rows, the org blanked."""
    table = pa.concat_tables(pq.read_table(path) for path in EventStore(root / org / "events").files(org))
    return [{**row, "org": ""} for row in table.to_pylist()]


TIMES = [
    "100.1", "100.1", "100.2", "100.000001", "100.1234567", "101.", "99", "0", "00000000100.5", "1e5", "inf", "nan",
    " 100.3", "bad", "", "١٠٠.٥", "99999999999.9", "100.-1", 100.1, None,
    "1452845865.000008", "1452845865.000009", "1452845864.999999", "8589934592.000001",
]  # fmt: skip
"""Times of every kind: plain, as Slack writes them (a file of only those is read by one pattern), and odd."""
PEOPLE = ["U1", "U2", "U3", "U4", "UB", "UC", "U999", None, 5]


def _message(data: st.DataObject) -> dict[str, Any]:
    pick = data.draw
    m: dict[str, Any] = {"type": pick(st.sampled_from(["message", "message", "message", "event"])), "ts": None}
    m["ts"] = pick(st.sampled_from(TIMES))
    if (who := pick(st.sampled_from(PEOPLE))) is not None:
        m["user"] = who
    subtype = pick(st.sampled_from([None, None, "bot_message", "file_share", "file_comment", "channel_join"]))
    if subtype is not None:
        m["subtype"] = subtype
    if subtype == "file_comment" and pick(st.booleans()):
        m["comment"] = {"user": pick(st.sampled_from(PEOPLE))}
    if pick(st.integers(0, 3)) == 0:
        m["bot_id"] = pick(st.sampled_from(["B9", "BC", "", 3]))
        m["username"] = pick(st.sampled_from(["ci", "", None, "N" * 120]))
    mentions = pick(st.lists(st.sampled_from(["U1", "U2", "U3", "U999", "W7", "u1"]), max_size=3))
    m["text"] = SECRET + "".join(f" <@{u}>" for u in mentions)
    if pick(st.booleans()):
        m["thread_ts"] = pick(st.sampled_from([*TIMES[:5], m["ts"]]))  # a reply, or (its own ts) a thread's start
        if pick(st.booleans()):
            m["parent_user_id"] = pick(st.sampled_from(PEOPLE))
    if pick(st.booleans()):
        users = pick(st.lists(st.sampled_from(PEOPLE), max_size=4))
        m["reactions"] = [{"name": pick(st.sampled_from(["tada", "+1"])), "users": users}]
    if pick(st.integers(0, 4)) == 0:
        m[pick(st.sampled_from(sorted(m)))] = pick(json_values)
    return m


@FAST
@given(st.data())
def test_hostile_and_varied_messages(data: st.DataObject) -> None:
    folders = ["dev", "big", "gone"]
    days: dict[str, list[dict[str, Any]] | str] = {}
    for _ in range(data.draw(st.integers(1, 5))):
        name = f"{data.draw(st.sampled_from(folders))}/1970-01-0{data.draw(st.integers(1, 3))}.json"
        days[name] = [_message(data) for _ in range(data.draw(st.integers(0, 6)))]
    if data.draw(st.integers(0, 5)) == 0:
        days["dev/1970-01-09.json"] = json.dumps(data.draw(json_values))
    window = data.draw(st.sampled_from([(None, None), (datetime(1970, 1, 1, 0, 1, 40, 150000, tzinfo=UTC), None)]))
    block = data.draw(st.sampled_from([1, 3, 50_000]))
    many = [user(f"U{i:03d}", f"user{i}") for i in range(55)]
    channels = {"dev": ["U1", "U2", "U3", "UB", "U999"], "big": ["U1", "U2", *(u["id"] for u in many)]}
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as patch:
        patch.setattr(slack_tables, "BLOCK_EVENTS", block)
        root = write_export_folder(Path(tmp) / "export", [*USERS, *many], channels, days)
        try:
            records = _read(root, tables=False, window=window)
        except (ValueError, OverflowError) as error:  # the record path's own failure: the same one
            with pytest.raises(type(error)):
                _read(root, tables=True, window=window)
            return
        assert _read(root, tables=True, window=window) == records


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(alphabet="0123456789.", max_size=24), st.text(max_size=12), st.sampled_from(TIMES)))
def test_ts_micros_reads_what_parse_ts_reads(value: object) -> None:
    try:
        expected = parse_ts(value)
    except (ValueError, OverflowError, OSError) as error:
        with pytest.raises(type(error)):
            ts_micros(value)
        return
    assert ts_micros(value) == (None if expected is None else micros(expected))


def test_a_failure_while_reading_tables_marks_the_run_failed(
    importer: Importer, write_export: WriteExport, monkeypatch: pytest.MonkeyPatch
) -> None:
    """test_pipeline.py's failure case, for the path the pipeline takes (both paths read through
    ``read_day_files``)."""
    root = write_export(USERS, {"dev": ["U1", "U2"]}, {"dev/1970-01-01.json": [msg("1.1", "U1")]})

    def broken(self: SlackExport, ctx: ImportContext, sink: object, **options: object) -> Iterator[str]:
        raise InputFormatError("disk vanished", file="dev/1970-01-01.json")
        yield  # pragma: no cover

    monkeypatch.setattr(SlackExport, "read_day_files", broken)
    with pytest.raises(InputFormatError, match="disk vanished"):
        importer(root)
    run = importer.session.execute(select(ImportRun)).scalar_one()
    assert run.status == "failed"
    assert run.errors == ["dev/1970-01-01.json: disk vanished"]


def test_blocks_hold_whole_day_files_and_stay_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A block closes after the day file that reaches BLOCK_EVENTS: no table holds more than that plus one day
    file's events, and the tables together are the record path's events."""
    monkeypatch.setattr(slack_tables, "BLOCK_EVENTS", 3)
    days = {f"dev/1970-01-{d:02d}.json": [msg(f"{d * 86400}.{i}", "U1") for i in range(4)] for d in range(1, 8)}
    root = write_export_folder(tmp_path / "export", USERS, {"dev": ["U1", "U2", "U3"]}, days)
    export = SlackExport.open(root)
    with QuarantineWriter(tmp_path / "q", source=SOURCE, run_id=1) as quarantine:
        ctx = ImportContext(org="acme", pseudonymiser=P, identities=Identities(), quarantine=quarantine)  # type: ignore[arg-type]
        sizes = [table.num_rows for table in export.event_tables(ctx)]
    export.close()
    assert sizes == [4] * 7
    assert len(assert_same(root)) == 28


def test_threads_started_and_continued_by_plain_messages(tmp_path: Path) -> None:
    """Plain thread starts and replies (no parent_user_id) around the rules' messages (a mention, a bot), over two
    day files, out of order in a file: each reply reaches the parent and the earlier repliers, once each."""
    days: dict[str, list[dict[str, Any]] | str] = {
        "dev/1970-01-01.json": [
            msg("100.2", "U2", "first reply", thread_ts="100.1"),
            msg("100.1", "U1", "starts a thread", thread_ts="100.1"),
            msg("100.3", "U3", "a reply that mentions <@U1>", thread_ts="100.1"),
            msg("100.4", "U2", "again", thread_ts="100.1"),
            {"type": "message", "subtype": "bot_message", "bot_id": "BC", "ts": "100.5", "thread_ts": "100.1"},
            msg("100.6", "U4", "a thread of its own", thread_ts="100.6"),
        ],
        "dev/1970-01-02.json": [
            msg("86400.1", "U1", "late reply", thread_ts="100.1"),
            msg("86400.2", "U3", "late reply", thread_ts="100.6"),
            msg("86400.3", "U2", "a reply to a thread that started elsewhere", thread_ts="50.1"),
        ],
    }
    root = write_export_folder(tmp_path / "export", USERS, {"dev": ["U1", "U2", "U3", "U4", "UB"]}, days)
    events = assert_same(root)
    person = {u: P.identity(SOURCE, f"T1:{u}") for u in ("U1", "U2", "U3", "U4")}
    replies = [(e["actor"], e["targets"]) for e in events if e["kind"] == "reply"]
    u1, u2, u3, u4 = (person[u] for u in ("U1", "U2", "U3", "U4"))
    bot = replies[3][0]
    assert replies == [
        (u2, [u1]),  # first in the file, after the start by ts
        (u3, [u1, u2]),  # the rules' reply (a mention)
        (u2, [u1, u3]),
        (bot, [u1, u2, u3]),
        (u1, [u2, u3, bot]),  # the next day's file
        (u3, [u4]),
        (u2, []),  # a thread whose start is not in the export, no parent_user_id
    ]
