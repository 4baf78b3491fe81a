"""Fixtures for celebration tests: the seeded organisation (tests/web/seeding.py) on the ``session`` fixture.

Every seeded person started on 2022-01-10 except Erin (2026-09-01) and Frank (2026-08-15), so the week of
Monday 2027-01-04 holds the fifth work anniversary of most of them on Sunday 2027-01-10.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tests.web.seeding import SeededOrg, cheap_password_hashes, seed_org

from teamweave.accounts.models import User
from teamweave.accounts.service import create_user

__all__ = ["cheap_password_hashes"]

ORG = "default"


@pytest.fixture(autouse=True)
def _cheap_hashes(cheap_password_hashes: None) -> None:
    """Seeding creates logins: use the cheap argon2 profile."""


@pytest.fixture
def seeded(session: Session) -> SeededOrg:
    org = seed_org(session, org=ORG)
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
