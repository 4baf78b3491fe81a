"""Tie age and decay (new and lost ties) and the channel mix, from real stored events, by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from teamweave.analytics.person_metrics import person_metrics, tie_turnover
from teamweave.analytics.team_metrics import team_metrics
from teamweave.analytics.ties import CHANNELS, load_participants, people_table, tie_table
from teamweave.ingest.records import Interaction
from teamweave.store.events import EventStore

PEOPLE = people_table([("ana", 1, "UTC"), ("ben", 1, "UTC"), ("cy", 1, "UTC"), ("dee", 2, "UTC"), ("eve", 2, "UTC")])
WEEK1 = datetime(2024, 1, 8, 10, tzinfo=UTC)
WEEK2 = WEEK1 + timedelta(weeks=1)


def _event(n: int, source: str, kind: str, ts: datetime, actor: str, *targets: str, **extra: object) -> Interaction:
    return Interaction(
        org="acme",
        event_id=f"e{n}",
        source=source,
        kind=kind,
        ts=ts,
        actor=actor,
        targets=targets,
        audience=len(targets),
        **extra,  # type: ignore[arg-type]
    )


def _con(tmp_path: Path, events: list[Interaction]) -> duckdb.DuckDBPyConnection:
    store = EventStore(tmp_path)
    store.append("acme", events)
    con = duckdb.connect()
    load_participants(con, store.read("acme", con), people=PEOPLE)
    return con


def _mix_events() -> list[Interaction]:
    """ana's week: a 1:1 chat message to ben (1), an e-mail to cy (1), a 30-minute call with dee (2), a review
    of eve's change (1 via GitHub) and a one-hour in-person meeting with ben (4): strength 9."""
    return [
        _event(1, "slack", "message", WEEK1, "ana", "ben"),
        _event(2, "email", "email", WEEK1, "ana", "cy"),
        _event(3, "teams", "call", WEEK1, "ana", "dee", duration_s=1800),
        _event(4, "github", "review", WEEK1, "ana", "eve"),
        _event(5, "calendar", "meeting", WEEK1, "ana", "ben", duration_s=3600, in_person=True),
    ]


def test_channel_weights_sum_to_the_tie_weight(tmp_path: Path) -> None:
    con = _con(tmp_path, _mix_events())
    ties = {(r["a"], r["b"]): r for r in tie_table(con, period="week").to_pylist()}
    ana_ben = ties[("ana", "ben")]
    assert ana_ben["weight"] == pytest.approx(5.0)
    assert (ana_ben["chat_weight"], ana_ben["in_person_weight"], ana_ben["meeting_weight"]) == (1.0, 4.0, 0.0)
    assert ties[("ana", "cy")]["email_weight"] == 1.0
    assert ties[("ana", "dee")]["meeting_weight"] == 2.0
    assert ties[("ana", "eve")]["code_review_weight"] == 1.0
    for row in ties.values():
        assert sum(row[f"{c}_weight"] for c in CHANNELS) == pytest.approx(row["weight"])


def test_person_channel_mix_by_hand(tmp_path: Path) -> None:
    con = _con(tmp_path, _mix_events())
    ties = tie_table(con, period="week")
    rows = {r["person"]: r for r in person_metrics(con, ties, people=PEOPLE, period="week").to_pylist()}
    ana = rows["ana"]
    assert ana["strength"] == pytest.approx(9.0)
    got = [ana[f"{c}_share"] for c in CHANNELS]
    assert got == pytest.approx([1 / 9, 1 / 9, 2 / 9, 1 / 9, 4 / 9])
    assert rows["ben"]["in_person_share"] == pytest.approx(0.8)
    assert rows["ben"]["chat_share"] == pytest.approx(0.2)
    assert rows["eve"]["code_review_share"] == 1.0


