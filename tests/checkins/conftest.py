"""Fixtures for check-in tests: the seeded organisation (tests/web/seeding.py) on the ``session`` fixture.

Importing the check-ins models registers their tables on the shared metadata, so ``metadata.create_all`` in
the ``engine`` fixture creates them (store/models.py is to import them too).
"""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tests.web.seeding import SeededOrg, cheap_password_hashes, login_of, seed_org_with_dan

from teamweave.checkins import models as checkins_models

__all__ = ["cheap_password_hashes", "checkins_models"]


@pytest.fixture(autouse=True)
def _cheap_hashes(cheap_password_hashes: None) -> None:
    """Seeding creates logins: use the cheap argon2 profile."""


@pytest.fixture
def seeded(session: Session) -> SeededOrg:
    """The seeded org, plus a login for Dan (manager of Data)."""
    return seed_org_with_dan(session)


user = login_of
"""The login of a seeded person (a member login is created for one who has none)."""
