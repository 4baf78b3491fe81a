"""``teamweave recognise`` and ``teamweave recognition feed|sync-events``: giving from the command line writes
the recognition; its interaction event is written in a batch with the others (sync-events, or before
``teamweave analyze`` analyses); the analysis then finds the tie."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from teamweave.audit.models import AuditEntry
from teamweave.cli.main import app
from teamweave.config import load_settings
from teamweave.errors import InputFormatError
from teamweave.network.models import PersonMetric
from teamweave.people.models import Person
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

HR = "email,name,team,manager_email,site,timezone,start_date,birthday,birthday_opt_in\n" + "".join(
    f"{n}@acme.test,{n.title()},{team},,Berlin,Europe/Berlin,2024-01-0{i + 1},,\n"
    for i, (n, team) in enumerate([("ana", "Core"), ("ben", "Core"), ("cleo", "Core"), ("dev", "Ops")])
)


@pytest.fixture
def people(data_dir: Path, tmp_path: Path) -> Path:
    """ana, ben and cleo in Core, dev in Ops."""
    (tmp_path / "hr.csv").write_text(HR)
    result = CliRunner().invoke(app, ["people", "import", str(tmp_path / "hr.csv")])
    assert result.exit_code == 0, result.output
    return tmp_path / "data"


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _stored_events() -> list[tuple[str, str, list[str], int]]:
    runtime = Runtime(load_settings())
    con = duckdb.connect()
    try:
        records = runtime.events.read("default", con).order("ts").to_arrow_table().to_pylist()
    finally:
        con.close()
    with session_scope(runtime.sessions) as session:
        names_of = {p.pseudonym: p.email.split("@")[0] for p in session.scalars(select(Person))}
    runtime.close()
    return [(r["kind"], names_of[r["actor"]], [names_of[t] for t in r["targets"]], r["audience"]) for r in records]


def test_recognise_a_person_and_analyze_finds_the_tie(people: Path) -> None:
    said = _run(
        "recognise", "--from", "ana@acme.test", "--to", "ben@acme.test", "--value", "care", "--message", "Thanks!"
    )
    assert "recognised ben@acme.test for Care (public" in said
    assert _stored_events() == []  # giving writes no event: it is recorded in one batch before analysing
    assert "1 recognition events added, 0 already stored" in _run("recognition", "sync-events")
    assert _stored_events() == [("recognition", "ana", ["ben"], 1)]
    summary = _run("analyze", "--period", "week")
    assert "1 " in summary.split("ties (distinct pairs)", 1)[1].splitlines()[0]
    runtime = Runtime(load_settings())
    with session_scope(runtime.sessions) as session:
        ties = {m.pseudonym: m.ties for m in session.scalars(select(PersonMetric))}
    runtime.close()
    assert sorted(ties.values()) == [1, 1]


def test_analyze_records_the_recognition_events_before_analysing(people: Path) -> None:
    _run("recognise", "--from", "ana@acme.test", "--to", "ben@acme.test", "--value", "Care", "--message", "Thanks!")
    assert _stored_events() == []
    summary = _run("analyze", "--period", "week")
    assert _stored_events() == [("recognition", "ana", ["ben"], 1)]
    assert "1 " in summary.split("ties (distinct pairs)", 1)[1].splitlines()[0]
    _run("analyze", "--period", "week")  # again: the same event ids, nothing added
    assert "0 recognition events added, 1 already stored" in _run("recognition", "sync-events")


def test_recognise_a_team_privately_and_the_feed(people: Path) -> None:
    _run("recognise", "--from", "dev@acme.test", "--team", "core", "--value", "Craft", "--message", "Solid release")
    _run(
        "recognise",
        "--from",
        "ana@acme.test",
        "--to",
        "dev@acme.test",
        "--value",
        "Care",
        "--message",
        "Hush",
        "--private",
        "--note",
        "for you only",
    )
    assert _stored_events() == []
    assert "2 recognition events added, 0 already stored" in _run("recognition", "sync-events")
    assert _stored_events() == [
        ("recognition", "dev", ["ana", "ben", "cleo"], 3),
        ("recognition", "ana", ["dev"], 1),
    ]
    feed = json.loads(_run("recognition", "feed", "--json"))
    assert [(i["giver"], i["to"], i["message"]) for i in feed] == [("Dev", "the Core team", "Solid release")]
    assert "for you only" not in json.dumps(feed)
    assert "Solid release" in _run("recognition", "feed", "--team", "Core")
    assert json.loads(_run("recognition", "feed", "--team", "Ops", "--json")) == []
    runtime = Runtime(load_settings())
    with session_scope(runtime.sessions) as session:
        audited = session.scalars(select(AuditEntry.action)).all()
    runtime.close()
    assert audited == ["view_recognition_feed"] * 3
    assert "0 recognition events added, 2 already stored" in _run("recognition", "sync-events")


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--to", "ben@acme.test", "--value", "Speed"], "value"),
        (["--to", "nobody@acme.test", "--value", "Care"], "to"),
        (["--to", "ben@acme.test", "--team", "Core", "--value", "Care"], "to"),
        (["--team", "Nowhere", "--value", "Care"], "team"),
    ],
)
def test_bad_input_names_the_field(people: Path, args: list[str], field: str) -> None:
    result = CliRunner().invoke(app, ["recognise", "--from", "ana@acme.test", *args, "--message", "x"])
    assert result.exit_code != 0
    assert isinstance(result.exception, InputFormatError)
    assert result.exception.field == field
    assert f"field '{field}'" in str(result.exception)
