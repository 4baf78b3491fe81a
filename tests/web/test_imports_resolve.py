"""Resolving an identity on the Imports page: people-admins and admins only, CSRF-checked, audited; bots are
listed apart and cannot be resolved."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.web.conftest import csrf_of, log_in
from tests.web.seeding import SeededOrg

from teamweave.audit.models import AuditEntry
from teamweave.imports import service
from teamweave.imports.models import Identity
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope


def _ids(runtime: Runtime) -> dict[str, int]:
    """The seeded ``@ghost`` identity and a bot added here, by name."""
    with session_scope(runtime.sessions) as session:
        bot = service.add_identity(
            session, org="default", source="slack", pseudonym="id-bot", label="bot deploy", is_bot=True, run_id=None
        )
        session.flush()
        ghost = session.execute(select(Identity).where(Identity.pseudonym == "id-ghost")).scalar_one()
        return {"ghost": ghost.id, "bot": bot.id}


@pytest.fixture
def ids(runtime: Runtime, seeded: SeededOrg) -> dict[str, int]:
    return _ids(runtime)


def _person_of(runtime: Runtime, identity_id: int) -> int | None:
    with session_scope(runtime.sessions) as session:
        return session.execute(select(Identity.person_id).where(Identity.id == identity_id)).scalar_one()


def _audit(runtime: Runtime, action: str) -> list[tuple[int, str, str, str | None]]:
    with session_scope(runtime.sessions) as session:
        stmt = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        return [(e.viewer_user_id, e.viewer_role, e.subject_id, e.path) for e in session.execute(stmt).scalars()]


def _resolve(client: TestClient, identity_id: int, email: str, *, csrf: str | None) -> int:
    data = {"email": email} if csrf is None else {"email": email, "csrf_token": csrf}
    response = client.post(f"/imports/identities/{identity_id}/resolve", data=data)
    if response.status_code == 303:
        assert response.headers["location"] == "/imports"
    return response.status_code


@pytest.mark.parametrize("username", ["pat", "root"])
def test_people_admins_resolve_an_identity_and_it_is_audited(
    client: TestClient, runtime: Runtime, seeded: SeededOrg, ids: dict[str, int], username: str
) -> None:
    log_in(client, username)
    page = client.get("/imports")
    assert page.status_code == 200
    assert f'action="/imports/identities/{ids["ghost"]}/resolve"' in page.text
    assert f"/imports/identities/{ids['bot']}/resolve" not in page.text  # a bot has no form

    assert _resolve(client, ids["ghost"], "alice@example.org", csrf=csrf_of(page.text)) == 303

    assert _person_of(runtime, ids["ghost"]) == seeded.people["alice"]
    role = "people-admin" if username == "pat" else "admin"
    path = f"/imports/identities/{ids['ghost']}/resolve"
    assert _audit(runtime, "resolve_identity") == [(seeded.users[username], role, str(ids["ghost"]), path)]
    after = client.get("/imports")
    assert "@ghost" not in after.text
    assert "bot deploy" in after.text


@pytest.mark.parametrize(("username", "page"), [("alice", "/me"), ("mia", "/teams"), ("port", "/org")])
def test_other_roles_are_refused(
    client: TestClient, runtime: Runtime, ids: dict[str, int], username: str, page: str
) -> None:
    log_in(client, username)
    csrf = csrf_of(client.get(page).text)
    assert _resolve(client, ids["ghost"], "alice@example.org", csrf=csrf) == 403
    assert _person_of(runtime, ids["ghost"]) is None
    assert _audit(runtime, "resolve_identity") == []


def test_anonymous_and_csrf_less_requests_are_refused(
    client: TestClient, runtime: Runtime, ids: dict[str, int]
) -> None:
    assert _resolve(client, ids["ghost"], "alice@example.org", csrf=None) == 403
    log_in(client, "pat")
    client.get("/imports")
    assert _resolve(client, ids["ghost"], "alice@example.org", csrf=None) == 403
    assert _resolve(client, ids["ghost"], "alice@example.org", csrf="forged") == 403
    assert _person_of(runtime, ids["ghost"]) is None
    assert _audit(runtime, "resolve_identity") == []


def test_bots_unknown_people_and_unknown_identities_are_expected_errors(
    client: TestClient, runtime: Runtime, ids: dict[str, int]
) -> None:
    log_in(client, "pat")
    page = client.get("/imports")
    csrf = csrf_of(page.text)
    assert re.search(r"Bots and tools.*bot deploy", page.text, re.S)
    assert _resolve(client, ids["bot"], "alice@example.org", csrf=csrf) == 409
    assert _resolve(client, ids["ghost"], "nobody@example.org", csrf=csrf) == 404
    assert _resolve(client, ids["ghost"], "", csrf=csrf) == 400
    assert _resolve(client, 999999, "alice@example.org", csrf=csrf) == 404
    assert _person_of(runtime, ids["bot"]) is None
    assert _person_of(runtime, ids["ghost"]) is None
    assert _audit(runtime, "resolve_identity") == []
