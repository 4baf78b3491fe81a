"""Fixtures for recognition tests: the seeded organisation (tests/web/seeding.py) on the ``session`` fixture
(SQLite and PostgreSQL), an event store in a temporary folder, a pseudonymiser, and a way to give."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests.web.seeding import SeededOrg, cheap_password_hashes, login_of, seed_org_with_dan

from teamweave.config import Settings
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.recognition import service
from teamweave.recognition.models import Recognition
from teamweave.store.events import EventStore

__all__ = ["cheap_password_hashes"]

VALUES = Settings.model_fields["recognition_values"].default
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _cheap_hashes(cheap_password_hashes: None) -> None:
    """Seeding creates logins: use the cheap argon2 profile."""


@pytest.fixture
def seeded(session: Session) -> SeededOrg:
    """The seeded org, plus a login for Dan (manager of Data)."""
    return seed_org_with_dan(session)


@pytest.fixture
def events(tmp_path: Path) -> EventStore:
    return EventStore(tmp_path / "events")


@pytest.fixture
def pseudonymiser() -> Pseudonymiser:
    return Pseudonymiser(b"recognition-test-key-32-bytes!!!")


user = login_of
"""The login of a seeded person (a member login is created for one who has none)."""


def give(
    session: Session,
    seeded: SeededOrg,
    giver: str,
    *,
    to: str | None = None,
    team: str | None = None,
    **extra: Any,
) -> Recognition:
    """``giver`` recognises the seeded person ``to`` or the seeded team ``team`` (value Care unless given)."""
    extra.setdefault("value", "Care")
    extra.setdefault("message", f"Thank you, from {giver}")
    extra.setdefault("now", NOW)
    return service.give(
        session,
        org=seeded.org,
        giver_id=seeded.people[giver],
        person_id=seeded.people[to] if to else None,
        team_id=seeded.teams[team] if team else None,
        values=VALUES,
        public_url="https://tw.example.org",
        **extra,
    )
