"""A full analysis one month at a time (network.monthly) stores exactly what one pass over every event stores.

The seeded organisation (tests/network/seeded_org.py: aliases, a bot, an opted-out person, newcomers starting
across the months, five time zones) has five weeks of events from Monday 29 January 2024, none from 4 to 31
March (so the April pass starts after windows without ties, whose changes are still not the data's first),
six weeks from 1 April, and acts on month boundaries whose local day is in the other month. Both ways of
running must store the same person, team, team-tie and structure rows of both periods, the same integration
curves and the same summary.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.orm import Session
from tests.network.seeded_org import FIRST, ORG, clear, events, person, seed, stored_rows

from teamweave.ingest.records import Interaction
from teamweave.network.analysis import analyze
from teamweave.store.events import EventStore
from teamweave.store.tie_cache import FORMAT, TieCache


def _edges() -> list[Interaction]:
    """Acts at UTC month boundaries: the local day (Auckland, New York) is in the other month."""
    out = []
    for n, ts in enumerate(
        [datetime(2024, 3, 1, 0, 30, tzinfo=UTC), datetime(2024, 4, 30, 23, 59, tzinfo=UTC)]
        + [datetime(2024, 5, 1, 0, 1, tzinfo=UTC)]
    ):
        for actor, target in ((1, 4), (4, 1), (2, 9)):
            out.append(
                Interaction(
                    org=ORG,
                    event_id=f"edge-{n}-{actor}",
                    source="slack",
                    kind="message",
                    ts=ts,
                    actor=person(actor),
                    targets=(person(target),),
                    audience=1,
                )
            )
    return out


def _store(tmp_path: Path) -> EventStore:
    store = EventStore(tmp_path / "events")
    store.append(ORG, events(FIRST, 5, seed=7))
    store.append(ORG, events(datetime(2024, 4, 1, tzinfo=UTC), 6, seed=8))
    store.append(ORG, _edges())
    return store


def test_month_by_month_equals_one_pass(session: Session, tmp_path: Path) -> None:
    seed(session)
    store = _store(tmp_path)
    one = analyze(session, org=ORG, events=store, k=2, by_month=False)
    whole = stored_rows(session)
    clear(session)
    monthly = analyze(session, org=ORG, events=store, k=2, by_month=True)

    assert stored_rows(session) == whole
    for model in ("PersonMetric", "TeamMetric", "TeamTie", "NetworkStructure", "NewHireIntegration"):
        assert whole[model], model
    for field in ("windows", "people", "teams", "ties", "team_ties_hidden", "communities", "team_nmi"):
        assert getattr(monthly, field) == getattr(one, field), field


def test_month_by_month_keeps_the_latest_ties_for_the_next_week(session: Session, tmp_path: Path) -> None:
    """The passes leave the tie cache as a one-pass run does: the latest windows' ties, ready for ``since``."""
    seed(session)
    store = _store(tmp_path)
    cache = TieCache.beside(store)
    analyze(session, org=ORG, events=store, k=2, by_month=False)
    kept = _kept_files(cache)
    assert kept["quarter"] == ["2024-01-01.parquet", "2024-04-01.parquet"]
    assert "2024-05-01.people.parquet" in kept["month"]
    analyze(session, org=ORG, events=store, k=2, by_month=True)
    assert _kept_files(cache) == kept


def _kept_files(cache: TieCache) -> dict[str, list[str]]:
    folder = cache.root / f"org={ORG}" / f"v{FORMAT}"
    return {p: sorted(f.name for f in (folder / p).iterdir()) for p in ("week", "month", "quarter")}


def test_quarters_month_by_month_at_the_data_edges(session: Session, tmp_path: Path) -> None:
    """Data from Monday 1 January 2024, 00:00 UTC (the first day of a quarter: the first pass also owns the
    December before it, whose quarter is not the data's first) to an act at 22:00 UTC on Wednesday 31 January,
    which is Thursday 1 February, 11:00 in Auckland: February has no UTC event, only that working day, whose
    focus counts in the first quarter. Month by month stores what one pass does."""
    seed(session)
    store = EventStore(tmp_path / "events")
    store.append(ORG, events(datetime(2024, 1, 1, tzinfo=UTC), 3, seed=11))
    late = datetime(2024, 1, 31, 22, tzinfo=UTC)
    store.append(
        ORG,
        [
            Interaction(
                org=ORG,
                event_id="late",
                source="slack",
                kind="message",
                ts=late,
                actor=person(4),  # Pacific/Auckland
                targets=(person(1),),
                audience=1,
            )
        ],
    )
    analyze(session, org=ORG, events=store, k=2, by_month=False)
    whole = stored_rows(session)
    clear(session)
    analyze(session, org=ORG, events=store, k=2, by_month=True)
    assert stored_rows(session) == whole
    quarters = [r for r in whole["PersonMetric"] if r[1] == "quarter"]
    assert {r[2] for r in quarters} == {date(2024, 1, 1)}
