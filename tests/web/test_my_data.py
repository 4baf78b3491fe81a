"""A person downloads their own data from the web app (/me/data.json): only their own, and the download is
audited; and leaves the analytics, or comes back, themself (/me/analytics)."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.web.conftest import csrf_of, log_in
from tests.web.seeding import SeededOrg

from teamweave.audit.models import AuditEntry
from teamweave.people.models import Person
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope


def test_a_person_downloads_everything_held_about_them(client: TestClient, seeded: SeededOrg, runtime: Runtime) -> None:
    log_in(client, "alice")
    page = client.get("/me")
    assert 'href="/me/data.json"' in page.text
    response = client.get("/me/data.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["content-disposition"] == 'attachment; filename="teamweave-my-data.json"'
    assert response.headers["cache-control"] == "no-store"
    data = json.loads(response.content)
    assert data["person"]["email"] == "alice@example.org"
    assert [(a["username"], a["role"]) for a in data["accounts"]] == [("alice", "member")]
    assert {"checkins", "recognition", "celebrations", "notifications", "metrics"} <= data.keys()
    assert "bob@example.org" not in response.text  # nobody else's data
    with session_scope(runtime.sessions) as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "export_own_data")).one()
        assert (entry.viewer_user_id, entry.subject_kind, entry.subject_id) == (
            seeded.users["alice"],
            "person",
            str(seeded.people["alice"]),
        )
    assert [v["action"] for v in data["views_of_your_data"]] == ["export_own_data"]  # this download itself
    again = json.loads(client.get("/me/data.json").content)
    assert [v["action"] for v in again["views_of_your_data"]] == ["export_own_data"] * 2


def test_logins_without_a_person_have_no_personal_data(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "root")
    assert client.get("/me/data.json").status_code == 404


def test_a_person_leaves_the_analytics_and_comes_back(client: TestClient, seeded: SeededOrg, runtime: Runtime) -> None:
    log_in(client, "alice")
    page = client.get("/me")
    assert "Leave me out of the analytics" in page.text
    left = client.post("/me/analytics", data={"choice": "out", "csrf_token": csrf_of(page.text)})
    assert left.status_code == 303
    assert left.headers["location"] == "/me?done=analytics-out#my-data"
    page = client.get(left.headers["location"])
    assert "the next analysis leaves you out of every metric" in page.text
    assert "You are left out of the analytics" in page.text
    with session_scope(runtime.sessions) as session:
        assert _opted_out(session) == {"alice"}
    back = client.post("/me/analytics", data={"choice": "in", "csrf_token": csrf_of(page.text)})
    assert back.headers["location"] == "/me?done=analytics-in#my-data"
    assert "The analytics count you" in client.get("/me").text
    with session_scope(runtime.sessions) as session:
        assert _opted_out(session) == set()
    assert client.post("/me/analytics", data={"choice": "maybe", "csrf_token": csrf_of(page.text)}).status_code == 422


def test_logins_without_a_person_cannot_leave_the_analytics(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "root")
    page = client.get("/tone")
    assert client.post("/me/analytics", data={"choice": "out", "csrf_token": csrf_of(page.text)}).status_code == 404


def _opted_out(session: Session) -> set[str]:
    return {p.email.split("@")[0] for p in session.scalars(select(Person).where(Person.analytics_opt_out))}
