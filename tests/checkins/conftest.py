"""Fixtures for check-in tests: the seeded organisation (tests/web/seeding.py) on the ``session`` fixture.

Importing the check-ins models registers their tables on the shared metadata, so ``metadata.create_all`` in
the ``engine`` fixture creates them (store/models.py is to import them too).
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tests.web.seeding import SeededOrg, cheap_password_hashes, seed_org

from teamweave.accounts.models import User
from teamweave.accounts.service import create_user
from teamweave.checkins import models as checkins_models

__all__ = ["cheap_password_hashes", "checkins_models"]


@pytest.fixture(autouse=True)
def _cheap_hashes(cheap_password_hashes: None) -> None:
    """Seeding creates logins: use the cheap argon2 profile."""


@pytest.fixture
def seeded(session: Session) -> SeededOrg:
    """The seeded org, plus a login for Dan (manager of Data)."""
    org = seed_org(session, org="default")
    dan = create_user(
        session, org="default", username="dan", password="pw-dan-123456", role="manager", person_id=org.people["dan"]
    )
    org.users["dan"] = dan.id
    session.commit()
    return org


def user(session: Session, seeded: SeededOrg, name: str) -> User:
    """The login of a seeded person; a member login is created for a person who has none."""
    if name not in seeded.users:
        made = create_user(
            session,
            org=seeded.org,
            username=name,
            password="pw-123456789",
            role="member",
            person_id=seeded.people[name],
        )
        seeded.users[name] = made.id
    found = session.get(User, seeded.users[name])
    assert found is not None
    return found
