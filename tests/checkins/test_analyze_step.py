"""``teamweave analyze`` finds the held 1:1s in calendars imported with ``teamweave import`` (idempotently)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.checkins.calendar_files import DOMAIN, calendar, vevent
from typer.testing import CliRunner

from teamweave.checkins.models import HeldOneOnOne
from teamweave.cli.main import app
from teamweave.config import load_settings
from teamweave.people.models import Person
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope


@pytest.fixture
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEAMWEAVE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TEAMWEAVE_ENV", "test")
    for name in ("TEAMWEAVE_DATABASE_URL", "TEAMWEAVE_CONFIG", "TEAMWEAVE_ORG", "TEAMWEAVE_PSEUDONYM_KEY"):
        monkeypatch.delenv(name, raising=False)
    runtime = Runtime(load_settings())
    runtime.migrate()
    with session_scope(runtime.sessions) as session:
        manager = None
        for name in ("mia", "ana"):
            email = f"{name}@{DOMAIN}"
            person = Person(
                org="default",
                email=email,
                name=name.capitalize(),
                pseudonym=runtime.pseudonymiser.person_of_email(email),
                timezone="UTC",
                manager_id=manager,
            )
            session.add(person)
            session.flush()
            manager = person.id
    return runtime


def test_analyze_finds_held_1on1s_once(configured: Runtime, tmp_path: Path) -> None:
    held = (datetime.now(UTC) - timedelta(days=3)).replace(hour=10, minute=0, second=0, microsecond=0)
    (tmp_path / "mia.ics").write_text(calendar(vevent("one", held, "mia", ["ana"])))
    runner = CliRunner()
    imported = runner.invoke(app, ["import", str(tmp_path / "mia.ics")])
    assert imported.exit_code == 0, imported.output
    first = runner.invoke(app, ["analyze", "--period", "month"])
    assert first.exit_code == 0, first.output
    assert "1:1s found in calendars: 1 (1 new)" in first.output
    second = runner.invoke(app, ["analyze", "--period", "month"])
    assert "1:1s found in calendars: 1 (0 new)" in second.output
    with session_scope(configured.sessions) as session:
        rows = [(r.day, r.source) for r in session.scalars(select(HeldOneOnOne))]
    assert rows == [(held.date(), "calendar")]
    configured.close()
