"""Cross-site reach, meeting hours and messages sent, by hand, from real stored events.

Six people: ana and ben at site 1, cy and eve at site 2, dee and fay of unknown site; two bots. One week of
events (weights in tie units, docs/metrics.md "Tie weights"):

- ana -> ben: a message (1), a reaction (0.25), a mention (1); ben -> ana: a reply (1); ana and ben: a meeting
  of unknown duration (2: 30 minutes assumed for the weight, no hours counted). ana-ben weighs 5.25, same site.
- ana -> cy: a message (1) and a one-hour meeting (4): 5, across sites.
- ana -> dee: an e-mail (1); fay -> ana: a message (1): ties to people of unknown site, counted nowhere.
- ana: a 30-minute meeting with only the two bots, a message to a bot, and a one-hour meeting a bot
  organised with ana and a bot only: no other human, so no meeting hours; no tie; not a message to people.
- a bot organises a 30-minute meeting with ben and cy: two humans, so half an hour each (a bot event: no tie).
- ben -> cy: a message drafted with an AI tool (a tool interaction, no tie, but a message sent to a person).
- dee -> eve: a code review comment (1); eve's only tie is to someone of unknown site.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pytest

from teamweave.analytics.person_metrics import cross_site_share, person_metrics, person_tie_stats
from teamweave.analytics.pipeline import connect, period_tables
from teamweave.analytics.ties import as_people, load_participants, people_table, tie_table
from teamweave.ingest.records import Interaction
from teamweave.store.events import EventStore

PEOPLE = people_table(
    [
        ("ana", 1, "UTC", None, 1),
        ("ben", 1, "UTC", None, 1),
        ("cy", 2, "UTC", None, 2),
        ("dee", 2, "UTC", None, None),
        ("eve", 2, "UTC", None, 2),
        ("fay", 1, "UTC", None, None),
    ]
)
BOTS = ["bot1", "bot2"]
WEEK1 = datetime(2024, 1, 8, 10, tzinfo=UTC)
WEEK2 = WEEK1 + timedelta(weeks=1)


def _event(n: int, source: str, kind: str, ts: datetime, actor: str, *targets: str, **extra: Any) -> Interaction:
    return Interaction(
        org="acme",
        event_id=f"e{n}",
        source=source,
        kind=kind,
        ts=ts + timedelta(minutes=n),
        actor=actor,
        targets=targets,
        audience=len(targets),
        **extra,
    )


def _week_events(ts: datetime = WEEK1) -> list[Interaction]:
    return [
        _event(1, "slack", "message", ts, "ana", "ben"),
        _event(2, "slack", "reaction", ts, "ana", "ben"),
        _event(3, "slack", "mention", ts, "ana", "ben"),
        _event(4, "slack", "reply", ts, "ben", "ana"),
        _event(5, "calendar", "meeting", ts, "ana", "ben"),  # no duration
        _event(6, "slack", "message", ts, "ana", "cy"),
        _event(7, "calendar", "meeting", ts, "ana", "cy", duration_s=3600),
        _event(8, "email", "email", ts, "ana", "dee"),
        _event(9, "slack", "message", ts, "fay", "ana"),
        _event(10, "calendar", "meeting", ts, "ana", "bot1", "bot2", duration_s=1800),
        _event(11, "slack", "message", ts, "ana", "bot1"),
        _event(12, "calendar", "meeting", ts, "bot2", "ana", "bot1", duration_s=3600, by_bot=True),
        _event(13, "calendar", "meeting", ts, "bot1", "ben", "cy", duration_s=1800, by_bot=True),
        _event(14, "slack", "message", ts, "ben", "cy", via_ai=True),
        _event(15, "github", "review", ts, "dee", "eve"),
    ]


def _con(tmp_path: Path, events: list[Interaction], *, people: pa.Table = PEOPLE) -> duckdb.DuckDBPyConnection:
    store = EventStore(tmp_path)
    store.append("acme", events)
    con = connect()
    load_participants(con, store.read("acme", con), people=people, bots=BOTS)
    return con


def _by_person(table: pa.Table, column: str) -> dict[str, Any]:
    return {r["person"]: r[column] for r in table.to_pylist()}


def test_cross_site_share_by_hand(tmp_path: Path) -> None:
    con = _con(tmp_path, _week_events())
    persons = person_metrics(con, tie_table(con, period="week"), people=PEOPLE, period="week")
    shares = _by_person(persons, "cross_site_share")
    assert shares["ana"] == pytest.approx(5 / 10.25)  # to cy 5 of 5 + 5.25 (dee and fay: unknown site)
    assert shares["ben"] == 0.0  # ana only: same site
    assert shares["cy"] == 1.0  # ana only: the other site
    assert shares["eve"] is None  # her one tie is to dee, of unknown site
    assert (shares["dee"], shares["fay"]) == (None, None)  # no site of their own


def test_meeting_hours_by_hand(tmp_path: Path) -> None:
    con = _con(tmp_path, _week_events())
    persons = person_metrics(con, tie_table(con, period="week"), people=PEOPLE, period="week")
    hours = _by_person(persons, "meeting_hours")
    # ana: the hour with cy; not the meetings with bots only, not the one of unknown duration
    assert hours["ana"] == pytest.approx(1.0)
    assert hours["ben"] == pytest.approx(0.5)  # the meeting a bot organised with cy
    assert hours["cy"] == pytest.approx(1.5)
    assert (hours["dee"], hours["eve"], hours["fay"]) == (0.0, 0.0, 0.0)


def test_messages_sent_by_hand(tmp_path: Path) -> None:
    con = _con(tmp_path, _week_events())
    persons = person_metrics(con, tie_table(con, period="week"), people=PEOPLE, period="week")
    sent = _by_person(persons, "messages_sent")
    # ana: the messages to ben and cy, the e-mail to dee; not the reaction, the mention, the message to a bot
    assert sent == {"ana": 3, "ben": 2, "cy": 0, "dee": 1, "eve": 0, "fay": 1}


def test_meeting_hours_unknown_without_any_timed_meeting(tmp_path: Path) -> None:
    """A week with no meeting of known duration (no calendar data) has no meeting hours, not zero hours; a week
    with one gives zero to everyone else."""
    events = [
        *_week_events(),
        _event(20, "slack", "message", WEEK2, "ana", "ben"),
        _event(21, "teams", "call", WEEK2, "ben", "cy"),  # no duration
    ]
    con = _con(tmp_path, events)
    persons = person_metrics(con, tie_table(con, period="week"), people=PEOPLE, period="week")
    second = {r["person"]: r["meeting_hours"] for r in persons.to_pylist() if r["window_start"] == WEEK2.date()}
    assert second == {"ana": None, "ben": None, "cy": None}
    assert {r["person"]: r["messages_sent"] for r in persons.to_pylist() if r["window_start"] == WEEK2.date()} == {
        "ana": 1,
        "ben": 0,
        "cy": 0,
    }


def test_unknown_sites_everywhere_give_no_share(tmp_path: Path) -> None:
    """People without a site column (a people file from before sites) analyse as before, with no share."""
    no_sites = PEOPLE.drop_columns(["site_id"])
    con = _con(tmp_path, _week_events(), people=no_sites)
    persons = person_metrics(con, tie_table(con, period="week"), people=no_sites, period="week")
    assert set(persons.column("cross_site_share").to_pylist()) == {None}
    assert as_people(no_sites).column("site_id").null_count == no_sites.num_rows


def test_person_tie_stats_reads_the_sites_of_people() -> None:
    """Straight from a tie table: a star with centre c (site 1), leaves at sites 1, 2, 2 and unknown."""
    week = WEEK1.date()
    people = people_table([("c", 1, "UTC", None, 1), ("w", 1, "UTC", None, 1), ("x", 1, "UTC", None, 2)])
    people = pa.concat_tables([people, people_table([("y", 1, "UTC", None, 2), ("z", 1, "UTC")])])
    ties = pa.table(
        {
            "window_start": [week] * 4,
            "a": ["c"] * 4,
            "b": list("wxyz"),
            "weight": [1.0, 2.0, 3.0, 4.0],
            "reciprocated": [True] * 4,
        }
    )
    stats = person_tie_stats(duckdb.connect(), ties, people=people, period="week")
    assert _by_person(stats, "cross_site_share") == {"c": pytest.approx(5 / 6), "w": 0.0, "x": 1.0, "y": 1.0, "z": None}


def test_cross_site_share_undefined_without_sited_ties_or_own_site() -> None:
    shares = cross_site_share([0.0, 2.0, 1.0], [0.0, 4.0, 4.0], has_site=[True, False, True])
    assert np.isnan(shares[:2]).all()
    assert shares[2] == 0.25


@pytest.mark.parametrize("period", ["week", "month"])
def test_pipeline_gives_what_the_public_functions_give(tmp_path: Path, period: str) -> None:
    events = [*_week_events(), *_week_events(WEEK2 + timedelta(weeks=3))]
    events = [e._replace(event_id=f"{e.event_id}-{i}") for i, e in enumerate(events)]
    con = _con(tmp_path / "a", events)
    fast = period_tables(con, people=PEOPLE, period=period, k=None).persons
    con = _con(tmp_path / "b", events)
    slow = person_metrics(con, tie_table(con, period=period), people=PEOPLE, period=period)
    columns = ["window_start", "person", "cross_site_share", "meeting_hours", "messages_sent"]
    assert fast.select(columns).to_pylist() == slow.select(columns).to_pylist()
    assert fast.column("messages_sent").null_count == 0
