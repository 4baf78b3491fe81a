"""Every state-changing route of the app refuses a request without the session's CSRF token.

Walks the route table, so a route added later is covered without being listed here. The one exception is the
RFC 8058 one-click unsubscribe endpoint, which mail providers call without a session: its signed token is the
credential (tests/web/test_inbox_web.py).
"""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from tests.web.conftest import log_in
from tests.web.seeding import SeededOrg

from teamweave.web.app import ROUTE_MODULES

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
PARAM = re.compile(r"\{[^}]+\}")


def _unsafe_routes() -> list[tuple[str, str]]:
    """(method, path) of every state-changing route of every router the app includes."""
    return sorted(
        (method, route.path)
        for module in ROUTE_MODULES
        for route in module.router.routes
        if isinstance(route, APIRoute)
        for method in route.methods & UNSAFE
    )


def test_the_walk_finds_the_forms_of_every_capability() -> None:
    paths = {path for _, path in _unsafe_routes()}
    for prefix in ("/login", "/checkins", "/recognition", "/api/recognition", "/celebrations", "/inbox", "/tone"):
        assert any(p.startswith(prefix) for p in paths), prefix


@pytest.mark.parametrize("who", ["alice", "mia", "root"])
def test_no_state_change_without_the_csrf_token(client: TestClient, seeded: SeededOrg, who: str) -> None:
    log_in(client, who)
    some_id = str(seeded.people["alice"])
    refused = []
    for method, path in _unsafe_routes():
        url = PARAM.sub(some_id, path)
        response = client.request(method, url, data={"text": "x", "title": "x", "value": "Care"})
        if response.status_code != 403 or "CSRF" not in response.text:
            refused.append(f"{method} {url}: {response.status_code}")
    assert not refused, "accepted without a CSRF token: " + "; ".join(refused)
