"""The block reader of the generic CSV format (Arrow, a block of plain lines at a time) gives exactly what the
row reader gives: the same events in the same order with the same ids, the same identity lookups in the same
order, the same errors naming line and field, the same skips and quarantine; also across block boundaries,
inside the row reader's stretches, when the identity cache fills up, and through the pipeline into the store."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session
from tests.ingest.builders import RecordsOnly, summary_and_identities
from tests.ingest.csv_readers import P, both, read

from teamweave.ingest import generic_csv, generic_csv_blocks, pipeline
from teamweave.ingest.generic_csv import SOURCE, CsvEvents
from teamweave.ingest.pipeline import run_connector
from teamweave.ingest.records import Interaction
from teamweave.people.models import Person
from teamweave.store.events import EventStore

HEADER = "ts,source,kind,actor,targets,audience,duration,channel,thread,id,by_bot,via_ai,in_person,text"
GOOD = [
    "2025-03-03T09:00:00Z,,message,ana@example.org,bo@example.org;cy@example.org,,,#design,,,,,,hello",
    "2025-03-03T10:30:00+01:00,manual,meeting,Ana@Example.org,bo@example.org,,1800,,,cal-42,,,yes,",
    "2025-03-03T11:00:00.5Z,csv,reply, bo@example.org ,ana@example.org; ana@example.org ;,3,,#design,t1,,no,true,,x",
    "2025-03-04T08:00:00-02:30,github,review,U12345,ana@example.org;U12345;bo@example.org,,,,,pr-7,,,,",
    "2025-03-04T08:00:00Z,,message,jira-bot,ana@example.org;bo@example.org,250,,#ops,,,TRUE,,,",
    "2025-03-05T00:00:00Z,,Message,cy@example.org,,,,,,,,,,",
    "2025-12-31T23:59:59.123456+05:45,,call,dee@example.org,ana@example.org,2,60,,,,n,,,",
]
BAD = [
    "yesterday,,message,ana@example.org,bo@example.org,,,,,,,,,",
    "2025-01-01T00:00:00,,message,ana@example.org,bo@example.org,,,,,,,,,",
    "2025-02-30T00:00:00Z,,message,ana@example.org,bo@example.org,,,,,,,,,",
    "2025-01-01T00:00:00Z,fax,message,ana@example.org,bo@example.org,,,,,,,,,",
    "2025-01-01T00:00:00Z,,wave,ana@example.org,bo@example.org,,,,,,,,,",
    "2025-01-01T00:00:00Z,,message,,bo@example.org,,,,,,,,,",
    "2025-01-01T00:00:00Z,,message,ana@example.org,bo@example.org;cy@example.org,1,,,,,,,,",
    "2025-01-01T00:00:00Z,,meeting,ana@example.org,bo@example.org,,-5,,,,,,,",
    "2025-01-01T00:00:00Z,,meeting,ana@example.org,bo@example.org,,1e3,,,,,,,",
    "2025-01-01T00:00:00Z,,message,ana@example.org,bo@example.org,,,,,,maybe,,,",
    "2025-01-01T00:00:00Z,,message,ana@example.org",
    "2025-01-01T00:00:00Z,,message,ana@example.org,bo@example.org,,,,,,,,,,extra",
    "2025-01-01T00:00:00Z,,message,jürgen@example.org,zoë@example.org,,,Café,,,,,,",
    "2025-01-01T00:00:00Z,,message,ana@example.org," + "b" * 400 + "@example.org,,,,,,,,,",
    "2025-01-01T00:00:00Z,,message,ana@example.org,bo@example.org,,,,,,,,," + "x" * 1000,
    "0001-01-01T00:00:00Z,,message,ana@example.org,bo@example.org,,,,,,,,,",
    "9999-12-31T23:59:59-01:00,,message,ana@example.org,bo@example.org,,,,,,,,,",
    '2025-01-01T00:00:00Z,,message,ana@example.org,"bo@example.org;cy@example.org",,,,,,,,,"a, quoted text"',
    '2025-01-01T00:00:00Z,,message,ana@example.org,bo@example.org,,,,,,,,,"two\nlines"',
    "2025-01-01T00:00:00Z,,message,ana@example.org,bo@example.org,,,,,,,,,tab\there",
    ",,,,,,,,,,,,,",
    "   ",
    "",
]


def write(tmp_path: Path, lines: list[str], *, newline: str = "\n", name: str = "events.csv") -> Path:
    path = tmp_path / name
    path.write_bytes((newline.join([HEADER, *lines]) + newline).encode("utf-8"))
    return path


def test_good_bad_and_blank_rows(tmp_path: Path) -> None:
    outcome = both(write(tmp_path, GOOD + BAD + GOOD))
    assert len(outcome.events) == 2 * len(GOOD) + 7  # non-ASCII, quoted, two-line, 1e3, year 1, tab, long text
    assert len(outcome.errors) == 13
    assert outcome.errors[2] == "events.csv, line 11, field 'ts': ts is not an ISO 8601 date and time"
    assert "events.csv, line 25, field 'ts': ts out of range (years 1 to 9999 in UTC)" in outcome.errors


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("block_bytes", [64, 200, 1000, 1 << 20])
def test_across_blocks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, newline: str, block_bytes: int) -> None:
    """Small blocks: plain blocks, blocks the row reader reads (quotes, a field spanning two lines and two
    blocks, a lone carriage return, bad UTF-8), lines longer than a block."""
    monkeypatch.setattr(generic_csv_blocks, "BLOCK_BYTES", block_bytes)
    rng = random.Random(block_bytes)
    lines = [rng.choice(GOOD + GOOD + BAD) for _ in range(300)]
    path = write(tmp_path, lines, newline=newline)
    path.write_bytes(path.read_bytes() + b"2025-01-01T00:00:00Z,,message,ana@example.org,bo\xff,,,,,,,,,\r")
    path.write_bytes(path.read_bytes() + (newline.join(GOOD) + "\rlast,line").encode())
    outcome = both(path)
    assert len(outcome.events) > 100


def test_window(tmp_path: Path) -> None:
    path = write(tmp_path, BAD[:1] + GOOD + BAD + GOOD)
    outcome = both(path, since=datetime(2025, 3, 4, tzinfo=UTC), until=datetime(2025, 3, 5, tzinfo=UTC))
    assert outcome.skips[:2] == [("ts is not an ISO 8601 date and time", 3), ("outside --since/--until", 17)]
    assert len(outcome.events) == 4  # the reasons keep the order in which each was first met (the summary's)


def test_a_full_identity_cache_empties_at_the_same_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generic_csv, "CACHE_LIMIT", 7)
    monkeypatch.setattr(generic_csv_blocks, "BLOCK_BYTES", 300)
    rng = random.Random(7)
    lines = []
    for i in range(200):
        actor, one, two = (rng.randrange(12) for _ in range(3))
        bot = rng.choice(["", "yes"])
        lines.append(f"2025-01-01T00:00:{i % 60:02d}Z,,message,p{actor}@x.org,p{one}@x.org;P{two}@x.org,,,,,,{bot},,,")
    outcome = both(write(tmp_path, lines))
    assert len(outcome.calls) > 12  # resolved again after each emptying


def test_default_ids_and_absent_columns(tmp_path: Path) -> None:
    path = tmp_path / "few.csv"
    path.write_text("targets,ts,actor,kind,note\nbo@example.org,2025-01-01T00:00:00Z,ana@example.org,call,hi\n" * 3)
    outcome = both(path)
    assert len(outcome.events) == 3
    assert outcome.events[0]["event_id"] == outcome.events[2]["event_id"]


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    for content in (HEADER, HEADER + "\n", HEADER + "\n\n\n", "\ufeff" + HEADER + "\r\n" + GOOD[0]):
        path = tmp_path / "e.csv"
        path.write_text(content, encoding="utf-8")
        both(path)


def test_generated_rows_as_the_bench_writes_them(tmp_path: Path) -> None:
    rng = random.Random(3)
    kinds = ("message", "reply", "meeting", "call", "review", "mention")
    lines = [
        f"2023-01-02T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:{i % 60:02d}Z,,{rng.choice(kinds)},"
        f"p{rng.randrange(50)}@acme.example,"
        + ";".join(f"p{rng.randrange(50)}@acme.example" for _ in range(rng.randint(1, 5)))
        + f",,{rng.choice(['', '900'])},#team-{rng.randrange(9)},,row-{i},,,,words"
        for i in range(3000)
    ]
    assert len(both(write(tmp_path, lines)).events) == 3000


def stored(root: Path, org: str) -> list[dict[str, Any]]:
    con = duckdb.connect()
    try:
        table = EventStore(root).read(org, con).to_arrow_table()
    finally:
        con.close()
    return sorted(({**row, "org": ""} for row in table.to_pylist()), key=lambda row: (row["ts"], row["event_id"]))


def test_the_pipeline_stores_the_same(session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each reader into its own org: the same summary, stored events and identity rows (in the same order)."""
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 7)  # batches of exactly 7 events from tables of other sizes
    monkeypatch.setattr(generic_csv_blocks, "BLOCK_BYTES", 500)
    dup = "2025-03-05T00:00:00Z,,message,ana@example.org,bo@example.org,,,,,same-id,,,,"  # kept once
    path = write(tmp_path, [*GOOD, *BAD, dup, *GOOD, dup.replace("03-05", "03-01")])
    summaries, identities = [], []
    for org, connector in (("rows", RecordsOnly(CsvEvents.open(path))), ("blocks", CsvEvents.open(path))):
        pseudonym = P.person_of_email("ana@example.org")
        session.add(Person(org=org, email="ana@example.org", name="A", pseudonym=pseudonym, timezone="UTC"))
        session.flush()
        summary = run_connector(
            session,
            org=org,
            connector=connector,  # type: ignore[arg-type]
            source=SOURCE,
            file_name=path.name,
            events=EventStore(tmp_path / "events"),
            pseudonymiser=P,
            quarantine_dir=tmp_path / f"q-{org}",
        )
        reported, known = summary_and_identities(session, summary, org)
        summaries.append(reported)
        identities.append(known)
    assert summaries[0] == summaries[1]
    assert (summaries[0]["read"], summaries[0]["added"], summaries[0]["duplicates"]) == (
        23,
        13,
        10,
    )  # GOOD twice, the same id twice, rows that differ only in text
    assert len(summaries[0]["errors"]) == 13
    assert identities[0] == identities[1]
    assert len(identities[0]) > 5
    assert stored(tmp_path / "events", "rows") == stored(tmp_path / "events", "blocks")


