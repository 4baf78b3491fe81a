"""The team pages and API under the k rule: head counts without opted-out people, "fewer than k" for small
counts, tie figures withheld until analyze is re-run, shares rounded as on the page."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from tests.web.conftest import log_in
from tests.web.seeding import LATEST_MONTH, SeededOrg

from teamweave.network.models import PersonMetric
from teamweave.network.service import RERUN_ANALYSIS
from teamweave.people.models import Person
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope


def _opt_out(runtime: Runtime, name: str) -> None:
    with session_scope(runtime.sessions) as session:
        session.execute(select(Person).where(Person.name == name)).scalar_one().analytics_opt_out = True


def _row(html: str, team: str) -> str:
    start = html.index(f">{team}</a>")
    return html[start : html.index("</tr>", start)]


def test_team_list_counts_no_opted_out_people_and_says_fewer_than_k(client: TestClient, runtime: Runtime) -> None:
    log_in(client, "pat")
    page = client.get("/teams").text
    assert '<td class="num">6</td>' in _row(page, "Data")
    assert "fewer than 5" in _row(page, "Tiny")
    assert ">2<" not in _row(page, "Tiny")
    _opt_out(runtime, "Quinn")
    page = client.get("/teams").text
    assert '<td class="num">5</td>' in _row(page, "Data")


def test_team_list_and_team_page_agree_on_the_head_count(
    client: TestClient, seeded: SeededOrg, runtime: Runtime
) -> None:
    _opt_out(runtime, "Carol")
    log_in(client, "mia")
    assert '<td class="num">7</td>' in _row(client.get("/teams").text, "Platform")
    assert client.get(f"/api/teams/{seeded.teams['Platform']}/health").json()["members"] == 7


def test_an_opt_out_since_the_analysis_withholds_tie_figures(
    client: TestClient, seeded: SeededOrg, runtime: Runtime
) -> None:
    log_in(client, "mia")
    fresh = client.get(f"/api/teams/{seeded.teams['Platform']}/health").json()
    assert fresh["stale"] is False
    assert fresh["density"] == 0.5
    _opt_out(runtime, "Carol")
    body = client.get(f"/api/teams/{seeded.teams['Platform']}/health").json()
    assert body["stale"] is True
    assert body["stale_message"] == RERUN_ANALYSIS
    for name in ("density", "ei_index", "external_share"):
        assert name not in body
    assert body["human_share"] == body["overall"]["human_share"]
    assert body["trend"][-1] == {
        "window_start": LATEST_MONTH.isoformat(),
        "too_few": False,
        "stale": True,
        "message": RERUN_ANALYSIS,
    }
    page = client.get(f"/teams/{seeded.teams['Platform']}").text
    assert "re-run `teamweave analyze`" in page.replace("&#96;", "`")


def _no_strong_ties(runtime: Runtime, names: list[str]) -> None:
    with session_scope(runtime.sessions) as session:
        session.execute(
            update(PersonMetric)
            .where(
                PersonMetric.pseudonym.in_([f"ps-{n}" for n in names]),
                PersonMetric.period == "month",
                PersonMetric.window_start == LATEST_MONTH,
            )
            .values(strong_ties=0)
        )


def test_one_to_k_minus_one_members_with_no_strong_tie_read_fewer_than_k(
    client: TestClient, seeded: SeededOrg, runtime: Runtime
) -> None:
    _no_strong_ties(runtime, ["alice", "bob"])
    log_in(client, "mia")
    body = client.get(f"/api/teams/{seeded.teams['Platform']}/health").json()
    assert body["no_strong_tie"] == "fewer than 5"
    assert body["overall"]["no_strong_tie_share"] == "fewer than 5"
    page = client.get(f"/teams/{seeded.teams['Platform']}").text
    assert page.count("fewer than 5") == 2  # the headline count and the whole team's share


def test_zero_or_at_least_k_members_with_no_strong_tie_are_shown(
    client: TestClient, seeded: SeededOrg, runtime: Runtime
) -> None:
    log_in(client, "mia")
    assert client.get(f"/api/teams/{seeded.teams['Platform']}/health").json()["no_strong_tie"] == 0
    _no_strong_ties(runtime, ["alice", "bob", "carol", "dave", "erin"])
    body = client.get(f"/api/teams/{seeded.teams['Platform']}/health").json()
    assert body["no_strong_tie"] == 5
    assert body["overall"]["no_strong_tie_share"] == 0.62


def _shares(value: Any) -> list[float]:
    if isinstance(value, dict):
        return [
            v for k, item in value.items() for v in _shares(item) if k != "mean_ties" or not isinstance(item, float)
        ]
    if isinstance(value, list):
        return [v for item in value for v in _shares(item)]
    return [value] if isinstance(value, float) else []


def test_shares_in_the_api_are_whole_percent(client: TestClient, seeded: SeededOrg, runtime: Runtime) -> None:
    with session_scope(runtime.sessions) as session:
        session.execute(update(PersonMetric).values(human_share=0.81234, after_hours_share=0.123456))
    log_in(client, "mia")
    body = client.get(f"/api/teams/{seeded.teams['Platform']}/health").json()
    assert body["human_share"] == 0.81
    assert body["after_hours_share"] == 0.12
    for value in _shares(body):
        assert round(value, 2) == value, value
