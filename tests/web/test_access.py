"""Every route as every role: the expected status, and no page of one person reachable by anyone else."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.web.conftest import log_in
from tests.web.seeding import SeededOrg

from teamweave.web.app import ROUTE_MODULES

ROLES = ("anonymous", "alice", "mia", "pat", "root", "port")  # member, manager, people-admin, admin, portfolio


def _expected(seeded: SeededOrg) -> dict[str, dict[str, int]]:
    platform, data, tiny = (seeded.teams[n] for n in ("Platform", "Data", "Tiny"))
    alice, bob = seeded.people["alice"], seeded.people["bob"]
    #          path                                   anon alice mia  pat  root port
    table: list[tuple[str, tuple[int, ...]]] = [
        ("/", (302, 302, 302, 302, 302, 302)),
        ("/login", (200, 302, 302, 302, 302, 302)),
        ("/me", (302, 200, 200, 200, 404, 404)),
        (f"/people/{alice}/connections", (302, 200, 403, 403, 403, 403)),
        (f"/people/{bob}/connections", (302, 403, 403, 403, 403, 403)),
        (f"/people/{seeded.people['mia']}/connections", (302, 403, 200, 403, 403, 403)),
        ("/api/me/connections", (401, 200, 200, 200, 404, 404)),
        ("/me/data.json", (302, 200, 200, 200, 404, 404)),
        ("/teams", (302, 403, 200, 200, 200, 403)),
        (f"/teams/{platform}", (302, 403, 200, 200, 200, 403)),
        (f"/teams/{tiny}", (302, 403, 200, 200, 200, 403)),
        (f"/teams/{data}", (302, 403, 403, 200, 200, 403)),
        (f"/api/teams/{platform}/health", (401, 403, 200, 200, 200, 403)),
        (f"/api/teams/{data}/health", (401, 403, 403, 200, 200, 403)),
        ("/teams/999999", (302, 403, 403, 404, 404, 403)),
        ("/org", (302, 403, 200, 200, 200, 200)),
        ("/api/org", (401, 403, 200, 200, 200, 200)),
        ("/imports", (302, 403, 403, 200, 200, 403)),
        ("/audit", (302, 403, 403, 403, 200, 403)),
        ("/tone", (302, 200, 200, 200, 200, 200)),
        ("/checkins", (302, 200, 200, 200, 404, 404)),
        ("/checkins/reports", (302, 403, 200, 200, 404, 403)),
        (f"/checkins/reports/{alice}", (302, 403, 200, 403, 403, 403)),
        (f"/checkins/reports/{seeded.people['quinn']}", (302, 403, 403, 403, 403, 403)),
        ("/checkins/reports/999999", (302, 403, 404, 404, 404, 403)),
        ("/checkins/teams", (302, 403, 200, 200, 200, 403)),
        ("/checkins/cadence", (302, 403, 200, 200, 404, 403)),
        ("/recognition", (302, 200, 200, 200, 200, 403)),
        ("/recognition/give", (302, 200, 200, 200, 403, 403)),
        (f"/recognition/teams/{platform}", (302, 200, 200, 200, 200, 403)),
        ("/recognition/teams/999999", (302, 404, 404, 404, 404, 403)),
        ("/recognition/mine", (302, 200, 200, 200, 403, 403)),
        ("/recognition/equity", (302, 403, 200, 200, 200, 403)),
        ("/api/recognition/feed", (401, 200, 200, 200, 200, 403)),
        ("/api/recognition/mine", (401, 200, 200, 200, 403, 403)),
        ("/celebrations", (302, 200, 200, 200, 200, 403)),
        ("/inbox", (302, 200, 200, 200, 404, 404)),
        ("/unsubscribe?token=forged", (422, 422, 422, 422, 422, 422)),
        ("/no-such-page", (404, 404, 404, 404, 404, 404)),
    ]
    return {path: dict(zip(ROLES, codes, strict=True)) for path, codes in table}


@pytest.mark.parametrize("role", ROLES)
def test_every_route_as_every_role(client: TestClient, seeded: SeededOrg, role: str) -> None:
    if role != "anonymous":
        log_in(client, role)
    failures = []
    for path, by_role in _expected(seeded).items():
        status = client.get(path).status_code
        if status != by_role[role]:
            failures.append(f"{path}: {status} != {by_role[role]}")
    assert not failures, f"as {role}: " + "; ".join(failures)


def test_the_route_table_covers_every_get_route() -> None:
    routes = [route for module in ROUTE_MODULES for route in module.router.routes]
    app_paths = {route.path for route in routes if isinstance(route, APIRoute) and "GET" in route.methods}
    walked = {
        "/",
        "/login",
        "/me",
        "/people/{person_id}/connections",
        "/api/me/connections",
        "/me/data.json",
        "/teams",
        "/teams/{team_id}",
        "/api/teams/{team_id}/health",
        "/org",
        "/api/org",
        "/imports",
        "/audit",
        "/tone",
        "/checkins",
        "/checkins/reports",
        "/checkins/reports/{person_id}",
        "/checkins/teams",
        "/checkins/cadence",
        "/recognition",
        "/recognition/give",
        "/recognition/teams/{team_id}",
        "/recognition/mine",
        "/recognition/equity",
        "/api/recognition/feed",
        "/api/recognition/mine",
        "/celebrations",
        "/inbox",
        "/unsubscribe",
    }
    assert app_paths == walked


def test_anonymous_pages_redirect_to_login_and_back(client: TestClient, seeded: SeededOrg) -> None:
    response = client.get("/teams?period=month")
    assert response.status_code == 302
    assert response.headers["location"] == "/login?next=/teams%3Fperiod%3Dmonth"


def test_api_errors_are_json_and_pages_are_html(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "alice")
    api = client.get(f"/api/teams/{seeded.teams['Platform']}/health")
    assert api.status_code == 403
    assert api.json()["status"] == 403
    page = client.get(f"/teams/{seeded.teams['Platform']}")
    assert page.status_code == 403
    assert page.headers["content-type"].startswith("text/html")
    assert "Not allowed" in page.text


def test_a_bad_path_parameter_is_422_not_500(client: TestClient, seeded: SeededOrg) -> None:
    log_in(client, "root")
    assert client.get("/teams/not-a-number").status_code == 422
    assert client.get("/api/teams/x/health").json()["status"] == 422
    assert client.get("/org?period=year").status_code == 404
