"""analyze(since=...) recomputes only the windows a new week can change, and gives what a full run gives.

A seeded organisation (three teams, people in five time zones, newcomers, an alias, a bot, an opted-out
person, meetings, channels, after-hours and weekend acts) has 14 weeks of history; a 15th week is appended
and analysed incrementally. Every stored row (person, team and team-tie metrics of both periods, integration
curves) must equal those of a full run over the same 15 weeks.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from tests.network.seeded_org import FIRST, NEW_WEEK, ORG, clear, events, seed, stored_rows

from teamweave.network.analysis import analyze
from teamweave.store.events import EventStore


@pytest.mark.parametrize("periods", [("week", "month"), ("week", "month", "quarter"), ("quarter",)])
def test_new_week_equals_full_recompute(session: Session, tmp_path: Path, periods: tuple[str, ...]) -> None:
    seed(session)
    store = EventStore(tmp_path / "events")
    store.append(ORG, events(FIRST, 14, seed=1))
    analyze(session, org=ORG, events=store, k=2, periods=periods)
    before = stored_rows(session)
    store.append(ORG, events(NEW_WEEK, 1, seed=2))

    summary = analyze(session, org=ORG, events=store, k=2, periods=periods, since=NEW_WEEK.date())
    incremental = stored_rows(session)
    clear(session)
    analyze(session, org=ORG, events=store, k=2, periods=periods)
    full = stored_rows(session)

    assert incremental == full
    assert incremental != before  # the new week did change something
    # only the windows the week can change were recomputed: 3 weeks (the one before, its own, the one after
    # has no data), the month(s) it falls in and its quarter
    assert summary.windows < 7
    old_weeks = {r for r in before["PersonMetric"] if r[1] == "week" and r[2] < NEW_WEEK.date() - timedelta(days=7)}
    assert old_weeks <= set(incremental["PersonMetric"])


def test_no_new_events_changes_nothing(session: Session, tmp_path: Path) -> None:
    seed(session)
    store = EventStore(tmp_path / "events")
    store.append(ORG, events(FIRST, 6, seed=3))
    analyze(session, org=ORG, events=store, k=2)
    before = stored_rows(session)
    summary = analyze(session, org=ORG, events=store, k=2, since=date(2024, 6, 1))
    assert stored_rows(session) == before
    assert summary.windows == 0
