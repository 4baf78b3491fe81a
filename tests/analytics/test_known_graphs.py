"""Known-answer tests of the person and team metrics on canonical graphs: star, path, two cliques joined by
one bridge person, and the empty graph."""

from __future__ import annotations

from datetime import date
from itertools import combinations

import duckdb
import pyarrow as pa
import pytest

from teamweave.analytics.person_metrics import person_tie_stats
from teamweave.analytics.team_metrics import team_metrics, team_ties
from teamweave.analytics.ties import people_table

WEEK = date(2024, 1, 1)


def _ties(edges: list[tuple[str, str]], *, weight: float = 1.0, reciprocated: bool = True) -> pa.Table:
    pairs = [(min(u, v), max(u, v)) for u, v in edges]
    return pa.table(
        {
            "window_start": pa.array([WEEK] * len(pairs), type=pa.date32()),
            "a": pa.array([a for a, _ in pairs], type=pa.string()),
            "b": pa.array([b for _, b in pairs], type=pa.string()),
            "weight": pa.array([weight] * len(pairs), type=pa.float64()),
            "reciprocated": pa.array([reciprocated] * len(pairs), type=pa.bool_()),
        }
    )


def _people(teams: dict[str, int]) -> pa.Table:
    return people_table((p, t, "UTC") for p, t in sorted(teams.items()))


def _stats(ties: pa.Table, teams: dict[str, int]) -> dict[str, dict[str, object]]:
    rows = person_tie_stats(duckdb.connect(), ties, people=_people(teams), period="week").to_pylist()
    return {str(r["person"]): r for r in rows}


def _teams(ties: pa.Table, teams: dict[str, int]) -> dict[int, dict[str, object]]:
    con = duckdb.connect()
    people = _people(teams)
    persons = person_tie_stats(con, ties, people=people, period="week")
    persons = persons.append_column("human_share", pa.nulls(persons.num_rows, pa.float64()))
    persons = persons.append_column("after_hours_share", pa.nulls(persons.num_rows, pa.float64()))
    rows = team_metrics(con, ties, persons, people=people, windows=[WEEK]).to_pylist()
    return {int(r["team_id"]): r for r in rows}


def test_star() -> None:
    teams = {"c": 1, "w": 1, "x": 2, "y": 2, "z": 2}
    ties = _ties([("c", leaf) for leaf in "wxyz"], weight=2.0)
    stats = _stats(ties, teams)
    assert (stats["c"]["ties"], stats["c"]["strength"], stats["c"]["strong_ties"]) == (4, 8.0, 4)
    assert stats["c"]["cross_team_share"] == pytest.approx(0.75)
    assert all(stats[leaf]["ties"] == 1 for leaf in "wxyz")
    assert stats["w"]["cross_team_share"] == 0.0
    assert stats["x"]["cross_team_share"] == 1.0
    team = _teams(ties, teams)
    assert team[1]["density"] == 1.0  # c-w: the only possible pair
    assert team[1]["ei_index"] == pytest.approx((3 - 1) / (3 + 1))
    assert team[2]["density"] == 0.0
    assert team[2]["ei_index"] == 1.0
    assert team[2]["no_strong_tie"] == 0
    assert team[2]["external_share"] == 1.0
    assert team[1]["external_share"] == pytest.approx(6.0 / (6.0 + 2 * 2.0))
    assert team[1]["mean_ties"] == pytest.approx((4 + 1) / 2)


def test_path_in_one_team() -> None:
    teams = dict.fromkeys("abcde", 7)
    ties = _ties([("a", "b"), ("b", "c"), ("c", "d"), ("d", "e")])
    stats = _stats(ties, teams)
    assert [stats[p]["ties"] for p in "abcde"] == [1, 2, 2, 2, 1]
    assert all(stats[p]["strong_ties"] == 0 for p in "abcde")  # weight 1 < 2 per week
    assert all(stats[p]["weak_ties"] == stats[p]["ties"] for p in "abcde")
    team = _teams(ties, teams)[7]
    assert team["density"] == pytest.approx(4 / 10)
    assert team["ei_index"] == -1.0
    assert team["external_share"] == 0.0
    assert team["no_strong_tie"] == 5
    assert team["mean_ties"] == pytest.approx(8 / 5)


def test_two_cliques_joined_by_one_bridge_person() -> None:
    left, right = ["a1", "a2", "a3", "x"], ["x", "b1", "b2", "b3"]
    teams = {"a1": 1, "a2": 1, "a3": 1, "x": 1, "b1": 2, "b2": 2, "b3": 2}
    ties = _ties(list(combinations(left, 2)) + list(combinations(right, 2)), weight=3.0)
    stats = _stats(ties, teams)
    assert stats["x"]["ties"] == 6
    assert stats["x"]["strength"] == 18.0
    assert stats["x"]["cross_team_share"] == pytest.approx(0.5)
    assert stats["a1"]["ties"] == 3
    assert stats["a1"]["cross_team_share"] == 0.0
    assert stats["b1"]["cross_team_share"] == pytest.approx(1 / 3)
    team = _teams(ties, teams)
    assert team[1]["density"] == 1.0  # a clique
    assert team[2]["density"] == 1.0
    assert team[1]["ei_index"] == pytest.approx((3 - 6) / 9)
    assert team[2]["ei_index"] == pytest.approx(0.0)
    between = team_ties(duckdb.connect(), ties, people=_people(teams)).to_pylist()
    assert [(r["team_a"], r["team_b"], r["ties"], r["weight"]) for r in between] == [(1, 2, 3, 9.0)]


def test_unreciprocated_heavy_tie_is_weak() -> None:
    ties = _ties([("a", "b")], weight=10.0, reciprocated=False)
    stats = _stats(ties, {"a": 1, "b": 1})
    assert (stats["a"]["strong_ties"], stats["a"]["weak_ties"]) == (0, 1)


def test_empty_graph() -> None:
    teams = dict.fromkeys("abcde", 3)
    ties = _ties([])
    assert _stats(ties, teams) == {}
    team = _teams(ties, teams)[3]
    assert team["members"] == 5
    assert team["density"] == 0.0
    assert team["ei_index"] is None
    assert team["external_share"] is None
    assert team["no_strong_tie"] == 5
    assert team["mean_ties"] == 0.0
