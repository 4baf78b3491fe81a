"""Alembic migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from tests.support.databases import postgres_database

from teamweave.store.engine import make_engine
from teamweave.store.migrate import downgrade, upgrade
from teamweave.store.models import metadata


def test_upgrade_head_matches_models_on_sqlite(tmp_path: Path) -> None:
    _check_migrations(f"sqlite:///{tmp_path / 'm.db'}")


@pytest.mark.postgres
def test_upgrade_head_matches_models_on_postgresql() -> None:
    with postgres_database() as url:
        _check_migrations(url)


def _check_migrations(url: str) -> None:
    engine = make_engine(url)
    try:
        downgrade(engine)
        upgrade(engine)
        upgrade(engine)  # idempotent
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
        assert diff == []
        assert set(metadata.tables) <= set(inspect(engine).get_table_names())
        downgrade(engine)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
