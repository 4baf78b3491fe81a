"""The personal page shows cross-site reach, meeting and message load and the person's place in the network
(brokerage, clustering, betweenness) in plain words, and leaves out what the analysis has no value for."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import update
from tests.web.conftest import log_in
from tests.web.seeding import MONTHS, WEEKS

from teamweave.network.models import PersonMetric
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope


def _set(runtime: Runtime, period: str, window: Any, **values: Any) -> None:
    with session_scope(runtime.sessions) as session:
        session.execute(
            update(PersonMetric)
            .where(PersonMetric.pseudonym == "ps-alice", PersonMetric.period == period)
            .where(PersonMetric.window_start == window)
            .values(**values)
        )


def test_new_metrics_in_plain_words_and_stats(client: TestClient, runtime: Runtime) -> None:
    _set(runtime, "month", MONTHS[-2], burt_constraint=0.52, clustering=0.5)
    _set(
        runtime,
        "month",
        MONTHS[-1],
        cross_site_share=0.35,
        meeting_hours=12.5,
        messages_sent=140,
        strong_ties=4,
        burt_constraint=0.31,
        effective_size=3.4,
        clustering=0.25,
        betweenness=0.042,
    )
    _set(runtime, "week", WEEKS[-1], meeting_hours=4.0, messages_sent=31)
    log_in(client, "alice")
    text = client.get("/me").text
    assert "35% of your ties (by weight) reach people at another site" in text
    assert "You spent 12.5 hours in meetings and calls with other people that month" in text
    assert "You sent 140 messages to people" in text
    assert ">ties to other sites</div>" in text
    assert "Your place in the network" in text
    assert "Brokerage: your constraint was 0.31 (down from 0.52 the month before)." in text
    assert "Low constraint means you connect people who are not otherwise in touch" in text
    assert "Of your 4 close contacts, about 3.4 bring you people" in text
    assert "25% of the pairs of your close contacts are close to each other too (down from 50% the month" in text
    assert "4.2% of the shortest paths between other people pass through you" in text
    assert '<div class="stat-value">4.2%</div>' in text
    assert "Hours in meetings per week" in text
    assert f"hours in meetings {WEEKS[-1].isoformat()}: 4</title>" in text
    assert f"messages sent {WEEKS[-1].isoformat()}: 31</title>" in text
    assert f"to other sites {MONTHS[-1].isoformat()}: 35%</title>" in text
    assert "Share of your tie weight going to people of other teams, and to people at another site" in text
    api = client.get("/api/me/connections?period=month").json()
    latest = api["windows"][-1]
    assert (latest["cross_site_share"], latest["meeting_hours"], latest["messages_sent"]) == (0.35, 12.5, 140)
    assert (latest["burt_constraint"], latest["effective_size"], latest["clustering"]) == (0.31, 3.4, 0.25)
    assert latest["betweenness"] == 0.042


def test_missing_values_are_left_out(client: TestClient, runtime: Runtime) -> None:
    """No site, no meeting durations in the data, no close tie: no sentence, no stat, no structure section."""
    log_in(client, "alice")
    text = client.get("/me").text
    words = text.split('id="load"')[0]  # the plain words and stats come before the charts' explanations
    assert "another site" not in words
    assert "in meetings and calls" not in words
    assert "hours in meetings</div>" not in text
    assert "Your place in the network" not in text
    assert "Brokerage" not in text


def test_structure_words_for_one_close_contact(client: TestClient, runtime: Runtime) -> None:
    _set(runtime, "month", MONTHS[-1], strong_ties=1, burt_constraint=1.0, effective_size=1.0, betweenness=0.0003)
    _set(runtime, "month", MONTHS[-2], burt_constraint=1.0)
    log_in(client, "alice")
    text = client.get("/me").text
    assert "Brokerage: your constraint was 1.00. Low constraint" in text  # no change to report
    assert "Of your 1 close contact, about 1.0 bring you people" in text
    assert "Under 0.1% of the shortest paths between other people pass through you" in text
    assert '<div class="stat-value">under 0.1%</div>' in text
    assert "pairs of your close contacts" not in text  # clustering needs two close contacts
