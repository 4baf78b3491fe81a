"""The generic CSV format: good rows go in with the documented defaults; each bad row is located and quarantined."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest
from sqlalchemy.orm import Session

from teamweave.errors import InputFormatError
from teamweave.imports.schemas import ImportSummary
from teamweave.ingest.generic_csv import SOURCE, CsvEvents, sniff
from teamweave.ingest.pipeline import run_connector
from teamweave.people.models import Person
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore

ORG = "acme"
P = Pseudonymiser(b"k" * 32)
EXAMPLE = """\
ts,source,kind,actor,targets,audience,duration,channel,id
2025-03-03T09:00:00Z,,message,ana@example.org,bo@example.org;cy@example.org,,,#design,
2025-03-03T10:30:00+01:00,manual,meeting,ana@example.org,bo@example.org,,1800,,cal-42
2025-03-03T11:00:00Z,csv,reply,Bo@Example.org,ana@example.org,,,#design,
2025-03-03T12:00:00Z,,message,jira-bot,ana@example.org;bo@example.org;ana@example.org,250,,#ops,
2025-03-04T08:00:00Z,github,review,U12345,ana@example.org,,,,pr-7-review-1
"""


def run(session: Session, tmp_path: Path, path: Path, **options: Any) -> ImportSummary:
    return run_connector(
        session,
        org=ORG,
        connector=CsvEvents.open(path),
        source=SOURCE,
        file_name=path.name,
        events=EventStore(tmp_path / "events"),
        pseudonymiser=P,
        quarantine_dir=tmp_path / "quarantine",
        **options,
    )


def rows(tmp_path: Path) -> list[dict[str, Any]]:
    con = duckdb.connect()
    try:
        table = EventStore(tmp_path / "events").read(ORG, con).order("ts, event_id").to_arrow_table()
    finally:
        con.close()
    return list(table.to_pylist())


def write(tmp_path: Path, text: str, name: str = "events.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def add_person(session: Session, email: str) -> str:
    pseudonym = P.person_of_email(email)
    session.add(Person(org=ORG, email=email, name="P", pseudonym=pseudonym, timezone="UTC"))
    session.flush()
    return pseudonym


def test_the_documented_example(session: Session, tmp_path: Path) -> None:
    ana, bo = add_person(session, "ana@example.org"), add_person(session, "bo@example.org")
    cy = P.identity(SOURCE, "cy@example.org")

    summary = run(session, tmp_path, write(tmp_path, EXAMPLE))

    assert summary.errors == []
    assert summary.counts_by_kind == {"meeting": 1, "message": 2, "reply": 1, "review": 1}
    got = [
        (r["source"], r["kind"], r["actor"], tuple(r["targets"]), r["audience"], r["duration_s"])
        for r in rows(tmp_path)
    ]
    bot = P.identity(SOURCE, "jira-bot")
    assert got == [
        ("csv", "message", ana, (bo, cy), 2, None),
        ("manual", "meeting", ana, (bo,), 1, 1800),  # 10:30+01:00 is 09:30 UTC
        ("csv", "reply", bo, (ana,), 1, None),  # e-mail addresses match people whatever their case
        ("csv", "message", bot, (ana, bo), 250, None),  # repeated targets count once
        ("github", "review", P.identity(SOURCE, "u12345"), (ana,), 1, None),
    ]
    stored = rows(tmp_path)
    assert stored[1]["ts"] == datetime(2025, 3, 3, 9, 30, tzinfo=UTC)
    assert stored[0]["channel"] == stored[2]["channel"] == P.channel("csv", "#design")
    assert stored[1]["event_id"] == P.event_id("manual", "cal-42")
    assert sorted(summary.unmatched) == ["U12345 (CSV)", "cy@example.org (CSV)", "jira-bot (CSV)"]


def test_importing_twice_adds_nothing(session: Session, tmp_path: Path) -> None:
    path = write(tmp_path, EXAMPLE)
    first = run(session, tmp_path, path)
    again = run(session, tmp_path, path)
    assert (first.added, again.added, again.duplicates) == (5, 0, 5)
    shuffled = write(tmp_path, "id,targets,actor,kind,ts\n,bo@example.org,ana@example.org,email,2025-01-01T00:00:00Z\n")
    assert run(session, tmp_path, shuffled).added == 1
    assert run(session, tmp_path, shuffled).duplicates == 1


def test_optional_flags_and_thread(session: Session, tmp_path: Path) -> None:
    text = (
        "ts,kind,actor,targets,by_bot,via_ai,in_person,channel,thread\n"
        "2025-01-01T00:00:00Z,message,copilot,ana@example.org,yes,true,,c1,t1\n"
        "2025-01-01T00:00:01Z,meeting,ana@example.org,bo@example.org,no,0,1,,\n"
    )
    run(session, tmp_path, write(tmp_path, text))
    first, second = rows(tmp_path)
    assert (first["by_bot"], first["via_ai"], first["in_person"]) == (True, True, False)
    assert first["thread"] == P.channel("csv", "c1:t1")
    assert (second["by_bot"], second["via_ai"], second["in_person"]) == (False, False, True)


def test_each_bad_row_is_located_and_the_rest_goes_in(session: Session, tmp_path: Path) -> None:
    text = (
        "ts,source,kind,actor,targets,audience,duration,note\n"
        "2025-01-01T00:00:00Z,,message,ana@example.org,bo@example.org,,,fine\n"
        "yesterday,,message,ana@example.org,bo@example.org,,,secret plan A\n"
        "2025-01-01T00:00:00,,message,ana@example.org,bo@example.org,,,secret plan B\n"
        "2025-01-01T00:00:00Z,fax,message,ana@example.org,bo@example.org,,,\n"
        "2025-01-01T00:00:00Z,,wave,ana@example.org,bo@example.org,,,\n"
        "2025-01-01T00:00:00Z,,message,,bo@example.org,,,\n"
        "2025-01-01T00:00:00Z,,message,ana@example.org,bo@example.org;cy@example.org,1,,\n"
        "2025-01-01T00:00:00Z,,meeting,ana@example.org,bo@example.org,,-5,\n"
        "2025-01-01T00:00:00Z,,message,ana@example.org\n"
        "2025-01-01T00:00:00Z,,message,ana@example.org,bo@example.org,,,,extra\n"
        "\n"
        "2025-01-02T00:00:00Z,,email,ana@example.org,,,,last\n"
    )

    summary = run(session, tmp_path, write(tmp_path, text))

    assert summary.added == 2
    assert summary.errors == [
        "events.csv, line 3, field 'ts': ts is not an ISO 8601 date and time",
        "events.csv, line 4, field 'ts': ts has no UTC offset (add Z or +hh:mm)",
        f"events.csv, line 5, field 'source': {summary.errors[2].split(': ', 1)[1]}",
        f"events.csv, line 6, field 'kind': {summary.errors[3].split(': ', 1)[1]}",
        "events.csv, line 7, field 'actor': missing actor",
        "events.csv, line 8, field 'audience': audience smaller than the number of targets",
        "events.csv, line 9, field 'duration': duration out of range",
        "events.csv, line 10, field 'targets': fewer values than columns",
        "events.csv, line 11: more values than columns",
    ]
    assert "unknown source (use one of" in summary.errors[2]
    assert summary.quarantine_file is not None
    assert "secret plan" not in summary.quarantine_file.read_text()


def test_window(session: Session, tmp_path: Path) -> None:
    summary = run(
        session,
        tmp_path,
        write(tmp_path, EXAMPLE),
        window=(datetime(2025, 3, 4, tzinfo=UTC), None),
    )
    assert summary.added == 1
    assert summary.skip_reasons == {"outside --since/--until": 4}


def test_open_and_sniff(tmp_path: Path) -> None:
    good = write(tmp_path, EXAMPLE)
    assert sniff(good)
    hr = write(tmp_path, "email,name,team\nana@example.org,Ana,Design\n", "people.csv")
    assert not sniff(hr)
    assert not sniff(write(tmp_path, EXAMPLE, "events.txt"))
    assert not sniff(tmp_path / "missing.csv")
    with pytest.raises(InputFormatError, match="no column 'ts'") as caught:
        CsvEvents.open(hr)
    assert str(caught.value).startswith("people.csv, line 1, field 'ts'")
    with pytest.raises(InputFormatError, match="cannot read"):
        CsvEvents.open(tmp_path / "missing.csv")
    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufeffTS,Kind,Actor,Targets\n".encode())
    assert sniff(bom)
    assert CsvEvents.open(bom).columns == ["ts", "kind", "actor", "targets"]


def test_the_docs_example_is_the_tested_example(session: Session, tmp_path: Path) -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "connectors" / "csv.md").read_text()
    block = page.split("```csv\n", 1)[1].split("```", 1)[0]
    assert block == EXAMPLE
    summary = run(session, tmp_path, write(tmp_path, block))
    assert (summary.added, summary.errors) == (5, [])


def test_default_ids_ignore_column_order_and_extra_columns(session: Session, tmp_path: Path) -> None:
    one = write(tmp_path, "ts,kind,actor,targets\n2025-01-01T00:00:00Z,call,ana,bo\n", "one.csv")
    two = write(tmp_path, "note,targets,audience,actor,kind,ts\nhello,bo,,ana,call,2025-01-01T00:00:00Z\n", "two.csv")
    assert run(session, tmp_path, one).added == 1
    assert run(session, tmp_path, two).duplicates == 1


VARIED = """\
text,in_person,thread,id,channel,duration,audience,targets,actor,kind,source,ts,via_ai,by_bot
secret words,yes,t1,,#design,,,bo@example.org; CY@example.org ;,ana@example.org,message,,2025-03-03T09:00:00Z,,
more words,,,,,1800,3,bo@example.org,ana@example.org,meeting,MANUAL,2025-03-03T10:30:00+01:00,TRUE,n
,n,,x-1,#ops,,,ana@example.org;ana@example.org,jira-bot,Message,,2025-03-03T12:00:00.123456Z,,true
,,,,,,1,ana@example.org;bo@example.org,cy@example.org,message,,2025-03-04T08:00:00Z,,
,,,,,,,ana@example.org,cy@example.org,nonsense,,2025-03-04T08:00:00Z,,
,,,,,,,ana@example.org,cy@example.org,message,,2025-03-04T08:00:00,,
"""


def test_the_usual_row_reader_makes_the_same_events_as_the_general_one(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, VARIED)
    fast = run(session, tmp_path / "fast", path)
    monkeypatch.setattr(CsvEvents, "_usual", lambda self, values, ctx: None)  # every row read field by field
    general = run(session, tmp_path / "general", path)
    assert (fast.added, fast.errors) == (general.added, general.errors)
    assert fast.added == 3
    assert len(fast.errors) == 3  # audience < targets, unknown kind, ts without an offset
    assert rows(tmp_path / "fast") == rows(tmp_path / "general")
