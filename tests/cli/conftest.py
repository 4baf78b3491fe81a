"""A fresh product instance for each command-line test: its own data dir, SQLite, no teamweave.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

ISOLATED_SETTINGS = ("TEAMWEAVE_DATABASE_URL", "TEAMWEAVE_CONFIG", "TEAMWEAVE_ORG", "TEAMWEAVE_PSEUDONYM_KEY")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data dir commands use; the environment carries nothing else of teamweave's; cwd is tmp_path."""
    for name in ISOLATED_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEAMWEAVE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TEAMWEAVE_ENV", "test")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"