def test_records_and_blocks_are_both_connectors() -> None:
    assert isinstance(CsvEvents(Path("x.csv"), ["ts", "kind", "actor", "targets"]), pipeline.TableConnector)
    assert not isinstance(RecordsOnly(CsvEvents(Path("x.csv"), [])), pipeline.TableConnector)
    assert Interaction  # the records the row reader makes


def test_read_helper_reads_both_ways(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert read(path, tables=True).events == read(path, tables=False).events != []


VALUES = {
    "ts": [
        "2025-01-01T00:00:00Z",
        " 2025-06-30T23:59:59.5+02:00 ",
        "2024-02-29T12:00:00-11:30",
        "2023-02-29T00:00:00Z",
        "2025-01-01T00:00:00",
        "2025-01-01 00:00:00Z",
        "2025-01-01T00:00:00.1234567Z",
        "2025-13-01T00:00:00Z",
        "9999-12-31T23:59:59-01:00",
        "2025-01-01T24:00:00Z",
        "20250101T000000Z",
        "",
    ],
    "kind": ["message", "MEETING", " call ", "reply", "wave", "", "mention"],
    "actor": [
        "ana@example.org",
        "Ana@Example.org",
        " bo@example.org ",
        "jira-bot",
        "",
        "ünï@example.org",
        "a" * 321,
        "a\tb",
        "bo@example.org",
    ],
    "targets": [
        "bo@example.org",
        "bo@example.org;ana@example.org",
        "BO@example.org; bo@example.org ;;",
        "",
        ";",
        "cy;cy;dee",
        "x" * 321,
        ";".join(f"u{i}" for i in range(40)),
        "zoë",
        "ana@example.org",
    ],
    "source": ["", "csv", "GitHub", "manual ", "fax"],
    "audience": ["", "1", "3", "007", " 2 ", "0", "1e3", "-1", "2147483648", "nan", "12345678901"],
    "duration": ["", "60", "1800.5", "x", "0", "999999999"],
    "channel": ["", "#design", "#ops", " #design ", "c" * 330],
    "thread": ["", "t1", "t2"],
    "id": ["", "same", "x-1", " x-1 "],
    "by_bot": ["", "yes", "No", "TRUE", "maybe", "1"],
}
COLUMNS = list(VALUES)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(*(st.sampled_from(VALUES[c]) for c in COLUMNS)), min_size=1, max_size=40), st.randoms())
def test_rows_of_borderline_values(
    tmp_path_factory: pytest.TempPathFactory, rows: list[tuple[str, ...]], rng: random.Random
) -> None:
    """Rows of the right width (so Arrow splits the block) mixing valid and borderline values of every column."""
    order = COLUMNS[:]
    rng.shuffle(order)
    lines = [",".join(dict(zip(COLUMNS, row, strict=True))[c] for c in order) for row in rows]
    path = tmp_path_factory.mktemp("csv") / "events.csv"
    path.write_text(",".join(order) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    both(path)
    both(path, since=datetime(2025, 1, 1, tzinfo=UTC), until=datetime(2025, 6, 30, 22, tzinfo=UTC))
