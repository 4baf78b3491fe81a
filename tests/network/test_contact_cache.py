"""An incremental run takes the newcomers' contacts the last run kept and adds the new events' (instead of
reading every newcomer's events of the last 92 days again); without them it gathers them from those events,
with the same rows either way, and keeps its own for the next run."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pyarrow.parquet as pq
from sqlalchemy.orm import Session
from tests.network.seeded_org import FIRST, NEW_WEEK, ORG, P, clear, events, person, seed, stored_rows

from teamweave.analytics.incremental import INTEGRATION_REACH
from teamweave.ingest.records import Interaction
from teamweave.network.analysis import analyze
from teamweave.store.events import EventStore
from teamweave.store.tie_cache import COMPLETE_FROM, TieCache


def _history(session: Session, tmp_path: Path) -> EventStore:
    """The seeded history, and a new week in which p18, a newcomer with no events before, first meets p16, who
    started 55 days before (so the new week's own contacts change p16's count at day 60)."""
    seed(session, people=19)
    store = EventStore(tmp_path / "events")
    store.append(ORG, events(FIRST, 14, seed=1))
    analyze(session, org=ORG, events=store, k=2)
    first_meeting = Interaction(
        org=ORG,
        event_id=P.event_id("slack", "first-meeting"),
        source="slack",
        kind="message",
        ts=NEW_WEEK + timedelta(days=2, hours=15),
        actor=person(16),
        targets=(person(18),),
        audience=1,
    )
    store.append(ORG, [*events(NEW_WEEK, 1, seed=2), first_meeting])
    return store


def _contacts_file(store: EventStore) -> Path:
    return TieCache.beside(store).root / f"org={ORG}" / "contacts.parquet"


def _complete_from(store: EventStore) -> date:
    metadata = pq.read_schema(_contacts_file(store)).metadata or {}
    return date.fromisoformat(metadata[COMPLETE_FROM].decode())


def _full(session: Session, store: EventStore) -> dict[str, list[tuple[object, ...]]]:
    clear(session)
    analyze(session, org=ORG, events=store, k=2)
    return stored_rows(session)


def test_a_full_run_keeps_the_contacts_of_the_newest_newcomers(session: Session, tmp_path: Path) -> None:
    store = _history(session, tmp_path)
    last_day = (NEW_WEEK - timedelta(days=1)).date()  # the history's last day (local days may reach one further)
    assert last_day - INTEGRATION_REACH <= _complete_from(store) <= last_day + timedelta(days=1) - INTEGRATION_REACH
    kept = pq.read_table(_contacts_file(store))
    assert kept.num_rows > 0
    assert set(kept.column_names) == {"person", "other", "first_offset"}


def test_the_kept_contacts_give_the_full_runs_curves(session: Session, tmp_path: Path) -> None:
    store = _history(session, tmp_path)
    analyze(session, org=ORG, events=store, k=2, since=NEW_WEEK.date())
    incremental = stored_rows(session)
    assert _complete_from(store) == NEW_WEEK.date() - INTEGRATION_REACH  # kept again for the next run
    assert incremental == _full(session, store)


def test_without_kept_contacts_the_run_reads_the_newcomers_events(session: Session, tmp_path: Path) -> None:
    store = _history(session, tmp_path)
    _contacts_file(store).unlink()
    analyze(session, org=ORG, events=store, k=2, since=NEW_WEEK.date())
    incremental = stored_rows(session)
    assert _complete_from(store) == NEW_WEEK.date() - INTEGRATION_REACH
    assert incremental == _full(session, store)


def test_the_run_reads_the_kept_contacts(session: Session, tmp_path: Path) -> None:
    """Kept contacts emptied: the curves lose the history's contacts, so the run did not gather them again."""
    store = _history(session, tmp_path)
    path = _contacts_file(store)
    kept = pq.read_table(path)
    pq.write_table(kept.slice(0, 0).replace_schema_metadata(kept.schema.metadata), path)
    analyze(session, org=ORG, events=store, k=2, since=NEW_WEEK.date())
    emptied = stored_rows(session)["NewHireIntegration"]
    assert emptied != _full(session, store)["NewHireIntegration"]


def test_contacts_kept_from_too_late_a_start_are_not_used(session: Session, tmp_path: Path) -> None:
    """Kept contacts that miss newcomers the new week can change (complete only from a later start date) are
    ignored: the run gathers them from the events."""
    store = _history(session, tmp_path)
    path = _contacts_file(store)
    kept = pq.read_table(path)
    late = {COMPLETE_FROM: (NEW_WEEK.date() - INTEGRATION_REACH + timedelta(days=1)).isoformat().encode()}
    pq.write_table(kept.slice(0, 0).replace_schema_metadata(late), path)
    analyze(session, org=ORG, events=store, k=2, since=NEW_WEEK.date())
    assert stored_rows(session) == _full(session, store)
