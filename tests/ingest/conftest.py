"""Fixtures for connector tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests.ingest.builders import Importer, WriteExport, write_export_folder

from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.events import EventStore


@pytest.fixture
def importer(session: Session, tmp_path: Path) -> Importer:
    return Importer(session, EventStore(tmp_path / "events"), Pseudonymiser(b"k" * 32), tmp_path / "quarantine")


@pytest.fixture
def write_export(tmp_path: Path) -> WriteExport:
    def write(
        users: list[dict[str, Any]],
        channels: dict[str, list[str]],
        days: dict[str, list[dict[str, Any]] | str],
        *,
        name: str = "export",
    ) -> Path:
        return write_export_folder(tmp_path / name, users, channels, days)

    return write
