"""The celebrations page end to end with TestClient on the migrated, seeded app; "today" is Monday 2027-01-04,
the week of the fifth work anniversary (Sunday 2027-01-10) of most seeded people."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.web.conftest import csrf_of, log_in
from tests.web.seeding import SeededOrg

from teamweave.audit.models import AuditEntry
from teamweave.moments.models import Moment
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope
from teamweave.web.routes import celebrations

MONDAY = date(2027, 1, 4)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(celebrations, "today", lambda: MONDAY)


def _post(client: TestClient, path: str, **data: str) -> str:
    page = client.get("/celebrations")
    assert page.status_code == 200
    response = client.post(path, data={**data, "csrf_token": csrf_of(page.text)})
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/celebrations?done=")
    return client.get(response.headers["location"] + "&days=7").text


def test_a_member_sees_their_team_and_the_organisation(client: TestClient, runtime: Runtime) -> None:
    log_in(client, "alice")
    page = client.get("/celebrations?days=7")
    assert page.status_code == 200
    team = page.text.split('id="my-team"')[1].split('id="organisation"')[0]
    assert "My team: Platform" in team
    assert "Alice: 5 years with us" in team
    assert "Pat: 5 years with us" not in team  # Data
    org = page.text.split('id="organisation"')[1].split('id="add"')[0]
    assert "Pat: 5 years with us" in org
    assert "Sun 10 Jan" in org
    with session_scope(runtime.sessions) as session:
        audited = session.scalars(select(AuditEntry.subject_kind).where(AuditEntry.action == "view_celebrations"))
        assert sorted(audited) == ["org", "team"]


def test_nothing_in_a_short_window(client: TestClient) -> None:
    log_in(client, "alice")
    page = client.get("/celebrations?days=3").text
    assert "5 years with us" not in page
    assert "Nothing to celebrate in your team" in page
    assert client.get("/celebrations?days=0").status_code == 422


def test_birthday_opt_in_shows_day_and_month_only_and_opt_out_removes_it(client: TestClient) -> None:
    log_in(client, "alice")
    page = _post(client, "/celebrations/birthday", month="1", day="6")
    assert "your team will see the day and month" in page
    assert "Alice: birthday" in page
    assert "Wed 6 Jan" in page
    assert "2000" not in page
    log_in(client, "bob")
    assert "Alice: birthday" in client.get("/celebrations?days=7").text
    log_in(client, "alice")
    page = _post(client, "/celebrations/birthday/clear")
    assert "Your birthday is removed." in page
    assert "Alice: birthday" not in page
    assert "Not shared." in page


def test_an_impossible_birthday_is_refused(client: TestClient) -> None:
    log_in(client, "alice")
    token = csrf_of(client.get("/celebrations").text)
    response = client.post("/celebrations/birthday", data={"month": "2", "day": "30", "csrf_token": token})
    assert response.status_code == 422


def test_a_person_can_hide_their_anniversary(client: TestClient) -> None:
    log_in(client, "alice")
    page = _post(client, "/celebrations/anniversary", hide="1")
    assert "It is <strong>hidden</strong>" in page
    log_in(client, "bob")
    page = client.get("/celebrations?days=7").text
    assert "Alice: 5 years with us" not in page
    assert "Bob: 5 years with us" in page


def test_anyone_adds_a_milestone_and_the_person_it_is_about_deletes_it(
    client: TestClient, seeded: SeededOrg, runtime: Runtime
) -> None:
    log_in(client, "bob")
    page = _post(
        client,
        "/celebrations/milestones",
        person_id=str(seeded.people["alice"]),
        title="<script>alert(1)</script> first release",
        day="2027-01-05",
    )
    assert "Added — thank you for celebrating." in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; first release" in page
    assert "<script>alert(1)" not in page
    with session_scope(runtime.sessions) as session:
        moment_id = session.scalars(select(Moment.id)).one()
    log_in(client, "mia")  # neither the person, nor who entered it, nor an admin
    page = client.get("/celebrations?days=7").text
    assert f"/celebrations/moments/{moment_id}/delete" not in page
    refused = client.post(f"/celebrations/moments/{moment_id}/delete", data={"csrf_token": csrf_of(page)})
    assert refused.status_code == 403
    log_in(client, "alice")
    assert f"/celebrations/moments/{moment_id}/delete" in client.get("/celebrations?days=7").text
    page = _post(client, f"/celebrations/moments/{moment_id}/delete")
    assert "Alice: &lt;script&gt;" not in page
    assert "Deleted." in page


def test_a_team_achievement_shows_for_the_team(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "pat")
    page = _post(
        client, "/celebrations/achievements", team_id=str(seeded.teams["Data"]), title="Launched v2", day="2027-01-08"
    )
    team = page.split('id="my-team"')[1].split('id="organisation"')[0]
    assert "Data: Launched v2" in team


def test_a_login_without_a_person_sees_the_organisation_only(client: TestClient) -> None:
    log_in(client, "root")
    page = client.get("/celebrations?days=7")
    assert page.status_code == 200
    assert 'id="my-team"' not in page.text
    assert 'id="mine"' not in page.text
    assert "Alice: 5 years with us" in page.text
    token = csrf_of(page.text)
    assert (
        client.post("/celebrations/birthday", data={"month": "1", "day": "1", "csrf_token": token}).status_code == 403
    )


def test_anonymous_visitors_are_sent_to_log_in_and_posts_need_the_csrf_token(client: TestClient) -> None:
    response = client.get("/celebrations")
    assert response.status_code == 302
    assert response.headers["location"].startswith("/login")
    log_in(client, "alice")
    assert client.post("/celebrations/birthday", data={"month": "1", "day": "6"}).status_code == 403


def test_a_portfolio_viewer_sees_no_celebrations_and_adds_none(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "port")
    page = client.get("/celebrations?days=7")
    assert page.status_code == 403
    assert "5 years with us" not in page.text
    token = csrf_of(client.get("/tone").text)
    milestone = {"person_id": str(seeded.people["alice"]), "title": "Shipped", "day": "2027-01-05"}
    assert client.post("/celebrations/milestones", data={**milestone, "csrf_token": token}).status_code == 403
