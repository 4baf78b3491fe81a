"""Shared fixtures: settings in a temporary data dir, databases on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session
from tests.support.databases import postgres_database

from teamweave.config import Settings
from teamweave.runtime import Runtime
from teamweave.store.engine import make_engine
from teamweave.store.models import metadata
from teamweave.store.session import session_factory

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = PROJECT_ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real datasets in ../shared/data. Missing data is a failure, never a skip."""
    if not (SHARED_DATA / "README.md").is_file():
        pytest.fail(f"the shared datasets are missing: expected them at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A database on the real PostgreSQL server shared by this test session (tests reset its schema)."""
    with postgres_database() as url:
        yield url


def _fresh_schema(engine: Engine) -> None:
    metadata.drop_all(engine)
    metadata.create_all(engine)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine with the current schema, on SQLite and on PostgreSQL (each test runs on both)."""
    if request.param == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'test.db'}")
    else:
        eng = make_engine(request.getfixturevalue("postgres_url"))
    _fresh_schema(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    factory = session_factory(engine)
    with factory() as s:
        yield s


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for a product instance living in a temporary data dir (SQLite)."""
    return Settings(env="test", data_dir=tmp_path / "data", _env_file=None)  # type: ignore[call-arg]


@pytest.fixture
def runtime(settings: Settings) -> Iterator[Runtime]:
    """A migrated runtime on SQLite in a temporary data dir."""
    rt = Runtime(settings)
    rt.migrate()
    yield rt
    rt.close()
