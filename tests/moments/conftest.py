"""Fixtures for celebration tests: the seeded organisation (tests/web/seeding.py) on the ``session`` fixture.

Every seeded person started on 2022-01-10 except Erin (2026-09-01) and Frank (2026-08-15), so the week of
Monday 2027-01-04 holds the fifth work anniversary of most of them on Sunday 2027-01-10.
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tests.web.seeding import SeededOrg, cheap_password_hashes, login_of, seed_org

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


user = login_of
"""The login of a seeded person (a member login is created for one who has none)."""
