"""``teamweave serve``: builds the app for the settings and hands it to uvicorn on the chosen address."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from teamweave.cli import serve
from teamweave.cli.main import app


def test_serve_runs_uvicorn_with_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAMWEAVE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TEAMWEAVE_ENV", "test")
    monkeypatch.delenv("TEAMWEAVE_DATABASE_URL", raising=False)
    calls: list[tuple[Any, dict[str, Any]]] = []
    monkeypatch.setattr(serve.uvicorn, "run", lambda application, **kw: calls.append((application, kw)))
    result = CliRunner().invoke(app, ["serve", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123" in result.output
    application, options = calls[0]
    assert isinstance(application, FastAPI)
    assert options["host"] == "127.0.0.1"
    assert options["port"] == 8123
    assert (tmp_path / "data" / "teamweave.db").exists()  # the schema was migrated
