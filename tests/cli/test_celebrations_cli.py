"""``teamweave celebrations upcoming|add|digest`` against a seeded organisation in a temporary data dir."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.web.seeding import SeededOrg, cheap_password_hashes, seed_org
from typer.testing import CliRunner

from teamweave.audit.models import AuditEntry
from teamweave.cli.main import app
from teamweave.config import load_settings
from teamweave.errors import InputFormatError, NotFound
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

__all__ = ["cheap_password_hashes"]


@pytest.fixture
def seeded(data_dir: Path, cheap_password_hashes: None) -> SeededOrg:
    runtime = Runtime(load_settings())
    runtime.migrate()
    with session_scope(runtime.sessions) as session:
        org = seed_org(session, org=runtime.settings.org)
    runtime.close()
    return org


def _audit() -> list[tuple[str, str, str | None]]:
    runtime = Runtime(load_settings())
    with session_scope(runtime.sessions) as session:
        rows = [(e.action, e.subject_kind, e.viewer_role) for e in session.scalars(select(AuditEntry))]
    runtime.close()
    return rows


def test_upcoming_lists_the_organisation_and_is_audited(seeded: SeededOrg) -> None:
    result = CliRunner().invoke(app, ["celebrations", "upcoming", "--from", "2027-01-04", "--days", "7"])
    assert result.exit_code == 0, result.output
    assert "Alice: 5 years with us" in result.output
    assert "Pat: 5 years with us" in result.output
    assert "Sunday 10 January" in result.output
    assert _audit() == [("view_celebrations", "org", "operator (command line)")]


def test_upcoming_of_one_team(seeded: SeededOrg) -> None:
    result = CliRunner().invoke(app, ["celebrations", "upcoming", "--team", "data", "--from", "2027-01-04"])
    assert result.exit_code == 0, result.output
    assert "Pat: 5 years with us" in result.output
    assert "Alice" not in result.output
    quiet = CliRunner().invoke(app, ["celebrations", "upcoming", "--from", "2027-03-01"])
    assert "Nothing to celebrate in these days." in quiet.output


def test_add_then_digest(seeded: SeededOrg) -> None:
    runner = CliRunner()
    added = runner.invoke(
        app, ["celebrations", "add", "--team", "Platform", "--title", "Launched v2", "--day", "2027-01-06"]
    )
    assert added.exit_code == 0, added.output
    milestone = runner.invoke(
        app,
        ["celebrations", "add", "--person", "bob@example.org", "--title", "First on-call", "--day", "2027-01-07"],
    )
    assert milestone.exit_code == 0, milestone.output
    text = runner.invoke(app, ["celebrations", "digest", "--team", "Platform", "--week", "2027-01-08"])
    assert text.exit_code == 0, text.output
    lines = text.output.splitlines()
    assert lines[0] == "Platform: celebrations of the week of 4 January"
    assert "  - Platform: Launched v2 (Wednesday 6 January)" in lines
    assert "  - Bob: First on-call (Thursday 7 January)" in lines
    assert "  - Alice: 5 years with us (Sunday 10 January)" in lines
    slack = runner.invoke(
        app, ["celebrations", "digest", "--team", "Platform", "--week", "2027-01-08", "--format", "slack"]
    )
    assert json.loads(slack.output)[0]["type"] == "header"
    html = runner.invoke(
        app, ["celebrations", "digest", "--team", "Platform", "--week", "2027-01-08", "--format", "html"]
    )
    assert "<h3>Team achievements</h3>" in html.output


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["add", "--title", "x", "--day", "2027-01-06"], InputFormatError),
        (["add", "--team", "Platform", "--title", "x", "--day", "6/1/2027"], InputFormatError),
        (["add", "--team", "Nope", "--title", "x", "--day", "2027-01-06"], NotFound),
        (["add", "--person", "nobody@example.org", "--title", "x", "--day", "2027-01-06"], NotFound),
        (["digest", "--team", "Platform", "--format", "pdf"], InputFormatError),
        (["upcoming", "--days", "0"], InputFormatError),
    ],
)
def test_bad_input_is_an_expected_error(seeded: SeededOrg, args: list[str], error: type[Exception]) -> None:
    result = CliRunner().invoke(app, ["celebrations", *args])
    assert result.exit_code != 0
    assert isinstance(result.exception, error)
