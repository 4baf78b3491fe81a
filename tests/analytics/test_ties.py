"""Events -> ties and activity through the DuckDB queries, against hand-computed values."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from teamweave.analytics.load import activity_table
from teamweave.analytics.ties import load_participants, pair_weight, people_table, reciprocity, tie_table
from teamweave.errors import TeamweaveError
from teamweave.ingest.records import Interaction
from teamweave.store.events import EventStore

PEOPLE = people_table([("ana", 1, "UTC"), ("ben", 1, "America/New_York"), ("cy", 2, "Asia/Tokyo"), ("dee", 2, "UTC")])


def _event(n: int, kind: str, ts: datetime, actor: str, *targets: str, **extra: object) -> Interaction:
    audience = extra.pop("audience", len(targets))
    return Interaction(
        org="acme",
        event_id=f"e{n}",
        source="calendar" if kind == "meeting" else "slack",
        kind=kind,
        ts=ts,
        actor=actor,
        targets=targets,
        audience=int(audience),  # type: ignore[call-overload]
        **extra,  # type: ignore[arg-type]
    )


def _load(tmp_path: Path, events: list[Interaction], **options: object) -> duckdb.DuckDBPyConnection:
    store = EventStore(tmp_path)
    store.append("acme", events)
    con = duckdb.connect()
    load_participants(con, store.read("acme", con), people=PEOPLE, **options)  # type: ignore[arg-type]
    return con


def _weights(con: duckdb.DuckDBPyConnection, period: str = "week") -> dict[tuple[str, str], tuple[float, bool]]:
    return {(r["a"], r["b"]): (r["weight"], r["reciprocated"]) for r in tie_table(con, period=period).to_pylist()}


MONDAY = datetime(2024, 1, 8, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kind", "audience", "duration_s"),
    [
        ("message", 1, None),
        ("reply", 3, None),
        ("reaction", 1, None),
        ("email", 2, None),
        ("meeting", 1, 3600),
        ("meeting", 3, None),
        ("call", 1, 60),
        ("meeting", 1, 36000),
    ],
)
def test_sql_weight_matches_pair_weight(tmp_path: Path, kind: str, audience: int, duration_s: int | None) -> None:
    targets = ["ben", "cy", "dee"][:audience]
    con = _load(tmp_path, [_event(1, kind, MONDAY, "ana", *targets, duration_s=duration_s)])
    weights = _weights(con)
    assert weights[("ana", "ben")][0] == pytest.approx(pair_weight(kind, audience=audience, duration_s=duration_s))


def test_meeting_ties_every_pair_of_attendees_both_ways(tmp_path: Path) -> None:
    con = _load(tmp_path, [_event(1, "meeting", MONDAY, "ana", "ben", "cy", duration_s=3600)])
    assert _weights(con) == {("ana", "ben"): (2.0, True), ("ana", "cy"): (2.0, True), ("ben", "cy"): (2.0, True)}


def test_broadcast_weight_falls_with_audience(tmp_path: Path) -> None:
    # a message to a 10-person channel of which two members are people of the analysis
    con = _load(tmp_path, [_event(1, "message", MONDAY, "ana", "ben", "stranger", audience=10)])
    assert _weights(con) == {("ana", "ben"): (pytest.approx(0.1), False)}


def test_symmetrised_weight_and_reciprocity(tmp_path: Path) -> None:
    events = [
        _event(1, "message", MONDAY, "ana", "ben"),
        _event(2, "message", MONDAY, "ben", "ana"),
        _event(3, "message", MONDAY, "ana", "cy"),
    ]
    con = _load(tmp_path, events)
    assert _weights(con) == {("ana", "ben"): (2.0, True), ("ana", "cy"): (1.0, False)}
    assert reciprocity(tie_table(con, period="week")) == 0.5


def test_bots_and_ai_make_no_ties_but_count_as_tool_events(tmp_path: Path) -> None:
    events = [
        _event(1, "message", MONDAY, "bot", "ana", by_bot=True),
        _event(2, "message", MONDAY, "ana", "ben", via_ai=True),
        _event(3, "message", MONDAY, "ana", "ben"),
    ]
    con = _load(tmp_path, events)
    assert _weights(con) == {("ana", "ben"): (1.0, False)}
    rows = {r["person"]: r for r in activity_table(con, period="week").to_pylist()}
    assert "bot" not in rows
    assert (rows["ana"]["human_events"], rows["ana"]["tool_events"]) == (1, 2)
    assert rows["ana"]["human_share"] == pytest.approx(1 / 3)
    assert (rows["ben"]["human_events"], rows["ben"]["tool_events"]) == (1, 1)


def test_aliases_and_exclusions(tmp_path: Path) -> None:
    events = [
        _event(1, "message", MONDAY, "slack-ana", "ben"),
        _event(2, "message", MONDAY, "dee", "ana"),  # dee opted out: the whole act is dropped
        _event(3, "message", MONDAY, "ana", "dee"),
        _event(4, "message", MONDAY, "unknown", "ana"),
    ]
    con = _load(tmp_path, events, aliases={"slack-ana": "ana"}, excluded=["dee"])
    assert _weights(con) == {("ana", "ben"): (1.0, False)}
    people = {r["person"] for r in activity_table(con, period="week").to_pylist()}
    assert people == {"ana", "ben"}
    rows = {r["person"]: r for r in activity_table(con, period="week").to_pylist()}
    assert rows["ana"]["human_events"] == 3  # e1 (as slack-ana), e3 (her own act), e4 (reached her)


def test_after_hours_in_own_time_zone(tmp_path: Path) -> None:
    events = [
        _event(1, "message", datetime(2024, 1, 9, 12, tzinfo=UTC), "ben", "ana"),  # 07:00 in New York: late
        _event(2, "message", datetime(2024, 1, 9, 23, 30, tzinfo=UTC), "ben", "ana"),  # 18:30 in New York
        _event(3, "message", datetime(2024, 1, 9, 0, 30, tzinfo=UTC), "cy", "ana"),  # 09:30 in Tokyo
        _event(4, "message", datetime(2024, 1, 12, 22, tzinfo=UTC), "cy", "ana"),  # Saturday 07:00 in Tokyo
        _event(5, "message", datetime(2024, 1, 13, 10, tzinfo=UTC), "ana", "ben"),  # Saturday in UTC
    ]
    rows = {r["person"]: r for r in activity_table(_load(tmp_path, events), period="week").to_pylist()}
    assert (rows["ben"]["acts"], rows["ben"]["after_hours_acts"]) == (2, 1)
    assert rows["cy"]["after_hours_share"] == 0.5
    assert rows["ana"]["after_hours_share"] == 1.0
    late = activity_table(_load(tmp_path / "b", events, work_day_start=6, work_day_end=24), period="week")
    assert {r["person"]: r["after_hours_acts"] for r in late.to_pylist()} == {"ana": 1, "ben": 0, "cy": 1}


def test_windows_are_monday_weeks_and_months_in_utc(tmp_path: Path) -> None:
    events = [
        _event(1, "message", datetime(2024, 1, 7, 23, 59, tzinfo=UTC), "ana", "ben"),  # Sunday
        _event(2, "message", datetime(2024, 1, 8, 0, 0, tzinfo=UTC), "ana", "ben"),  # Monday
        _event(3, "message", datetime(2024, 2, 1, 0, 0, tzinfo=UTC), "ana", "ben"),
    ]
    con = _load(tmp_path, events)
    weeks = [r["window_start"] for r in tie_table(con, period="week").to_pylist()]
    months = [r["window_start"] for r in tie_table(con, period="month").to_pylist()]
    assert weeks == [date(2024, 1, 1), date(2024, 1, 8), date(2024, 1, 29)]
    assert months == [date(2024, 1, 1), date(2024, 2, 1)]


def test_no_events_gives_empty_tables(tmp_path: Path) -> None:
    con = _load(tmp_path, [])
    assert tie_table(con, period="month").num_rows == 0
    assert activity_table(con, period="month").num_rows == 0
    assert reciprocity(pa.table({"reciprocated": pa.array([], type=pa.bool_())})) is None


def test_bad_work_day_and_period_are_typed_errors(tmp_path: Path) -> None:
    with pytest.raises(TeamweaveError, match="work day"):
        _load(tmp_path, [], work_day_start=19, work_day_end=8)
    with pytest.raises(TeamweaveError, match="unknown period"):
        tie_table(duckdb.connect(), period="year")


def test_after_hours_follows_daylight_saving(tmp_path: Path) -> None:
    events = [
        _event(1, "message", datetime(2024, 1, 9, 12, tzinfo=UTC), "ben", "ana"),  # 07:00 EST: late
        _event(2, "message", datetime(2024, 7, 9, 12, tzinfo=UTC), "ben", "ana"),  # 08:00 EDT: working hours
    ]
    rows = activity_table(_load(tmp_path, events), period="month").to_pylist()
    assert [(r["window_start"], r["after_hours_acts"]) for r in rows if r["person"] == "ben"] == [
        (date(2024, 1, 1), 1),
        (date(2024, 7, 1), 0),
    ]
