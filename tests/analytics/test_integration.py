"""New-hire integration curves (analytics/integration.py) from stored events, by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from teamweave.analytics.integration import integration_curve
from teamweave.analytics.ties import load_participants, people_table
from teamweave.ingest.records import Interaction
from teamweave.store.events import EventStore

START = date(2024, 3, 4)


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(START.year, START.month, START.day, hour, tzinfo=UTC) + timedelta(days=day)


def _event(n: int, kind: str, day: int, actor: str, *targets: str, **extra: object) -> Interaction:
    hour = int(extra.pop("hour", 12))  # type: ignore[call-overload]
    return Interaction(
        org="acme", event_id=f"e{n}", source="slack", kind=kind, ts=_at(day, hour), actor=actor, targets=targets,
        audience=len(targets), **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def _curve(tmp_path: Path, events: list[Interaction], people: list[tuple[object, ...]]) -> dict[str, dict[str, object]]:
    store = EventStore(tmp_path)
    store.append("acme", events)
    con = duckdb.connect()
    load_participants(con, store.read("acme", con), people=people_table(people), bots=["bot"])  # type: ignore[arg-type]
    return {r["person"]: r for r in integration_curve(con).to_pylist()}


def test_a_growing_and_a_flat_newcomer(tmp_path: Path) -> None:
    people = [("old", 1, "UTC", date(2020, 1, 1)), ("a", 1, "UTC"), ("b", 1, "UTC"), ("c", 2, "UTC"), ("d", 2, "UTC"),
              ("new", 1, "UTC", START), ("flat", 1, "Asia/Tokyo", START)]  # fmt: skip
    events = [
        _event(1, "message", -5, "a", "b"),  # the data starts before both newcomers
        _event(2, "message", 0, "new", "a"),
        _event(3, "message", 29, "b", "new"),  # day 29 is inside the first 30 days
        _event(4, "meeting", 30, "c", "new", "d"),  # day 30 is not
        _event(5, "reaction", 59, "new", "a"),  # an old contact again: still 3 people
        _event(6, "message", 89, "c", "a", "b"),  # both targets, neither is the newcomer
        _event(7, "message", 95, "flat", "bot"),  # a tool interaction makes no tie
        _event(8, "message", 100, "a", "b"),
    ]
    curves = _curve(tmp_path, events, people)
    assert set(curves) == {"new", "flat"}  # "old" started before the data
    assert (curves["new"]["ties_30"], curves["new"]["ties_60"], curves["new"]["ties_90"]) == (2, 4, 4)
    assert (curves["flat"]["ties_30"], curves["flat"]["ties_60"], curves["flat"]["ties_90"]) == (0, 0, 0)


def test_days_after_the_data_are_unknown(tmp_path: Path) -> None:
    people = [("a", 1, "UTC"), ("new", 1, "UTC", START)]
    events = [_event(1, "message", -1, "a", "new"), _event(2, "message", 10, "new", "a"), _event(3, "message", 45, "a")]
    curves = _curve(tmp_path, events, people)  # the data ends on day 45: day 60 and day 90 are not known yet
    assert (curves["new"]["ties_30"], curves["new"]["ties_60"], curves["new"]["ties_90"]) == (1, None, None)


def test_acts_before_the_start_date_do_not_count(tmp_path: Path) -> None:
    people = [("a", 1, "UTC"), ("new", 1, "UTC", START)]
    curves = _curve(tmp_path, [_event(1, "message", -1, "a", "new"), _event(2, "message", 45, "a")], people)
    assert curves["new"]["ties_30"] == 0


def test_local_start_day_counts(tmp_path: Path) -> None:
    """A message at 23:30 UTC the day before START is already START in Tokyo: it counts for a Tokyo newcomer."""
    people = [("a", 1, "UTC"), ("tok", 1, "Asia/Tokyo", START)]
    events = [_event(1, "message", -1, "a", "tok", hour=23), _event(2, "message", 40, "a", "b")]
    assert _curve(tmp_path, events, people)["tok"]["ties_30"] == 1
