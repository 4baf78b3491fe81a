"""Sessions stay bound to the account they were issued for, end everywhere at logout, and expire absolutely."""

from __future__ import annotations

import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from tests.web.conftest import csrf_of, log_in
from tests.web.seeding import PASSWORD, SeededOrg

from teamweave.accounts.models import User
from teamweave.accounts.service import create_user, find_user, hash_password
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope
from teamweave.web import security


def test_a_copied_cookie_stops_working_after_logout(client: TestClient) -> None:
    log_in(client, "alice")
    stolen = dict(client.cookies)
    assert client.get("/api/me/connections").status_code == 200
    page = client.get("/me")
    assert client.post("/logout", data={"csrf_token": csrf_of(page.text)}).status_code == 303
    client.cookies.clear()
    client.cookies.update(stolen)
    assert client.get("/api/me/connections").status_code == 401


def test_a_password_change_ends_old_sessions(client: TestClient, runtime: Runtime, seeded: SeededOrg) -> None:
    log_in(client, "alice")
    with session_scope(runtime.sessions) as session:
        user = find_user(session, org=runtime.settings.org, user_id=seeded.users["alice"])
        assert user is not None
        user.password_hash = hash_password("a new passphrase")
    assert client.get("/api/me/connections").status_code == 401


def test_a_cookie_never_acts_as_a_later_account_with_the_same_id(
    client: TestClient, runtime: Runtime, seeded: SeededOrg
) -> None:
    log_in(client, "alice")
    org = runtime.settings.org
    with session_scope(runtime.sessions) as session:
        session.execute(delete(User).where(User.id == seeded.users["alice"]))
    with session_scope(runtime.sessions) as session:
        reused = create_user(session, org=org, username="newcomer", password=PASSWORD, role="people-admin")
        assert reused.id != seeded.users["alice"]  # ids of deleted accounts are not handed out again
        reused.id = seeded.users["alice"]  # and even if an id were reused, the old cookie must not fit it
    assert client.get("/teams").status_code in {302, 303}
    assert client.get("/api/me/connections").status_code == 401


def test_sessions_expire_absolutely(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    log_in(client, "alice")
    assert client.get("/api/me/connections").status_code == 200
    later = time.time() + security.SESSION_MAX_AGE + 60
    monkeypatch.setattr(security.time, "time", lambda: later)
    assert client.get("/api/me/connections").status_code == 401


@pytest.mark.parametrize("username", ["ad\x00min", "alice\r\n", "\x7f"])
def test_control_characters_in_a_username_are_a_failed_login_not_an_error(client: TestClient, username: str) -> None:
    page = client.get("/login")
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": csrf_of(page.text), "next": ""}
    )
    assert response.status_code == 401
