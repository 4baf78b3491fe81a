"""Team metrics per window count only the people who had started by then, withhold means over fewer than k
values, and count external ties only to teams large enough to show (the organisation map's teams)."""

from __future__ import annotations

from datetime import date

import duckdb
import pyarrow as pa

from teamweave.analytics.person_metrics import person_tie_stats
from teamweave.analytics.team_metrics import team_metrics, team_ties
from teamweave.analytics.ties import people_table
from teamweave.network.period_analysis import visible_team_ties

MONTH = date(2024, 1, 1)
LATER = date(2024, 6, 1)


def _persons(con: duckdb.DuckDBPyConnection, ties: pa.Table, people: pa.Table, shares: dict[str, float]) -> pa.Table:
    persons = person_tie_stats(con, ties, people=people, period="month")
    names = persons.column("person").to_pylist()
    values = pa.array([shares.get(p) for p in names], type=pa.float64())
    return persons.append_column("human_share", values).append_column("after_hours_share", values)


def _ties(pairs: list[tuple[str, str]]) -> pa.Table:
    return pa.table(
        {
            "window_start": [MONTH] * len(pairs),
            "a": [a for a, _ in pairs],
            "b": [b for _, b in pairs],
            "weight": [1.0] * len(pairs),
            "reciprocated": [True] * len(pairs),
        }
    )


def test_members_of_a_window_are_the_people_who_had_started_by_its_end() -> None:
    # Team 1 has five people today, but four joined after January: in January it had one member.
    people = people_table(
        [("a", 1, "UTC", date(2020, 1, 1))]
        + [(name, 1, "UTC", LATER) for name in "bcde"]
        + [("x", 2, "UTC", None), ("j", 1, "UTC", date(2024, 1, 31))]
    )
    ties = _ties([("a", "x")])
    con = duckdb.connect()
    persons = _persons(con, ties, people, {"a": 0.61, "x": 0.2})
    rows = {
        r["team_id"]: r
        for r in team_metrics(con, ties, persons, people=people, windows=[MONTH], period="month").to_pylist()
    }
    assert rows[1]["members"] == 2  # a, and j who started on the last day of the month
    assert rows[2]["members"] == 1  # no start date: always a member


def test_a_mean_over_fewer_than_k_people_is_withheld() -> None:
    people = people_table([(name, 1, "UTC") for name in "abcdef"] + [(name, 2, "UTC") for name in "uvwxy"])
    ties = _ties([("a", "b"), ("c", "d"), ("u", "v"), ("w", "x"), ("x", "y")])
    con = duckdb.connect()
    shares = {"a": 0.5, "b": 0.5, "c": 0.5, "d": 0.9, "u": 0.1, "v": 0.1, "w": 0.1, "x": 0.1, "y": 0.6}
    persons = _persons(con, ties, people, shares)
    rows = {r["team_id"]: r for r in team_metrics(con, ties, persons, people=people, windows=[MONTH], k=5).to_pylist()}
    assert rows[1]["human_share"] is None  # four of six members had a value
    assert rows[2]["human_share"] == 0.2  # all five had one
    raw = {r["team_id"]: r for r in team_metrics(con, ties, persons, people=people, windows=[MONTH]).to_pylist()}
    assert raw[1]["human_share"] == 0.6  # without k: the plain mean, for checks against reference tools


def test_external_ties_count_only_ties_to_teams_of_at_least_k() -> None:
    # Team 1 (5) has ties to team 2 (5 members) and to team 3 (2 members, too small to show) and no team.
    people = people_table(
        [(f"a{i}", 1, "UTC") for i in range(5)]
        + [(f"b{i}", 2, "UTC") for i in range(5)]
        + [("c0", 3, "UTC"), ("c1", 3, "UTC"), ("n0", None, "UTC")]
    )
    ties = _ties([("a0", "a1"), ("a0", "b0"), ("a1", "c0"), ("a2", "c1"), ("a3", "n0")])
    con = duckdb.connect()
    persons = _persons(con, ties, people, {})
    shown = {r["team_id"]: r for r in team_metrics(con, ties, persons, people=people, windows=[MONTH], k=5).to_pylist()}
    # E = 1 (to team 2), I = 1: E-I = 0; external share = 1 / (1 + 2 * 1)
    assert shown[1]["ei_index"] == 0.0
    assert shown[1]["external_share"] == 1 / 3
    raw = {r["team_id"]: r for r in team_metrics(con, ties, persons, people=people, windows=[MONTH]).to_pylist()}
    assert raw[1]["ei_index"] == 0.6  # (4 - 1) / (4 + 1) when every external tie counts


def test_team_ties_are_kept_by_each_windows_team_sizes() -> None:
    people = people_table(
        [(f"a{i}", 1, "UTC", date(2020, 1, 1)) for i in range(5)]
        + [(f"b{i}", 2, "UTC", date(2020, 1, 1)) for i in range(2)]
        + [(f"b{i}", 2, "UTC", LATER) for i in range(2, 5)]  # team 2 has 5 people today, 2 in January
    )
    ties = _ties([("a0", "b0"), ("a1", "b1")])
    con = duckdb.connect()
    persons = _persons(con, ties, people, {})
    teams = team_metrics(con, ties, persons, people=people, windows=[MONTH], period="month", k=5)
    kept, hidden = visible_team_ties(team_ties(con, ties, people=people), teams, k=5)
    assert (kept.num_rows, hidden) == (0, 1)
