"""What the pages show, what they never show, and the audit entries they write."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import delete, select
from tests.web.conftest import csrf_of, log_in
from tests.web.seeding import LATEST_MONTH, SeededOrg

from teamweave.audit.models import AuditEntry
from teamweave.network.models import PersonMetric
from teamweave.people.models import Team
from teamweave.privacy.thresholds import TOO_FEW_PEOPLE
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope
from teamweave.web.app import create_app


def _audit(runtime: Runtime) -> list[AuditEntry]:
    with session_scope(runtime.sessions) as session:
        return list(session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars())


def test_my_connections_shows_charts_and_plain_words(client: TestClient) -> None:
    log_in(client, "alice")
    page = client.get("/me")
    assert page.status_code == 200
    assert "Only you can see this page" in page.text
    assert page.text.count("<svg") == 3
    assert "you were in touch with" in page.text
    assert "more than the month before" in page.text
    assert "80% of your interactions were with people" in page.text
    api = client.get("/api/me/connections?period=week").json()
    assert len(api["windows"]) == 8


def test_own_page_views_are_not_audited_but_team_org_and_imports_views_are(
    client: TestClient, seeded: SeededOrg, runtime: Runtime
) -> None:
    log_in(client, "alice")
    client.get("/me")
    assert _audit(runtime) == []
    log_in(client, "pat")
    client.get(f"/teams/{seeded.teams['Data']}")
    client.get(f"/api/teams/{seeded.teams['Platform']}/health")
    client.get("/org")
    client.get("/imports")
    entries = _audit(runtime)
    got = [(e.viewer_user_id, e.viewer_role, e.action, e.subject_kind, e.subject_id, e.path) for e in entries]
    pat = seeded.users["pat"]
    assert got == [
        (pat, "people-admin", "view_team_health", "team", str(seeded.teams["Data"]), f"/teams/{seeded.teams['Data']}"),
        (
            pat,
            "people-admin",
            "view_team_health",
            "team",
            str(seeded.teams["Platform"]),
            f"/api/teams/{seeded.teams['Platform']}/health",
        ),
        (pat, "people-admin", "view_org_map", "org", "default", "/org"),
        (pat, "people-admin", "view_imports", "imports", "default", "/imports"),
    ]


def test_refused_views_write_nothing(client: TestClient, seeded: SeededOrg, runtime: Runtime) -> None:
    log_in(client, "mia")
    assert client.get(f"/teams/{seeded.teams['Data']}").status_code == 403
    assert _audit(runtime) == []


def test_team_health_shows_aggregates_and_too_few_for_small_slices(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "mia")
    page = client.get(f"/teams/{seeded.teams['Platform']}")
    assert page.status_code == 200
    text = page.text
    assert "internal density" in text
    assert "E-I index" in text
    assert "members with no strong tie" in text
    assert "site: Lisbon" in text
    assert "site: Austin" in text
    assert "joined in the last 6 months" in text
    assert text.count(TOO_FEW_PEOPLE) == 3  # Austin (2 people), Lisbon (the rest: 6) and the new hires (2)
    for name in ("Alice", "alice@example.org", "ps-alice", "Frank"):
        assert name not in text


def test_team_health_api_says_too_few_and_carries_no_values(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "mia")
    body = client.get(f"/api/teams/{seeded.teams['Platform']}/health").json()
    assert body["too_few"] is False
    assert body["members"] == 8
    slices = {s["label"]: s for s in body["slices"]}
    assert slices["site: Austin"] == {"label": "site: Austin", "too_few": True, "message": TOO_FEW_PEOPLE}
    assert slices["joined in the last 6 months"]["message"] == TOO_FEW_PEOPLE
    assert slices["site: Lisbon"]["too_few"] is True  # the team minus Lisbon would be Austin
    assert body["overall"]["people"] == 8
    tiny = client.get(f"/api/teams/{seeded.teams['Tiny']}/health").json()
    assert tiny["too_few"] is True
    assert tiny["message"] == TOO_FEW_PEOPLE
    assert "members" not in tiny
    assert "slices" not in tiny
    page = client.get(f"/teams/{seeded.teams['Tiny']}")
    assert TOO_FEW_PEOPLE in page.text
    assert "internal density" not in page.text


def test_org_map_shows_teams_never_people_and_hides_small_teams(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "port")
    page = client.get("/org")
    assert page.status_code == 200
    assert page.text.count('class="node"') == 2
    assert "Platform" in page.text
    assert "Data" in page.text
    assert ">Tiny<" not in page.text
    assert "1 team(s) with fewer than 5 people are not shown" in page.text
    assert "Alice" not in page.text
    assert "ps-" not in page.text
    body = client.get("/api/org").json()
    assert {n["name"] for n in body["nodes"]} == {"Platform", "Data"}
    assert len(body["edges"]) == 1
    assert body["hidden_teams"] == 1


def test_imports_page_lists_runs_and_unresolved_identities(client: TestClient) -> None:
    log_in(client, "pat")
    page = client.get("/imports")
    assert "export.zip" in page.text
    assert "message 100" in page.text
    assert "no user" in page.text
    assert "@ghost" in page.text


def test_audit_page_lists_entries(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "root")
    client.get("/org")
    page = client.get("/audit")
    assert "view_org_map" in page.text


def test_team_names_are_escaped(client: TestClient, seeded: SeededOrg, runtime: Runtime) -> None:
    with session_scope(runtime.sessions) as session:
        team = session.get(Team, seeded.teams["Platform"])
        assert team is not None
        team.name = "<script>alert(1)</script>"
    log_in(client, "root")
    for path in ("/org", f"/teams/{seeded.teams['Platform']}", "/teams"):
        text = client.get(path).text
        assert "<script>alert(1)</script>" not in text
        assert "&lt;script&gt;" in text


def test_login_with_a_wrong_password_is_refused(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post(
        "/login", data={"username": "alice", "password": "wrong password", "csrf_token": csrf_of(page.text)}
    )
    assert response.status_code == 401
    assert "wrong username or password" in response.text
    assert client.get("/me").status_code == 302


def test_every_post_needs_the_csrf_token(client: TestClient) -> None:
    client.get("/login")
    refused = client.post("/login", data={"username": "alice", "password": "correct horse battery"})
    assert refused.status_code == 403
    log_in(client, "alice")
    assert client.post("/logout").status_code == 403
    assert client.post("/logout", data={"csrf_token": "forged"}).status_code == 403
    assert client.get("/me").status_code == 200
    token = csrf_of(client.get("/me").text)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 303
    assert client.get("/me").status_code == 302


def test_login_follows_only_local_next(client: TestClient) -> None:
    page = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": "alice",
            "password": "correct horse battery",
            "csrf_token": csrf_of(page.text),
            "next": "//evil.example/",
        },
    )
    assert response.headers["location"] == "/me"


def test_session_cookie_and_security_headers(client: TestClient) -> None:
    page = client.get("/login")
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    csp = page.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "http" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
    assert "<script" not in page.text.replace('<script src="/static/', "")
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/orgmap.js").status_code == 200


def test_a_quiet_latest_month_is_said_plainly_and_drawn_as_zero(
    client: TestClient, seeded: SeededOrg, runtime: Runtime
) -> None:
    with session_scope(runtime.sessions) as session:
        session.execute(
            delete(PersonMetric).where(
                PersonMetric.pseudonym == "ps-alice",
                PersonMetric.period == "month",
                PersonMetric.window_start == LATEST_MONTH,
            )
        )
    log_in(client, "alice")
    text = client.get("/me").text
    assert f"In the month starting {LATEST_MONTH.isoformat()} there were no interactions of yours" in text
    assert f"ties {LATEST_MONTH.isoformat()}: 0</title>" in text


def test_weekly_views(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "mia")
    page = client.get(f"/teams/{seeded.teams['Platform']}?period=week")
    assert page.status_code == 200
    assert "week starting" in page.text
    body = client.get(f"/api/teams/{seeded.teams['Platform']}/health?period=week").json()
    assert body["period"] == "week"
    assert body["overall"]["people"] == 8
    assert client.get("/api/org?period=week").json()["nodes"] == []


def test_secure_cookies_when_configured(runtime: Runtime, seeded: SeededOrg) -> None:
    settings = runtime.settings.model_copy(update={"secure_cookies": True})
    with TestClient(create_app(settings, runtime=runtime), base_url="https://testserver") as secure:
        assert "secure" in secure.get("/login").headers["set-cookie"].lower()
