"""The org page's communities against the formal teams: counts and agreement only, windows under k hidden."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient
from tests.web.conftest import log_in

from teamweave.network.models import NetworkStructure
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

MONTHS = (date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1))


def _seed_structure(runtime: Runtime, people: tuple[int, ...]) -> None:
    with session_scope(runtime.sessions) as session:
        for month, count, nmi in zip(MONTHS, people, (0.91, 0.88, 0.42, 0.40), strict=True):
            session.add(
                NetworkStructure(
                    org=runtime.settings.org,
                    period="month",
                    window_start=month,
                    people=count,
                    ties=40,
                    strong_ties=12,
                    communities=3,
                    modularity=0.55,
                    team_nmi=nmi,
                    betweenness_pivots=0,
                    betweenness_error=0.0,
                )
            )


def test_org_page_shows_communities_against_teams(client: TestClient, runtime: Runtime) -> None:
    _seed_structure(runtime, (12, 12, 12, 3))  # April covers 3 people: under k = 5, never shown
    log_in(client, "port")
    page = client.get("/org").text
    assert "Communities against the formal teams" in page
    assert "In March 2026, the 12 people with ties formed" in page
    assert "<strong>0.42</strong>" in page  # March, the latest window of at least k people
    assert "Work mostly happens across team lines" in page
    assert "Communities against the formal teams, per month" in page  # the chart
    assert "0.40" not in page
    body = client.get("/api/org").json()["structure"]
    assert [w["window_start"] for w in body["windows"]] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert body["people"] == 12
    assert body["windows"][-1]["team_nmi"] == 0.42


def test_org_page_without_structure_says_so(client: TestClient) -> None:
    log_in(client, "port")
    page = client.get("/org").text
    assert "No finished month with at least 5 connected people has been analysed yet." in page
    assert client.get("/api/org").json()["structure"]["windows"] == []
