"""``teamweave demo`` prints the demo logins and the time it took, then serves unless --no-serve."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from teamweave.cli import demo as demo_cli
from teamweave.cli.main import app
from teamweave.config import Settings
from teamweave.demo.generator import DEMO_PASSWORD, generate
from teamweave.demo.run import DemoInfo
from teamweave.runtime import Runtime


@pytest.fixture
def fake_prepare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """Replace the (slow) real preparation with one that returns a small generated demo's info."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TEAMWEAVE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TEAMWEAVE_ENV", "test")
    monkeypatch.delenv("TEAMWEAVE_DATABASE_URL", raising=False)
    monkeypatch.delenv("TEAMWEAVE_CONFIG", raising=False)
    manifest = generate(tmp_path / "files", end=date(2026, 2, 28), people=120, teams=10)
    calls: list[dict[str, Any]] = []

    def prepare(runtime: Runtime, **kwargs: Any) -> DemoInfo:
        calls.append(kwargs)
        return DemoInfo(
            directory=tmp_path / "files",
            manifest=manifest,
            reused=bool(calls[:-1]),
            generated=not calls[:-1],
            people=manifest.people,
            events=12345,
            logins=manifest.logins,
            password=DEMO_PASSWORD,
            seconds=1.0,
            steps={"generate": 0.5},
        )

    monkeypatch.setattr(demo_cli, "prepare", prepare)
    return calls


def test_demo_no_serve_prints_logins_and_time(
    fake_prepare: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    served: list[Settings] = []
    monkeypatch.setattr(demo_cli, "serve_app", served.append)
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--seed", "3"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Demo logins" in result.output
    assert "admin@demo.teamweave.test" in result.output
    assert DEMO_PASSWORD in result.output
    assert "people-admin" in result.output
    assert "Demo ready in" in result.output
    assert "12,345 events" in result.output
    assert fake_prepare == [{"seed": 3, "regenerate": False, "progress": fake_prepare[0]["progress"]}]
    assert served == []


def test_demo_serves_after_preparing(fake_prepare: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch) -> None:
    served: list[Settings] = []
    monkeypatch.setattr(demo_cli, "serve_app", served.append)
    result = CliRunner().invoke(app, ["demo", "--regenerate"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert fake_prepare[0]["regenerate"] is True
    assert fake_prepare[0]["seed"] is None
    assert len(served) == 1
    assert served[0].data_dir.name == "data"