def test_new_and_lost_ties_across_two_weeks(tmp_path: Path) -> None:
    """Week 1: ana-ben, ana-cy. Week 2: ana-ben again, ana-dee new; ana-cy lost."""
    events = [
        _event(1, "slack", "message", WEEK1, "ana", "ben"),
        _event(2, "slack", "message", WEEK1, "ana", "cy"),
        _event(3, "slack", "message", WEEK2, "ben", "ana"),
        _event(4, "slack", "message", WEEK2, "ana", "dee"),
    ]
    con = _con(tmp_path, events)
    ties = tie_table(con, period="week")
    rows = {
        (r["window_start"], r["person"]): r for r in person_metrics(con, ties, people=PEOPLE, period="week").to_pylist()
    }
    w1, w2 = WEEK1.date(), WEEK2.date()
    assert rows[(w1, "ana")]["new_ties"] is None  # the first window of the data has nothing to compare with
    assert (rows[(w2, "ana")]["new_ties"], rows[(w2, "ana")]["lost_ties"]) == (1, 1)
    assert (rows[(w2, "ben")]["new_ties"], rows[(w2, "ben")]["lost_ties"]) == (0, 0)
    assert (rows[(w2, "dee")]["new_ties"], rows[(w2, "dee")]["lost_ties"]) == (1, 0)
    assert (w2, "cy") not in rows  # inactive: the personal page counts all of cy's week-1 ties as lost
    turnover = {(r["window_start"], r["person"]): r for r in tie_turnover(con, ties, period="week").to_pylist()}
    assert (turnover[(w2, "cy")]["new_ties"], turnover[(w2, "cy")]["lost_ties"]) == (0, 1)
    assert not any(key[0] > w2 for key in turnover)  # no window after the data's last one


def test_monthly_turnover_and_the_empty_table() -> None:
    jan, feb = datetime(2024, 1, 1).date(), datetime(2024, 2, 1).date()
    ties = pa.table({"window_start": [jan, feb], "a": ["a", "a"], "b": ["b", "c"]})
    rows = {
        (r["window_start"], r["person"]): r for r in tie_turnover(duckdb.connect(), ties, period="month").to_pylist()
    }
    assert (rows[(feb, "a")]["new_ties"], rows[(feb, "a")]["lost_ties"]) == (1, 1)
    empty = pa.table(
        {"window_start": pa.array([], pa.date32()), "a": pa.array([], pa.string()), "b": pa.array([], pa.string())}
    )
    assert tie_turnover(duckdb.connect(), empty, period="week").num_rows == 0


def test_team_turnover_and_channel_mix(tmp_path: Path) -> None:
    events = [
        *_mix_events(),
        _event(6, "slack", "message", WEEK2, "ana", "ben"),
        _event(7, "slack", "message", WEEK2, "cy", "ben"),
    ]
    con = _con(tmp_path, events)
    ties = tie_table(con, period="week")
    persons = person_metrics(con, ties, people=PEOPLE, period="week")
    windows = [WEEK1.date(), WEEK2.date()]
    rows = {
        (r["window_start"], r["team_id"]): r
        for r in team_metrics(con, ties, persons, people=PEOPLE, windows=windows).to_pylist()
    }
    team1_w2 = rows[(WEEK2.date(), 1)]
    # week 2, team 1 (ana, ben, cy): ana kept ben, lost cy, dee, eve (3); ben kept ana, gained cy (1);
    # cy lost ana, gained ben: new 2 and lost 4 tie ends over 3 members
    assert team1_w2["mean_new_ties"] == pytest.approx(2 / 3)
    assert team1_w2["mean_lost_ties"] == pytest.approx(4 / 3)
    assert rows[(WEEK1.date(), 1)]["mean_new_ties"] is None
    assert team1_w2["chat_share"] == 1.0
    team1_w1 = rows[(WEEK1.date(), 1)]
    # week 1 means over ana (1/9 chat), ben (0.2 chat), cy (0 chat: e-mail only)
    assert team1_w1["chat_share"] == pytest.approx((1 / 9 + 0.2 + 0.0) / 3)
    with_k = team_metrics(con, ties, persons, people=PEOPLE, windows=windows, k=5).to_pylist()
    assert all(r["chat_share"] is None for r in with_k)  # under k members with ties: not shown
