"""``teamweave import`` against a temporary data dir: summary, idempotence, errors as one line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from teamweave.cli.main import app
from teamweave.config import load_settings
from teamweave.imports.service import list_runs
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

SLACK = "slack-export-viewer-testarchive"


def _number(output: str, label: str) -> int:
    match = re.search(rf"{label}\D+([\d,]+)", output)
    assert match, output
    return int(match.group(1).replace(",", ""))


def test_import_prints_summary_and_counts_nothing_twice(data_dir: Path, shared_data: Path) -> None:
    runner = CliRunner()
    first = runner.invoke(app, ["import", str(shared_data / SLACK / "testarchive.zip")])
    assert first.exit_code == 0, first.output
    out = first.output
    assert _number(out, "added") == 162
    assert re.search(r"message\s+\W\s+147", out)
    assert "channel_join: not an interaction" in out
    assert "Unmatched identities" in out
    assert "@hamza (Slack U0BMQB6JE)" in out
    assert "events/s" in out

    second = runner.invoke(app, ["import", str(shared_data / SLACK / "extracted"), "--format", "slack"])
    assert second.exit_code == 0, second.output
    assert _number(second.output, "added") == 0
    assert _number(second.output, "duplicates \\(already stored\\)") == 162

    runtime = Runtime(load_settings())
    try:
        with session_scope(runtime.sessions) as session:
            runs = list_runs(session, org="default")
    finally:
        runtime.close()
    assert [(r.source, r.status, r.added) for r in runs] == [("slack", "done", 0), ("slack", "done", 162)]


def test_calendar_import_with_window_and_quarantine(data_dir: Path, shared_data: Path) -> None:
    folder = shared_data / "ical-recurring-events-test-calendars" / "calendars"
    result = CliRunner().invoke(app, ["import", str(folder), "--since", "2018-01-01", "--until", "2018-02-01"])
    assert result.exit_code == 0, result.output
    assert "quarantine file" in result.output
    assert "duration.ics, event" in result.output


def test_bad_input_is_one_line_without_traceback(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    code = f"from teamweave.cli.main import run; import sys; sys.argv=['teamweave','import',{str(bad)!r}]; run()"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "error: notes.txt: unknown format" in result.stderr
    bad_date = CliRunner().invoke(app, ["import", str(bad), "--since", "yesterday"])
    assert bad_date.exit_code == 1
    assert "--since" in str(bad_date.exception)
