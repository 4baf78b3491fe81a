"""Format detection: Slack exports (zip or folder) and .ics calendars; anything else is refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from teamweave.errors import InputFormatError
from teamweave.ingest.detect import detect_format, parse_format


def test_real_fixtures_are_detected(shared_data: Path) -> None:
    slack = shared_data / "slack-export-viewer-testarchive"
    calendars = shared_data / "ical-recurring-events-test-calendars" / "calendars"
    assert detect_format(slack / "testarchive.zip") == "slack"
    assert detect_format(slack / "extracted") == "slack"
    assert detect_format(calendars) == "ics"
    assert detect_format(calendars / "one_event.ics") == "ics"


def test_unknown_inputs_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFormatError, match="no such file"):
        detect_format(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputFormatError, match="neither a Slack export"):
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
    with pytest.raises(InputFormatError, match="--format"):
        parse_format("teams")
