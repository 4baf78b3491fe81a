"""``teamweave analyze`` runs the analysis on the configured store and prints a summary."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from teamweave.cli.main import app
from teamweave.config import load_settings
from teamweave.ingest.records import Interaction
from teamweave.network.models import PersonMetric, TeamMetric
from teamweave.people.models import Person, Team
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEAMWEAVE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TEAMWEAVE_ENV", "test")
    monkeypatch.delenv("TEAMWEAVE_DATABASE_URL", raising=False)
    monkeypatch.delenv("TEAMWEAVE_CONFIG", raising=False)
    runtime = Runtime(load_settings())
    runtime.migrate()
    p = runtime.pseudonymiser
    with session_scope(runtime.sessions) as session:
        team = Team(org="default", name="Core")
        session.add(team)
        session.flush()
        for name in ("ana", "ben"):
            session.add(
                Person(
                    org="default",
                    email=f"{name}@x.test",
                    name=name,
                    pseudonym=p.person_of_email(f"{name}@x.test"),
                    team_id=team.id,
                    timezone="UTC",
                )
            )
    ana, ben = p.person_of_email("ana@x.test"), p.person_of_email("ben@x.test")
    runtime.events.append(
        "default",
        [
            Interaction(
                org="default",
                event_id=f"e{i}",
                source="slack",
                kind="message",
                ts=datetime(2024, 3, 4 + i, 10, tzinfo=UTC),
                actor=ana if i % 2 else ben,
                targets=(ben if i % 2 else ana,),
                audience=1,
            )
            for i in range(4)
        ],
    )
    return runtime


def test_analyze_prints_summary_and_stores_metrics(configured: Runtime) -> None:
    result = CliRunner().invoke(app, ["analyze", "--period", "month"])
    assert result.exit_code == 0, result.output
    assert "windows" in result.output
    assert "ties (distinct pairs)" in result.output
    assert "runtime" in result.output
    with session_scope(configured.sessions) as session:
        assert session.execute(select(func.count()).select_from(PersonMetric)).scalar_one() == 2
        assert session.execute(select(func.count()).select_from(TeamMetric)).scalar_one() == 1
        rows = session.execute(select(PersonMetric.period, PersonMetric.ties, PersonMetric.strength)).all()
        assert sorted(rows) == [("month", 1, 4.0), ("month", 1, 4.0)]
    configured.close()


def test_analyze_all_periods_by_default(configured: Runtime) -> None:
    result = CliRunner().invoke(app, ["analyze"])
    assert result.exit_code == 0, result.output
    assert "week, month, quarter" in result.output
    with session_scope(configured.sessions) as session:
        periods = set(session.execute(select(PersonMetric.period)).scalars())
    assert periods == {"week", "month", "quarter"}
    configured.close()


def test_a_quarter_comes_with_its_months(configured: Runtime) -> None:
    result = CliRunner().invoke(app, ["analyze", "--period", "quarter"])
    assert result.exit_code == 0, result.output
    assert "month, quarter" in result.output
    with session_scope(configured.sessions) as session:
        rows = session.execute(select(PersonMetric.period, PersonMetric.window_start, PersonMetric.ties)).all()
    assert {(period, start.month) for period, start, _ in rows} == {("month", 3), ("quarter", 1)}
    configured.close()


def test_unknown_period_is_rejected(configured: Runtime) -> None:
    result = CliRunner().invoke(app, ["analyze", "--period", "year"])
    assert result.exit_code != 0
    configured.close()


def test_analyze_since_a_day_gives_what_a_full_run_gives(configured: Runtime) -> None:
    def stored() -> list[tuple[object, ...]]:
        with session_scope(configured.sessions) as session:
            columns = (PersonMetric.period, PersonMetric.window_start, PersonMetric.ties, PersonMetric.strength)
            return sorted(tuple(row) for row in session.execute(select(*columns)).all())

    assert CliRunner().invoke(app, ["analyze"]).exit_code == 0
    full = stored()
    result = CliRunner().invoke(app, ["analyze", "--since", "2024-03-06"])
    assert result.exit_code == 0, result.output
    assert stored() == full
    assert "Ran in full" not in result.output
    bad = CliRunner().invoke(app, ["analyze", "--since", "06/03/2024"])
    assert bad.exit_code == 2
    configured.close()


def test_analyze_since_after_an_opt_out_runs_in_full_and_says_why(configured: Runtime) -> None:
    assert CliRunner().invoke(app, ["analyze"]).exit_code == 0
    assert CliRunner().invoke(app, ["privacy", "opt-out", "ben@x.test"]).exit_code == 0
    result = CliRunner().invoke(app, ["analyze", "--since", "2024-03-06"])
    assert result.exit_code == 0, result.output
    assert "Ran in full, not from --since: someone opted out of analytics or back in." in result.output
    ben = configured.pseudonymiser.person_of_email("ben@x.test")
    with session_scope(configured.sessions) as session:
        assert not session.execute(select(PersonMetric).where(PersonMetric.pseudonym == ben)).first()
    configured.close()


def test_analyze_by_month_gives_what_all_at_once_gives(configured: Runtime) -> None:
    def stored() -> list[tuple[object, ...]]:
        with session_scope(configured.sessions) as session:
            columns = (PersonMetric.period, PersonMetric.window_start, PersonMetric.ties, PersonMetric.strength)
            return sorted(tuple(row) for row in session.execute(select(*columns)).all())

    whole = CliRunner().invoke(app, ["analyze", "--all-at-once"])
    assert whole.exit_code == 0, whole.output
    once = stored()
    monthly = CliRunner().invoke(app, ["analyze", "--by-month"])
    assert monthly.exit_code == 0, monthly.output
    assert stored() == once
    assert once
    assert "--by-month" in CliRunner().invoke(app, ["analyze", "--help"]).output
    configured.close()
