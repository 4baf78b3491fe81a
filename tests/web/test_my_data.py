"""A person downloads their own data from the web app (/me/data.json): only their own, and the download is
audited."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.web.conftest import log_in
from tests.web.seeding import SeededOrg

from teamweave.audit.models import AuditEntry
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
