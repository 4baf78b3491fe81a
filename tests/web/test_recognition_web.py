"""Recognition on the web with TestClient on the migrated schema: the form, the feeds, a person's own page, the
manager's equity view and the JSON API (with CSRF)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import csrf_of, log_in
from tests.web.seeding import SeededOrg

from teamweave.privacy.thresholds import TOO_FEW_PEOPLE
from teamweave.recognition import service as recognition
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

NOTE = "Thank you for staying late with me on the migration."


def _give(client: TestClient, **form: str) -> tuple[int, str, str]:
    page = client.get("/recognition/give")
    assert page.status_code == 200
    data = {"value": "Care", "message": "Thanks for the pairing", "visibility": "public", **form}
    response = client.post("/recognition/give", data={**data, "csrf_token": csrf_of(page.text)})
    return response.status_code, response.headers.get("location", ""), response.text


def _not_recognised(html: str) -> list[str]:
    section = html.split('id="not-recognised"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<td class="name">([^<]+)</td>', section)


def test_a_member_gives_public_recognition_and_it_shows_in_the_feeds(
    client: TestClient, seeded: SeededOrg, runtime: Runtime
) -> None:
    log_in(client, "alice")
    status, location, _ = _give(
        client, person_id=str(seeded.people["bob"]), value="Craft", message="Great <b>review</b>"
    )
    assert (status, location) == (303, "/recognition?given=1")
    log_in(client, "pat")  # someone of another team sees it too
    feed = client.get("/recognition").text
    assert 'Alice</strong> recognised <strong class="receiver">Bob' in feed
    assert "Great &lt;b&gt;review&lt;/b&gt;" in feed
    assert "Great <b>review" not in feed
    assert "Great &lt;b&gt;" in client.get(f"/recognition/teams/{seeded.teams['Platform']}").text
    assert "Great &lt;b&gt;" not in client.get(f"/recognition/teams/{seeded.teams['Data']}").text
    assert runtime.events.count("default") == 0  # its interaction event is written in a batch before analysing
    with session_scope(runtime.sessions) as session:
        recorded = recognition.record_events(
            session, org="default", events=runtime.events, pseudonymiser=runtime.pseudonymiser
        )
    assert (recorded.added, runtime.events.count("default")) == (1, 1)


def test_private_recognition_and_the_note_stay_with_the_people_concerned(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "alice")
    status, location, _ = _give(client, person_id=str(seeded.people["bob"]), visibility="private", note=NOTE)
    assert (status, location) == (303, "/recognition/mine?given=1")
    given = client.get("/recognition/mine").text
    assert "Thanks for the pairing" in given
    assert NOTE not in given
    assert "You added a personal note." in given
    log_in(client, "bob")
    assert NOTE in client.get("/recognition/mine").text
    log_in(client, "mia")  # bob's manager
    assert "Thanks for the pairing" not in client.get("/recognition").text
    assert "Thanks for the pairing" not in client.get("/recognition/mine").text
    assert "Thanks for the pairing" not in client.get(f"/recognition/teams/{seeded.teams['Platform']}").text


def test_a_bad_value_redisplays_the_form_naming_the_field(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "alice")
    status, _, html = _give(client, person_id=str(seeded.people["bob"]), value="Speed", message="kept text")
    assert status == 422
    assert "value &#39;Speed&#39; is not one of the company values" in html
    assert "kept text" in html
    status, _, html = _give(client, person_id=str(seeded.people["bob"]), team_id=str(seeded.teams["Data"]))
    assert status == 422
    assert "either one person or one team" in html


def test_the_api_gives_with_csrf_and_lists_the_feeds(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "alice")
    body = {"to_email": "bob@example.org", "value": "ownership", "message": "Shipped it", "note": NOTE}
    assert client.post("/api/recognition", json=body).status_code == 403
    token = csrf_of(client.get("/recognition/give").text)
    created = client.post("/api/recognition", json=body, headers={"X-CSRF-Token": token})
    assert created.status_code == 201, created.text
    assert created.json()["to"] == "Bob"
    assert created.json()["value"] == "Ownership"
    assert "note" not in created.json()
    bad = client.post("/api/recognition", json={**body, "value": "Speed"}, headers={"X-CSRF-Token": token})
    assert bad.status_code == 422
    assert "value 'Speed'" in bad.json()["error"]
    team = {"team": "Data", "value": "Care", "message": "Team effort", "public": False}
    assert client.post("/api/recognition", json=team, headers={"X-CSRF-Token": token}).status_code == 201
    feed = client.get("/api/recognition/feed").json()["items"]
    assert [(i["giver"], i["to"], i["message"]) for i in feed] == [("Alice", "Bob", "Shipped it")]
    data = client.get(f"/api/recognition/feed?team_id={seeded.teams['Data']}").json()
    assert data == {"team": "Data", "items": []}
    log_in(client, "bob")
    received = client.get("/api/recognition/mine").json()["received"]
    assert received[0]["note"] == NOTE


def test_the_api_needs_a_login(client: TestClient) -> None:
    response = client.get("/api/recognition/feed")
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_the_equity_view_is_a_managers_nudge_about_their_own_reports(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "alice")
    assert client.get("/recognition/equity").status_code == 403
    _give(client, person_id=str(seeded.people["bob"]))
    log_in(client, "mia")
    html = client.get("/recognition/equity").text
    assert _not_recognised(html) == ["Alice", "Carol", "Dave", "Erin", "Frank", "Gina", "Uma", "Vic"]
    assert "Tess" not in html  # not mia's report
    assert 'id="my-giving"' in html
    sites = html.split('id="sites"', 1)[1]
    assert "<td>Austin</td>" in sites
    assert TOO_FEW_PEOPLE in sites
    log_in(client, "root")  # an admin without a person: the aggregates only
    admin = client.get("/recognition/equity")
    assert admin.status_code == 200
    assert 'id="not-recognised"' not in admin.text
    audit = client.get("/audit").text
    assert "view_recognition_equity" in audit
    assert "view_recognition_distribution" in audit


ROLES = ("anonymous", "alice", "mia", "pat", "root", "port")  # member, manager, people-admin, admin, portfolio


@pytest.mark.parametrize("role", ROLES)
def test_every_recognition_route_as_every_role(client: TestClient, seeded: SeededOrg, role: str) -> None:
    platform = seeded.teams["Platform"]
    #          path                                   anon alice mia  pat  root port
    table = [
        ("/recognition", (302, 200, 200, 200, 200, 403)),
        ("/recognition/give", (302, 200, 200, 200, 403, 403)),
        (f"/recognition/teams/{platform}", (302, 200, 200, 200, 200, 403)),
        ("/recognition/teams/999999", (302, 404, 404, 404, 404, 403)),
        ("/recognition/mine", (302, 200, 200, 200, 403, 403)),
        ("/recognition/equity", (302, 403, 200, 200, 200, 403)),
        ("/api/recognition/feed", (401, 200, 200, 200, 200, 403)),
        (f"/api/recognition/feed?team_id={platform}", (401, 200, 200, 200, 200, 403)),
        ("/api/recognition/mine", (401, 200, 200, 200, 403, 403)),
    ]
    if role != "anonymous":
        log_in(client, role)
    column = ROLES.index(role)
    failures = [
        f"{path}: {status} != {codes[column]}"
        for path, codes in table
        if (status := client.get(path).status_code) != codes[column]
    ]
    assert not failures, f"as {role}: " + "; ".join(failures)


def test_a_portfolio_viewer_reads_no_recognition_by_name(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "alice")
    _give(client, person_id=str(seeded.people["bob"]), message="Thanks for the pairing")
    log_in(client, "port")
    for path in ("/recognition", f"/recognition/teams/{seeded.teams['Platform']}", "/api/recognition/feed"):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "Thanks for the pairing" not in response.text


@pytest.mark.parametrize("visibility", ["Private", "secret", "pub"])
def test_a_visibility_other_than_public_or_private_is_refused(
    client: TestClient, seeded: SeededOrg, runtime: Runtime, visibility: str
) -> None:
    log_in(client, "alice")
    status, _, html = _give(client, person_id=str(seeded.people["bob"]), visibility=visibility)
    assert status == 422
    assert "choose public or private" in html
    log_in(client, "pat")
    assert "Thanks for the pairing" not in client.get("/recognition").text


def test_the_navigation_offers_recognition_and_celebrations_to_people_not_portfolio_viewers(
    client: TestClient, seeded: SeededOrg
) -> None:
    log_in(client, "alice")
    member = client.get("/tone").text
    assert 'href="/recognition"' in member
    assert 'href="/celebrations"' in member
    log_in(client, "port")
    portfolio = client.get("/tone").text
    assert 'href="/recognition"' not in portfolio
    assert 'href="/celebrations"' not in portfolio
