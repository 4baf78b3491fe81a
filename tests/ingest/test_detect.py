"""Format detection: Slack exports (zip or folder) and .ics calendars; anything else is refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from tests.ingest.test_generic_csv import EXAMPLE as CSV_EXAMPLE
from tests.ingest.test_git_repo import build_repo
from tests.ingest.test_github_json import write_fixture
from tests.ingest.test_teams_graph import write_export
from tests.ingest.test_vivainsights import sample as viva_sample

from teamweave.errors import InputFormatError
from teamweave.ingest.detect import detect_format, parse_format
from teamweave.ingest.pipeline import import_path
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope


def test_real_fixtures_are_detected(shared_data: Path) -> None:
    slack = shared_data / "slack-export-viewer-testarchive"
    calendars = shared_data / "ical-recurring-events-test-calendars" / "calendars"
    assert detect_format(slack / "testarchive.zip") == "slack"
    assert detect_format(slack / "extracted") == "slack"
    assert detect_format(calendars) == "ics"
    assert detect_format(calendars / "one_event.ics") == "ics"
    enron = shared_data / "enron-mbox-sent-folders"
    assert detect_format(enron / "sample" / "enron.allen-p._sent_mail.mbox") == "email"
    assert detect_format(enron / "mbox") == "email"
    assert parse_format("mbox") == "email"


def test_unknown_inputs_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="no such file"):
        detect_format(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputFormatError, match="not a format teamweave reads"):
        detect_format(tmp_path / "empty")
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    with pytest.raises(InputFormatError, match="unknown format"):
        detect_format(text)
    other_zip = tmp_path / "other.zip"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "hi")
    with pytest.raises(InputFormatError, match="not a Slack export"):
        detect_format(other_zip)


def test_parse_format() -> None:
    assert parse_format(None) is None
    assert parse_format("Slack") == "slack"
    assert parse_format("calendar") == "ics"
    assert parse_format("gh") == "github"
    assert parse_format("git") == "git"
    with pytest.raises(InputFormatError, match="--format"):
        parse_format("carrier-pigeon")


def test_git_repositories_and_github_json_are_detected(tmp_path: Path) -> None:
    repo = build_repo(tmp_path / "repo")
    assert detect_format(repo) == "git"
    fixture = write_fixture(tmp_path / "gh")
    assert detect_format(fixture) == "github"
    assert detect_format(next(fixture.glob("*.json"))) == "github"
    assert detect_format(write_export(tmp_path / "teams")) == "teams"
    (tmp_path / "events.csv").write_text(CSV_EXAMPLE)
    assert detect_format(tmp_path / "events.csv") == "csv"


def test_import_path_reads_each_detected_format(runtime: Runtime, tmp_path: Path) -> None:
    (tmp_path / "events.csv").write_text(CSV_EXAMPLE)
    inputs = (
        (build_repo(tmp_path / "repo"), "git"),
        (write_fixture(tmp_path / "gh"), "github"),
        (write_export(tmp_path / "teams"), "teams"),
        (tmp_path / "events.csv", "csv"),
        (viva_sample("p2p_data"), "vivainsights"),
    )
    for path, source in inputs:
        with session_scope(runtime.sessions) as session:
            summary = import_path(
                session,
                org="acme",
                path=path,
                events=runtime.events,
                pseudonymiser=runtime.pseudonymiser,
                quarantine_dir=runtime.settings.quarantine_dir,
            )
        assert summary.source == source
        assert summary.added > 0
