"""An incremental run reads the kept ties of the window before the ones it recomputes (and so loads only the
events of the recomputed windows); without them it loads that window's events, with the same rows either way."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.network.seeded_org import FIRST, NEW_WEEK, ORG, clear, events, seed, stored_rows

from teamweave.analytics.windows import PERIODS, previous_window
from teamweave.network.analysis import analyze
from teamweave.network.models import PersonMetric
from teamweave.store.events import EventStore
from teamweave.store.tie_cache import KEEP, TieCache


def _history(session: Session, tmp_path: Path) -> tuple[EventStore, TieCache]:
    seed(session)
    store = EventStore(tmp_path / "events")
    store.append(ORG, events(FIRST, 14, seed=1))
    analyze(session, org=ORG, events=store, k=2)
    store.append(ORG, events(NEW_WEEK, 1, seed=2))
    return store, TieCache.beside(store)


def _full(session: Session, store: EventStore) -> dict[str, list[tuple[object, ...]]]:
    clear(session)
    analyze(session, org=ORG, events=store, k=2)
    return stored_rows(session)


def _kept(tmp_path: Path, period: str) -> list[str]:
    return [w.isoformat() for w in TieCache(tmp_path / "events" / "tie-cache").windows(ORG, period)]


def test_a_full_run_keeps_the_latest_windows(session: Session, tmp_path: Path) -> None:
    _history(session, tmp_path)
    assert _kept(tmp_path, "week") == ["2024-04-01", "2024-04-08", "2024-04-15", "2024-04-22", "2024-04-29"]
    assert _kept(tmp_path, "month") == ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01"]
    assert _kept(tmp_path, "quarter") == ["2024-01-01", "2024-04-01"]
    assert len(_kept(tmp_path, "week")) == KEEP


def test_without_kept_ties_the_run_loads_the_window_before(session: Session, tmp_path: Path) -> None:
    store, cache = _history(session, tmp_path)
    for period in PERIODS:
        cache.clear(ORG, period)
    summary = analyze(session, org=ORG, events=store, k=2, since=NEW_WEEK.date())
    assert summary.full_because is None  # the kept inputs say nothing changed: incremental, from the events
    assert summary.windows < 7
    assert stored_rows(session) == _full(session, store)


def test_a_cleared_cache_makes_the_next_run_full(session: Session, tmp_path: Path) -> None:
    """Erasure clears the org's cache: with nothing kept of the last run's inputs, the run cannot know the
    history still holds, so it runs in full."""
    store, cache = _history(session, tmp_path)
    cache.clear(ORG)
    summary = analyze(session, org=ORG, events=store, k=2, since=NEW_WEEK.date())
    assert summary.full_because is not None
    assert "nothing is kept" in summary.full_because
    assert summary.windows > 20  # every window of the 15 weeks, not the few a week changes
    assert all(cache.run_inputs(ORG, period) is not None for period in PERIODS)  # kept again for the next run


def test_the_kept_ties_are_what_the_run_compares_with(session: Session, tmp_path: Path) -> None:
    """Emptying the kept ties of the window before the new week's changes that week's turnover: the run read
    them, and did not recompute that window from its events."""
    store, cache = _history(session, tmp_path)
    week_before = previous_window(previous_window(NEW_WEEK.date(), period="week"), period="week")
    kept = cache.read(ORG, "week", week_before)
    assert kept is not None
    assert kept.num_rows > 0
    cache.replace(ORG, "week", {week_before: kept.slice(0, 0)})
    analyze(session, org=ORG, events=store, k=2, since=NEW_WEEK.date())
    tampered = stored_rows(session)
    # the first recomputed week was compared with the kept (emptied) week before: each of its ties is a change
    first = previous_window(NEW_WEEK.date(), period="week")
    changes = session.execute(
        select(PersonMetric.ties, PersonMetric.ties_change).where(
            PersonMetric.period == "week", PersonMetric.window_start == first
        )
    ).all()
    assert changes
    assert all(change == ties for ties, change in changes)
    assert tampered != _full(session, store)


def test_the_quarter_is_combined_from_the_kept_months(session: Session, tmp_path: Path) -> None:
    """The new week (6 May) changes the second quarter, whose April the run does not recompute: emptying April's
    kept people piece changes the quarter's rows, so the run combined the quarter from it rather than loading
    April's events; untouched, the rows are those of a full run."""
    store, cache = _history(session, tmp_path)
    april = cache.people_file(ORG, "month", date(2024, 4, 1))
    assert april is not None
    table = pq.read_table(april)
    assert table.num_rows > 0
    pq.write_table(table.slice(0, 0), april)
    analyze(session, org=ORG, events=store, k=2, since=NEW_WEEK.date())
    tampered = {r for r in stored_rows(session)["PersonMetric"] if r[1] == "quarter"}
    full = {r for r in _full(session, store)["PersonMetric"] if r[1] == "quarter"}
    assert tampered != full
    assert {r for r in tampered if r[2] == date(2024, 1, 1)} == {r for r in full if r[2] == date(2024, 1, 1)}


def test_the_incremental_run_keeps_its_windows_for_the_next(session: Session, tmp_path: Path) -> None:
    store, cache = _history(session, tmp_path)
    analyze(session, org=ORG, events=store, k=2, since=NEW_WEEK.date())
    assert _kept(tmp_path, "week")[-1] == NEW_WEEK.date().isoformat()
    assert cache.read(ORG, "month", date(2024, 5, 1)) is not None
    table = cache.read(ORG, "week", NEW_WEEK.date())
    assert isinstance(table, pa.Table)
    assert table.num_rows > 0
