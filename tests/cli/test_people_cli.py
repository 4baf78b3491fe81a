"""``teamweave people import`` and ``teamweave people list`` against a temporary data dir."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from teamweave.cli.main import app
from teamweave.config import load_settings
from teamweave.errors import InputFormatError
from teamweave.imports.service import list_runs
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

HR_FILE = Path(__file__).resolve().parents[1] / "people" / "data" / "hr_realistic.csv"


def _count(output: str, label: str) -> int:
    match = re.search(rf"{label}\W+(\d+)", output)
    assert match, output
    return int(match.group(1))


def test_import_prints_a_summary_and_each_error_with_its_line(data_dir: Path) -> None:
    result = CliRunner().invoke(app, ["people", "import", str(HR_FILE)])
    assert result.exit_code == 0, result.output
    assert _count(result.output, "created") == 20
    assert _count(result.output, "updated") == 0
    assert _count(result.output, "unchanged") == 0
    assert _count(result.output, "rejected rows") == 10
    lines = result.output.splitlines()
    assert (
        "hr_realistic.csv, line 7, field 'manager_email': unknown manager ghost@acme.example "
        "(not in the file or the directory)"
    ) in lines
    assert "hr_realistic.csv, line 8, field 'timezone': unknown IANA time zone 'Europe/Berln'" in lines
    reported = [int(m.group(1)) for m in re.finditer(r"^hr_realistic\.csv, line (\d+),", result.output, re.M)]
    assert reported == [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 23, 27]
    assert "note: hr_realistic.csv: ignored unknown columns: employee_id" in lines
    assert (data_dir / "teamweave.db").is_file()


def test_a_second_import_of_the_same_file_changes_nothing(data_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["people", "import", str(HR_FILE)]).exit_code == 0
    again = runner.invoke(app, ["people", "import", str(HR_FILE)])
    assert again.exit_code == 0, again.output
    assert (_count(again.output, "created"), _count(again.output, "updated")) == (0, 0)
    assert _count(again.output, "unchanged") == 20


def test_list_shows_teams_and_head_counts(data_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["people", "import", str(HR_FILE)]).exit_code == 0
    listed = runner.invoke(app, ["people", "list"])
    assert listed.exit_code == 0, listed.output
    counts = {name: _count(listed.output, re.escape(name)) for name in ("Data", "Leadership", "Mobile", "Platform")}
    assert counts == {"Data": 6, "Leadership": 3, "Mobile": 4, "Platform": 6}
    assert _count(listed.output, re.escape("(no team)")) == 1
    assert _count(listed.output, "total") == 20


def test_import_into_another_org(data_dir: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["people", "import", "--org", "beta", str(HR_FILE)]).exit_code == 0
    assert _count(runner.invoke(app, ["people", "list"]).output, "total") == 0
    assert _count(runner.invoke(app, ["people", "list", "--org", "beta"]).output, "total") == 20


def test_a_missing_required_column_is_fatal(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "hr.csv"
    bad.write_text("email,name\na@x.org,Ann\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["people", "import", str(bad)])
    assert result.exit_code == 1
    assert isinstance(result.exception, InputFormatError)
    assert result.exception.field == "timezone"


def test_a_fatal_error_is_one_line_with_exit_code_1(tmp_path: Path) -> None:
    bad = tmp_path / "hr.csv"
    bad.write_text("email,name\na@x.org,Ann\n", encoding="utf-8")
    env = {"TEAMWEAVE_DATA_DIR": str(tmp_path / "data"), "TEAMWEAVE_ENV": "test", "PATH": "/usr/bin:/bin"}
    code = (
        f"from teamweave.cli.main import run; import sys; sys.argv=['teamweave','people','import',{str(bad)!r}]; run()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "hr.csv, line 1, field 'timezone': required column missing from the header" in done.stderr


def test_imports_are_recorded_in_the_history_without_values(data_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["people", "import", str(HR_FILE)]).exit_code == 0
    bad = tmp_path / "broken.csv"
    bad.write_text("email,name\na@x.org,Ann\n", encoding="utf-8")
    assert runner.invoke(app, ["people", "import", str(bad)]).exit_code == 1
    runtime = Runtime(load_settings())
    try:
        with session_scope(runtime.sessions) as session:
            runs = {run.file_name: run for run in list_runs(session, org="default")}
    finally:
        runtime.close()
    done, failed = runs["hr_realistic.csv"], runs["broken.csv"]
    assert (done.source, done.status, done.added, done.skipped) == ("hr", "done", 20, 10)
    assert done.errors[0] == "hr_realistic.csv, line 7, field 'manager_email'"
    assert not any("@" in error for error in done.errors)
    assert failed.status == "failed"
    assert "field 'timezone': required column missing" in failed.errors[0]
