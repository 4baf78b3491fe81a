"""Focus fragmentation (analytics/focus.py) from stored events, computed by hand."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from teamweave.analytics.focus import focus_table
from teamweave.analytics.ties import load_participants, people_table
from teamweave.ingest.records import Interaction
from teamweave.store.events import EventStore

PEOPLE = people_table([("a", 1, "UTC"), ("b", 1, "UTC"), ("ny", 1, "America/New_York")])


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 1, day, hour, minute, tzinfo=UTC)  # 2024-01-08 is a Monday


def _event(n: int, ts: datetime, actor: str, *targets: str, **extra: object) -> Interaction:
    kind = str(extra.pop("kind", "message"))
    return Interaction(
        org="acme", event_id=f"e{n}", source="slack", kind=kind, ts=ts, actor=actor, targets=targets,
        audience=len(targets), **extra,  # type: ignore[arg-type]
    )  # fmt: skip


def _focus(tmp_path: Path, events: list[Interaction], period: str = "week", **options: object) -> dict[str, dict]:
    store = EventStore(tmp_path)
    store.append("acme", events)
    con = duckdb.connect()
    load_participants(con, store.read("acme", con), people=PEOPLE)
    return {r["person"]: r for r in focus_table(con, period=period, **options).to_pylist()}  # type: ignore[arg-type]


def test_overlapping_meetings_and_a_meeting_past_the_end_of_the_day(tmp_path: Path) -> None:
    events = [
        _event(1, _at(8, 10), "a", "b", kind="meeting", duration_s=7200),  # 10:00-12:00
        _event(2, _at(8, 11), "a", "b", kind="meeting", duration_s=1800),  # 11:00-11:30, inside the first
        _event(3, _at(8, 18), "a", "b", kind="meeting", duration_s=7200),  # 18:00-20:00, clipped at 19:00
    ]
    got = _focus(tmp_path, events)["a"]
    # stretches: 08-10 (2 h), 12-18 (6 h), none after 19:00
    assert got["focus_hours"] == pytest.approx(6.0)
    assert got["focus_blocks"] == pytest.approx(2.0)
    assert got["working_days"] == 1


def test_days_are_averaged_and_nights_and_weekends_are_not_working_days(tmp_path: Path) -> None:
    events = [
        _event(1, _at(8, 12), "a", "b"),  # Monday: 4 h then 7 h -> longest 7, two blocks
        _event(2, _at(9, 8), "a", "b"),  # Tuesday 08:00: 0 h then 11 h -> longest 11, one block
        _event(3, _at(9, 22), "a", "b"),  # Tuesday night: outside working hours, no interruption
        _event(4, _at(13, 12), "a", "b"),  # Saturday: not a working day
    ]
    got = _focus(tmp_path, events)["a"]
    assert got["working_days"] == 2
    assert got["focus_hours"] == pytest.approx((7 + 11) / 2)
    assert got["focus_blocks"] == pytest.approx((2 + 1) / 2)


def test_own_time_zone_and_block_length(tmp_path: Path) -> None:
    # 15:00 UTC is 10:00 in New York (UTC-5 in January): stretches 2 h and 9 h there
    got = _focus(tmp_path, [_event(1, _at(8, 15), "ny", "a")], block_hours=3)
    assert got["ny"]["focus_hours"] == pytest.approx(9.0)
    assert got["ny"]["focus_blocks"] == pytest.approx(1.0)  # only the 9-hour stretch is >= 3 hours
    assert got["a"]["focus_hours"] == pytest.approx(7.0)  # 08-15 in UTC, then 4 h


def test_monthly_windows_use_the_local_day(tmp_path: Path) -> None:
    # 02:00 UTC on 1 February is 21:00 on 31 January in New York: inside an 08-24 working day, in January
    got = _focus(tmp_path, [_event(1, datetime(2024, 2, 1, 2, tzinfo=UTC), "ny", "a")], period="month", work_day_end=24)
    assert got["ny"]["window_start"].isoformat() == "2024-01-01"
    assert got["ny"]["working_days"] == 1
    assert got["ny"]["focus_hours"] == pytest.approx(13.0)  # 08:00-21:00, then 3 hours to midnight
