"""What the pages show, what they never show, and the audit entries they write."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import delete, select, update
from tests.web.conftest import csrf_of, log_in
from tests.web.seeding import LATEST_MONTH, WEEKS, SeededOrg

from teamweave.analytics.windows import window_name
from teamweave.audit.models import AuditEntry
from teamweave.network.models import NewHireIntegration, PersonMetric, TeamMetric
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
    assert page.text.count("<svg") == 10
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
    # Austin (2 people), Lisbon (the rest: 6), the new hires (2) and the newcomers' curve (no newcomers in the data)
    assert text.count(TOO_FEW_PEOPLE) == 4
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
    client.get(f"/teams/{seeded.teams['Platform']}")
    page = client.get("/audit")
    assert "view_org_map" in page.text
    assert "<td>team Platform</td>" in page.text  # the team's name, not its id
    assert "<td>root</td>" in page.text  # the viewer's login, not their user id


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
    assert f"In {window_name(LATEST_MONTH, period='month')} there were no interactions of yours" in text
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


def test_my_page_says_what_changed_with_evidence_and_marks_it(
    client: TestClient, seeded: SeededOrg, runtime: Runtime
) -> None:
    """Alice's weekly ties hover around 11, then fall to 0 in the last week: flagged and explained."""
    with session_scope(runtime.sessions) as session:
        for week, ties in zip(WEEKS, [10, 12, 11, 13, 9, 11, 10, 0], strict=True):
            extra = {"new_ties": 0, "lost_ties": 10, "chat_share": 0.5, "meeting_share": 0.5} if ties == 0 else {}
            session.execute(
                update(PersonMetric)
                .where(PersonMetric.pseudonym == "ps-alice", PersonMetric.period == "week")
                .where(PersonMetric.window_start == week)
                .values(ties=ties, strong_ties=ties // 3, weak_ties=ties - ties // 3, **extra)
            )
    log_in(client, "alice")
    text = client.get("/me").text
    assert f"Your ties fell to 0 in {window_name(WEEKS[-1], period='week')}" in text
    assert "robust z-score" in text
    assert 'class="change-mark"' in text
    assert "New and lost ties per week" in text
    api = client.get("/api/me/connections?period=week").json()
    falls = [c for c in api["changes"] if c["metric"] == "ties" and c["direction"] == "down"]
    assert falls
    assert falls[0]["window_start"] == WEEKS[-1].isoformat()
    assert falls[0]["evidence"].startswith("Your ties fell to 0")
    assert api["windows"][-1]["lost_ties"] == 10
    assert api["windows"][-1]["chat_share"] == 0.5


def test_my_page_shows_my_channel_mix(client: TestClient, runtime: Runtime) -> None:
    with session_scope(runtime.sessions) as session:
        session.execute(
            update(PersonMetric)
            .where(
                PersonMetric.pseudonym == "ps-alice",
                PersonMetric.period == "month",
                PersonMetric.window_start == LATEST_MONTH,
            )
            .values(chat_share=0.6, email_share=0.1, meeting_share=0.2, code_review_share=0.1, in_person_share=0.0)
        )
    log_in(client, "alice")
    text = client.get("/me").text
    assert "Your channel mix, latest month" in text
    assert "meetings: 20%</title>" in text
    assert "in person: 0%</title>" in text


def _weekly_team(runtime: Runtime, team_id: int, members: int, mean_ties: list[float]) -> None:
    with session_scope(runtime.sessions) as session:
        for week, value in zip(WEEKS, mean_ties, strict=True):
            session.add(
                TeamMetric(
                    org="default", period="week", window_start=week, team_id=team_id, members=members,
                    density=0.5, ei_index=0.0, external_share=0.3, no_strong_tie=0, human_share=0.8,
                    after_hours_share=0.1, mean_ties=value, mean_new_ties=1.0, mean_lost_ties=1.0,
                    chat_share=0.7, email_share=0.1, meeting_share=0.2, code_review_share=0.0, in_person_share=0.0,
                )
            )  # fmt: skip


def test_team_page_flags_a_fall_in_aggregates(client: TestClient, seeded: SeededOrg, runtime: Runtime) -> None:
    _weekly_team(runtime, seeded.teams["Platform"], 8, [6.0, 6.5, 6.0, 6.5, 6.0, 6.5, 6.0, 2.0])
    log_in(client, "mia")
    text = client.get(f"/teams/{seeded.teams['Platform']}?period=week").text
    assert f"The team&#39;s ties per member fell to 2 in {window_name(WEEKS[-1], period='week')}" in text
    assert 'class="change-mark"' in text
    assert "Channel mix of the team, latest window" in text
    assert "chat: 70%</title>" in text
    body = client.get(f"/api/teams/{seeded.teams['Platform']}/health?period=week").json()
    assert any(c["metric"] == "mean_ties" and c["direction"] == "down" for c in body["changes"])
    assert body["trend"][-1]["mean_ties"] == 2.0
    assert body["trend"][-1]["chat_share"] == 0.7


def test_a_team_under_k_shows_no_changes_or_mix(client: TestClient, seeded: SeededOrg, runtime: Runtime) -> None:
    _weekly_team(runtime, seeded.teams["Tiny"], 2, [6.0, 6.5, 6.0, 6.5, 6.0, 6.5, 6.0, 2.0])
    log_in(client, "pat")
    text = client.get(f"/teams/{seeded.teams['Tiny']}?period=week").text
    assert TOO_FEW_PEOPLE in text
    assert "fell to" not in text
    assert "Channel mix" not in text
    body = client.get(f"/api/teams/{seeded.teams['Tiny']}/health?period=week").json()
    assert body == {
        **{k: body[k] for k in ("team_id", "team", "period", "window_start", "k")},
        "too_few": True,
        "message": TOO_FEW_PEOPLE,
    }


def test_team_page_shows_shared_working_hours(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "mia")
    text = client.get(f"/teams/{seeded.teams['Platform']}").text
    assert "Shared working hours" in text
    assert "the team spans 2 time zones" in text


def test_only_i_see_the_bridges_i_carry(client: TestClient, seeded: SeededOrg, runtime: Runtime) -> None:
    data = seeded.teams["Data"]
    with session_scope(runtime.sessions) as session:
        session.execute(
            update(PersonMetric)
            .where(PersonMetric.pseudonym == "ps-alice", PersonMetric.period == "month")
            .where(PersonMetric.window_start == LATEST_MONTH)
            .values(cut_point=True, sole_link_teams=f"{data} 999999")
        )
        session.execute(
            update(TeamMetric)
            .where(TeamMetric.team_id == seeded.teams["Platform"], TeamMetric.window_start == LATEST_MONTH)
            .values(cut_points=2, thin_links=1)
        )
    log_in(client, "alice")
    text = client.get("/me").text
    assert "You are your team&#39;s only link to Data, team 999999" in text
    assert "If you left, some people would lose their only path" in text
    log_in(client, "bob")
    assert "only link to" not in client.get("/me").text
    log_in(client, "mia")
    team = client.get(f"/teams/{seeded.teams['Platform']}").text
    assert "Bridges: what breaks if one person leaves" in team
    assert "Alice" not in team
    assert "ps-alice" not in team
    assert "fewer than 5" in team  # two cut points: a count of 1..k-1 people is not shown
    body = client.get(f"/api/teams/{seeded.teams['Platform']}/health").json()
    assert body["trend"][-1]["cut_points"] == "fewer than 5"
    assert body["trend"][-1]["thin_links"] == 1
    assert "ps-alice" not in str(body)


def test_my_first_90_days_and_the_teams_newcomers(client: TestClient, seeded: SeededOrg, runtime: Runtime) -> None:
    platform = seeded.teams["Platform"]
    with session_scope(runtime.sessions) as session:
        for n, name in enumerate(("alice", "bob", "carol", "dave", "gina")):
            session.add(
                NewHireIntegration(
                    org="default", person_id=seeded.people[name], team_id=platform, start_date=date(2026, 6, 1),
                    ties_30=n, ties_60=n + 2, ties_90=None if name == "alice" else n + 4,
                )
            )  # fmt: skip
    log_in(client, "alice")
    text = client.get("/me").text
    assert "Your first 90 days" in text
    assert "not yet" in text  # alice's day 90 is not in the data yet
    log_in(client, "bob")
    assert "Your first 90 days" in client.get("/me").text
    log_in(client, "mia")
    team = client.get(f"/teams/{platform}").text
    assert "Median number of different people the team's 5 newcomers" in team
    assert "by day 30" in team


def test_focus_time_in_plain_words_and_on_the_team_page(
    client: TestClient, seeded: SeededOrg, runtime: Runtime
) -> None:
    with session_scope(runtime.sessions) as session:
        session.execute(
            update(PersonMetric)
            .where(PersonMetric.pseudonym == "ps-alice", PersonMetric.period == "month")
            .where(PersonMetric.window_start == LATEST_MONTH)
            .values(focus_hours=3.5, focus_blocks=1.25)
        )
        session.execute(
            update(TeamMetric)
            .where(TeamMetric.team_id == seeded.teams["Platform"], TeamMetric.window_start == LATEST_MONTH)
            .values(focus_hours=4.25, focus_blocks=1.5)
        )
    log_in(client, "alice")
    text = client.get("/me").text
    assert "your longest stretch without an interaction was 3.5 hours" in text
    assert "Focus time" in text
    log_in(client, "mia")
    assert (
        "Focus: members&#39; mean longest uninterrupted stretch"
        in client.get(f"/teams/{seeded.teams['Platform']}").text
    )
    body = client.get(f"/api/teams/{seeded.teams['Platform']}/health").json()
    assert body["trend"][-1]["focus_hours"] == 4.25


def test_org_page_shows_trends_of_teams_of_at_least_k(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "pat")
    text = client.get("/org").text
    assert "What changed across the organisation" in text
    assert "Ties per person, new and lost" in text
    assert "Channel mix, latest window" in text
    body = client.get("/api/org").json()
    ties = next(t for t in body["trends"] if t["metric"] == "mean_ties")
    assert [p["value"] for p in ties["points"]] == [6.0, 6.0, 6.0]  # Platform and Data; Tiny (2 people) left out
