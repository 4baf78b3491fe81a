"""``teamweave privacy export|erase|readmit|opt-out``: a person's rights from the command line, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result
from sqlalchemy import select
from tests.support.waiting import in_thread
from typer.testing import CliRunner

from teamweave.audit.models import AuditEntry
from teamweave.audit.service import OPERATOR_ROLE
from teamweave.cli.main import app
from teamweave.config import load_settings
from teamweave.errors import NotFound
from teamweave.runtime import Runtime
from teamweave.store import engine as engine_module
from teamweave.store.org_lock import hold_org
from teamweave.store.session import session_scope

HR = "email,name,team,manager_email,site,timezone,start_date,birthday,birthday_opt_in\n" + "".join(
    f"{n}@acme.test,{n.title()},Core,,Berlin,Europe/Berlin,2024-01-0{i + 1},,\n" for i, n in enumerate(["ana", "ben"])
)


@pytest.fixture
def people(data_dir: Path, tmp_path: Path) -> Path:
    """ana and ben in the directory."""
    (tmp_path / "hr.csv").write_text(HR)
    result = CliRunner().invoke(app, ["people", "import", str(tmp_path / "hr.csv")])
    assert result.exit_code == 0, result.output
    return tmp_path / "data"


def _audit() -> list[tuple[str | None, str, str]]:
    runtime = Runtime(load_settings())
    with session_scope(runtime.sessions) as session:
        rows = session.execute(select(AuditEntry.viewer_role, AuditEntry.action, AuditEntry.subject_id)).all()
    runtime.close()
    return [(r.viewer_role, r.action, r.subject_id) for r in rows]


def test_export_writes_json_and_is_audited_without_the_email(people: Path, tmp_path: Path) -> None:
    out = tmp_path / "ana.json"
    result = CliRunner().invoke(app, ["privacy", "export", "ana@acme.test", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["person"]["name"] == "Ana"
    [(role, action, subject)] = _audit()
    assert (role, action) == (OPERATOR_ROLE, "export_person")
    assert subject.isdigit()


def test_erase_removes_the_person_and_is_audited(people: Path) -> None:
    result = CliRunner().invoke(app, ["privacy", "erase", "ben@acme.test", "--yes"])
    assert result.exit_code == 0, result.output
    assert "erased ben@acme.test" in result.output
    again = CliRunner().invoke(app, ["privacy", "export", "ben@acme.test"])
    assert again.exit_code != 0
    assert [a for _, a, _ in _audit()] == ["erase_person"]


def test_erase_waits_for_a_running_analysis_instead_of_failing(people: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """On SQLite the audit entry's write used to wait the engine's busy timeout for a running analysis, then fail."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 300)  # fail fast if the command does not wait
    runtime = Runtime(load_settings())
    analysis = runtime.sessions()
    hold_org(analysis, org=runtime.settings.org)  # a running analysis (or import) of the org
    outcome: list[Result] = []
    try:
        worker, errors = in_thread(
            lambda: outcome.append(CliRunner().invoke(app, ["privacy", "erase", "ben@acme.test", "--yes"]))
        )
        worker.join(1.5)
        assert worker.is_alive()  # still waiting, 5 times the busy timeout later
        analysis.rollback()
    finally:
        analysis.close()
        runtime.close()
    worker.join(30)
    assert not errors, errors
    assert outcome[0].exit_code == 0, outcome[0].output
    assert "erased ben@acme.test" in outcome[0].output


def test_readmit_after_an_erasure_and_people_import_warns_until_then(people: Path, tmp_path: Path) -> None:
    assert CliRunner().invoke(app, ["privacy", "erase", "ben@acme.test", "--yes"]).exit_code == 0
    hr = CliRunner().invoke(app, ["people", "import", str(tmp_path / "hr.csv")])
    assert hr.exit_code == 0, hr.output
    assert "this person was erased" in hr.output
    result = CliRunner().invoke(app, ["privacy", "readmit", "ben@acme.test"])
    assert result.exit_code == 0, result.output
    assert "ben@acme.test can be imported again (1 erasure mark forgotten)" in result.output
    again = CliRunner().invoke(app, ["privacy", "readmit", "ben@acme.test"])
    assert isinstance(again.exception, NotFound)  # (main() prints it without a traceback)
    assert "no erased person with e-mail ben@acme.test" in str(again.exception)


def test_opt_out_and_back_in(people: Path) -> None:
    assert CliRunner().invoke(app, ["privacy", "opt-out", "ana@acme.test"]).exit_code == 0
    exported = CliRunner().invoke(app, ["privacy", "export", "ana@acme.test"])
    assert json.loads(exported.output)["person"]["analytics_opt_out"] is True
    assert CliRunner().invoke(app, ["privacy", "opt-out", "ana@acme.test", "--undo"]).exit_code == 0


def test_export_holds_every_capability_part(people: Path, tmp_path: Path) -> None:
    given = CliRunner().invoke(
        app,
        ["recognise", "--from", "ben@acme.test", "--to", "ana@acme.test", "--value", "Care", "--message", "Thanks!"],
    )
    assert given.exit_code == 0, given.output
    out = tmp_path / "ana.json"
    result = CliRunner().invoke(app, ["privacy", "export", "ana@acme.test", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    assert {"checkins", "recognition", "celebrations", "notifications"} <= data.keys()
    assert "Thanks!" in json.dumps(data["recognition"])
    assert [m["kind"] for m in data["notifications"]["messages"]] == ["recognition"]
    assert data["checkins"]["checkin_responses"] == []
