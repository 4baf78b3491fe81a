"""Logins: argon2 hashes, authentication, roles."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session
from tests.web.seeding import cheap_password_hashes

from teamweave.accounts import service
from teamweave.accounts.models import Role
from teamweave.errors import InputFormatError, NotAuthenticated, NotFound
from teamweave.people.models import Person

__all__ = ["cheap_password_hashes"]


def test_create_and_authenticate(session: Session) -> None:
    """The production argon2 profile (the other tests use a cheap one)."""
    user = service.create_user(session, org="o", username="ana", password="long enough", role="people-admin")
    session.commit()
    assert user.password_hash.startswith("$argon2id$")
    assert "long enough" not in user.password_hash
    found = service.authenticate(session, org="o", username="ana", password="long enough")
    assert found.id == user.id
    assert found.role == Role.PEOPLE_ADMIN
    assert found.last_login_at is not None
    assert service.get_user(session, org="o", user_id=user.id).username == "ana"


@pytest.mark.usefixtures("cheap_password_hashes")
@pytest.mark.parametrize(("username", "password"), [("ana", "wrong password"), ("nobody", "long enough")])
def test_wrong_credentials_get_one_message(session: Session, username: str, password: str) -> None:
    service.create_user(session, org="o", username="ana", password="long enough", role="member")
    with pytest.raises(NotAuthenticated, match="wrong username or password"):
        service.authenticate(session, org="o", username=username, password=password)


@pytest.mark.usefixtures("cheap_password_hashes")
def test_users_are_per_org(session: Session) -> None:
    service.create_user(session, org="o", username="ana", password="long enough", role="member")
    with pytest.raises(NotAuthenticated):
        service.authenticate(session, org="other", username="ana", password="long enough")
    with pytest.raises(NotFound):
        service.get_user(session, org="other", user_id=1)


@pytest.mark.usefixtures("cheap_password_hashes")
def test_bad_input_is_refused(session: Session) -> None:
    with pytest.raises(InputFormatError, match="unknown role"):
        service.create_user(session, org="o", username="x", password="long enough", role="boss")
    with pytest.raises(InputFormatError, match="too short"):
        service.create_user(session, org="o", username="x", password="short", role="member")
    service.create_user(session, org="o", username="x", password="long enough", role="member")
    with pytest.raises(InputFormatError, match="already exists"):
        service.create_user(session, org="o", username="x", password="long enough", role="member")


@pytest.mark.usefixtures("cheap_password_hashes")
def test_a_person_has_at_most_one_login(session: Session) -> None:
    person = Person(org="o", email="a@x.org", name="A", pseudonym="pa", timezone="UTC")
    session.add(person)
    session.flush()
    service.create_user(session, org="o", username="a", password="long enough", role="member", person_id=person.id)
    with pytest.raises(InputFormatError, match="already has a login"):
        service.create_user(session, org="o", username="b", password="long enough", role="member", person_id=person.id)
    assert [u.username for u in service.list_users(session, org="o")] == ["a"]
