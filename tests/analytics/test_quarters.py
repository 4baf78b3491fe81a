"""A quarter combined from the pieces of its months (``analytics.quarters``) has the metrics of the quarter computed
from its events: person, team and team-tie rows, with reciprocity across months, activity and focus."""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from teamweave.analytics.pipeline import PeriodTables, connect, period_tables
from teamweave.analytics.quarters import MonthPiece, month_people
from teamweave.analytics.tie_store import CARRIED_COLUMNS
from teamweave.analytics.ties import NAMED_TIES, build_ties, load_participants, people_table
from teamweave.analytics.windows import next_window, window_name, window_start, windows_between
from teamweave.errors import TeamweaveError

ZONES = ("UTC", "America/New_York", "Asia/Tokyo", "Pacific/Auckland")
FIRST = datetime(2024, 2, 10, tzinfo=UTC)
DAYS = 150  # into July: two whole quarters' worth of months and a third begun


def _people(n: int) -> pa.Table:
    return people_table(
        (f"p{i:03d}", i % 6, ZONES[i % 4], date(2024, 4, 1 + i % 20) if i % 9 == 0 else None) for i in range(n)
    )


def _events(n: int, people: int) -> pa.Table:
    rng = random.Random(23)
    names = [f"p{i:03d}" for i in range(people)]
    rows = []
    for i in range(n):
        kind = rng.choice(["message", "reply", "reaction", "meeting", "email", "review"])
        targets = rng.sample(names, rng.choice([1, 1, 2, 3, 6]))
        rows.append(
            {
                "event_id": f"e{i}",
                "ts": FIRST + timedelta(minutes=rng.randrange(DAYS * 24 * 60)),
                "kind": kind,
                "source": "calendar" if kind == "meeting" else "slack",
                "in_person": kind == "meeting" and rng.random() < 0.3,
                "duration_s": rng.choice([None, 1800, 5400]) if kind == "meeting" else None,
                "actor": rng.choice(names),
                "targets": targets,
                "audience": len(targets),
                "by_bot": rng.random() < 0.03,
                "via_ai": rng.random() < 0.05,
            }
        )
    for week in range(DAYS // 7):  # a weekly one-hour 1:1: a strong tie in every quarter
        rows.append(
            {
                **rows[0],
                "event_id": f"w{week}",
                "ts": FIRST + timedelta(weeks=week, hours=10),
                "kind": "meeting",
                "source": "calendar",
                "in_person": False,
                "duration_s": 3600,
                "actor": names[week % 2],
                "targets": [names[1 - week % 2]],
                "audience": 1,
                "by_bot": False,
                "via_ai": False,
            }
        )
    return pa.Table.from_pylist(rows)


def _rows(table: pa.Table) -> list[tuple[Any, ...]]:
    """The rows, floats rounded (sums add in another order) and NaN made comparable."""

    def value(v: Any) -> Any:
        if isinstance(v, float):
            return "nan" if math.isnan(v) else round(v, 9)
        return v

    return sorted((tuple(value(v) for v in row.values()) for row in table.to_pylist()), key=repr)


def _pieces(con: duckdb.DuckDBPyConnection, events: pa.Table, people: pa.Table) -> dict[date, MonthPiece]:
    """Each month's pieces, computed as a monthly pass would: from its own events and a day either side."""
    pieces = {}
    for month in windows_between(FIRST.date(), (FIRST + timedelta(days=DAYS)).date(), period="month"):
        start = datetime(month.year, month.month, month.day, tzinfo=UTC) - timedelta(days=1)
        end = datetime.combine(next_window(month, period="month"), datetime.min.time(), UTC) + timedelta(days=1)
        relation = con.from_arrow(events).filter(f"ts >= '{start.isoformat()}' AND ts < '{end.isoformat()}'")
        load_participants(con, relation, people=people)
        build_ties(con, period="month", first=month, last=month)
        ties = con.sql(f"SELECT {', '.join(CARRIED_COLUMNS)} FROM ({NAMED_TIES})").to_arrow_table()
        pieces[month] = MonthPiece(ties, month_people(con, month).to_arrow_table())
    return pieces


@pytest.fixture(scope="module")
def both() -> tuple[PeriodTables, PeriodTables]:
    people, events = _people(120), _events(5000, 120)
    con = connect()
    load_participants(con, con.from_arrow(events), people=people)
    direct = period_tables(con, people=people, period="quarter", k=3)
    pieces = _pieces(con, events, people)
    combined = period_tables(con, people=people, period="quarter", k=3, months=pieces)
    return direct, combined


def test_combined_quarters_equal_the_quarters_of_the_events(both: tuple[PeriodTables, PeriodTables]) -> None:
    direct, combined = both
    assert direct.windows == combined.windows == 3
    for name in ("persons", "teams", "team_ties"):
        assert _rows(getattr(combined, name)) == _rows(getattr(direct, name)), name
    assert (combined.ties, combined.pairs) == (direct.ties, direct.pairs)
    persons = direct.persons.to_pylist()
    assert {r["window_start"] for r in persons} == {date(2024, 1, 1), date(2024, 4, 1), date(2024, 7, 1)}
    # the comparison has something to compare: changes, focus, meetings and strong ties in the second quarter
    second = [r for r in persons if r["window_start"] == date(2024, 4, 1)]
    assert any(r["ties_change"] for r in second)
    assert any(r["lost_ties"] for r in second)
    assert any(r["focus_hours"] is not None for r in second)
    assert any(r["meeting_hours"] for r in second)
    assert any(r["strong_ties"] for r in second)


def test_reciprocity_across_months_counts_in_the_quarter() -> None:
    """a writes to b in January, b answers in February: neither month's tie is reciprocated, the quarter's is."""
    people = people_table([("a", 1, "UTC"), ("b", 2, "UTC")])
    events = pa.Table.from_pylist(
        [
            {"event_id": "1", "ts": datetime(2024, 1, 15, 10, tzinfo=UTC), "actor": "a", "targets": ["b"]},
            {"event_id": "2", "ts": datetime(2024, 2, 15, 10, tzinfo=UTC), "actor": "b", "targets": ["a"]},
        ]
    )
    events = events.append_column("kind", pa.array(["message"] * 2)).append_column("source", pa.array(["slack"] * 2))
    events = events.append_column("in_person", pa.array([False] * 2)).append_column("audience", pa.array([1, 1]))
    events = events.append_column("duration_s", pa.nulls(2, pa.int64()))
    events = events.append_column("by_bot", pa.array([False] * 2)).append_column("via_ai", pa.array([False] * 2))
    con = connect()
    load_participants(con, con.from_arrow(events), people=people)
    build_ties(con, period="month")
    assert con.execute("SELECT bool_or(reciprocated) FROM tw_ties").fetchall() == [(False,)]
    pieces = {}
    for month in (date(2024, 1, 1), date(2024, 2, 1)):
        ties = con.sql(
            f"SELECT {', '.join(CARRIED_COLUMNS)} FROM ({NAMED_TIES}) WHERE window_start = $m", params={"m": month}
        )
        pieces[month] = MonthPiece(ties.to_arrow_table(), month_people(con, month).to_arrow_table())
    combined = period_tables(con, people=people, period="quarter", k=1, months=pieces)
    build_ties(con, period="quarter")
    assert con.execute("SELECT reciprocated FROM tw_ties").fetchall() == [(True,)]
    assert [r["ties"] for r in combined.persons.to_pylist()] == [1, 1]


def test_only_a_quarter_is_combined_from_months() -> None:
    con = connect()
    with pytest.raises(TeamweaveError, match="not combined from months"):
        period_tables(con, people=_people(2), period="month", k=1, months={})


def test_quarter_windows() -> None:
    assert window_start(date(2024, 12, 31), period="quarter") == date(2024, 10, 1)
    assert windows_between(date(2024, 2, 1), date(2024, 8, 1), period="quarter") == [
        date(2024, 1, 1),
        date(2024, 4, 1),
        date(2024, 7, 1),
    ]
    assert window_name(date(2024, 10, 1), period="quarter") == "Q4 2024"
