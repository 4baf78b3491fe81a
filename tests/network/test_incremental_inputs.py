"""An incremental run keeps the stored rows of the windows it does not recompute only when what the analysis
reads besides the events did not change in a way that reaches back (``analytics.run_inputs``): an opt-out, a
team move or a new identity of someone already there make it a full run; a new hire who starts with the new
events does not. Either way the rows equal a full run's."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from tests.network.seeded_org import FIRST, NEW_WEEK, ORG, P, clear, events, person, seed, stored_rows

from teamweave.imports.models import Identity
from teamweave.ingest.records import Interaction
from teamweave.network.analysis import AnalysisSummary, analyze
from teamweave.network.models import PersonMetric
from teamweave.people.models import Person
from teamweave.store.events import EventStore

HIRE = 18  # p18: not in the seeded directory; the new week's events already name them
HIRE_ALIAS = P.identity("slack", "U-P18")


def _history(session: Session, tmp_path: Path) -> EventStore:
    seed(session)
    store = EventStore(tmp_path / "events")
    before_hire = [  # the weekend before the new week names p18, not yet in the directory, and their alias
        Interaction(
            ORG, P.event_id("slack", f"early-{h}"), "slack", "message", NEW_WEEK - timedelta(hours=h), actor, target, 1
        )
        for h in range(1, 48, 3)
        for actor, target in ((HIRE_ALIAS, (person(1),)), (person(2), (person(HIRE),)))
    ]
    store.append(ORG, [*events(FIRST, 14, seed=1), *before_hire])
    analyze(session, org=ORG, events=store, k=2)
    new_week = events(NEW_WEEK, 1, seed=2, people=HIRE + 1)  # p18 among the targets
    by_alias = [
        Interaction(ORG, P.event_id("slack", f"alias-{n}"), "slack", "message", e.ts, HIRE_ALIAS, (person(n % 6),), 1)
        for n, e in enumerate(new_week[:20])
    ]
    store.append(ORG, [*new_week, *by_alias])
    return store


def _incremental_and_full(session: Session, store: EventStore) -> tuple[AnalysisSummary, dict[str, list[Any]]]:
    summary = analyze(session, org=ORG, events=store, k=2, since=NEW_WEEK.date())
    incremental = stored_rows(session)
    clear(session)
    analyze(session, org=ORG, events=store, k=2)
    assert incremental == stored_rows(session)
    return summary, incremental


def test_an_opt_out_makes_the_next_run_full(session: Session, tmp_path: Path) -> None:
    store = _history(session, tmp_path)
    session.execute(update(Person).where(Person.pseudonym == person(3)).values(analytics_opt_out=True))
    summary, rows = _incremental_and_full(session, store)
    assert summary.full_because == "someone opted out of analytics or back in"
    assert summary.windows > 20  # every window, not the few the new week changes
    assert not session.execute(select(PersonMetric).where(PersonMetric.pseudonym == person(3))).first()


def test_a_run_of_weeks_alone_leaves_the_months_to_notice_an_opt_out(session: Session, tmp_path: Path) -> None:
    """After an opt-out, a run of the weeks alone recomputes the weeks, not the months: the next incremental run
    of every period must still run in full, or the months' old windows would keep counting the person."""
    store = _history(session, tmp_path)
    session.execute(update(Person).where(Person.pseudonym == person(3)).values(analytics_opt_out=True))
    analyze(session, org=ORG, events=store, k=2, periods=("week",))
    summary, _ = _incremental_and_full(session, store)
    assert summary.full_because == "someone opted out of analytics or back in"
    assert not session.execute(select(PersonMetric).where(PersonMetric.pseudonym == person(3))).first()


def test_a_team_move_makes_the_next_run_full(session: Session, tmp_path: Path) -> None:
    store = _history(session, tmp_path)
    mover = session.execute(select(Person).where(Person.pseudonym == person(4))).scalar_one()
    other = session.execute(select(Person.team_id).where(Person.team_id != mover.team_id)).scalars().first()
    mover.team_id = other
    summary, _ = _incremental_and_full(session, store)
    assert summary.full_because == "a person's team, time zone, start date or site changed"


def _hire(session: Session, *, start: timedelta) -> None:
    team = session.execute(select(Person.team_id)).scalars().first()
    hire = Person(
        org=ORG,
        email=f"p{HIRE}@acme.test",
        name=f"P{HIRE}",
        pseudonym=person(HIRE),
        team_id=team,
        timezone="Pacific/Auckland",
        start_date=(NEW_WEEK + start).date(),
    )
    session.add(hire)
    session.flush()
    session.add(Identity(org=ORG, source="slack", pseudonym=HIRE_ALIAS, label="@p18", person_id=hire.id))
    session.flush()


def test_a_new_hire_who_starts_with_the_new_week_keeps_the_run_incremental(session: Session, tmp_path: Path) -> None:
    """The hire (Auckland) starts on the new week's Monday, which begins at 11:00 UTC on the Sunday before: the
    history's Sunday events that name them count from then on, in the week the run recomputes."""
    store = _history(session, tmp_path)
    _hire(session, start=timedelta(0))
    summary, rows = _incremental_and_full(session, store)
    assert summary.full_because is None
    assert summary.windows < 7
    assert any(r[3] == person(HIRE) for r in rows["PersonMetric"])  # (org, period, window, pseudonym, ...)
    week_before = (NEW_WEEK - timedelta(weeks=1)).date()
    assert any(r[1:4] == ("week", week_before, person(HIRE)) for r in rows["PersonMetric"])


def test_a_run_of_some_periods_does_not_vouch_for_the_newcomers_curves(session: Session, tmp_path: Path) -> None:
    """Every run replaces the newcomers' curves. After an opt-out, a run of the weeks; back in; then a run of the
    months from the new week: the months' kept inputs match again, but the curves (and the contacts kept for
    them) were last computed without the person, so the run must be a full one."""
    store = _history(session, tmp_path)
    opted = update(Person).where(Person.pseudonym == person(3))
    session.execute(opted.values(analytics_opt_out=True))
    analyze(session, org=ORG, events=store, k=2, periods=("week",))
    session.execute(opted.values(analytics_opt_out=False))
    summary = analyze(session, org=ORG, events=store, k=2, periods=("month",), since=NEW_WEEK.date())
    assert summary.full_because is not None
    assert summary.full_because.startswith("someone opted out")


def test_inputs_kept_by_a_run_that_was_not_saved_count_for_nothing(session: Session, tmp_path: Path) -> None:
    """A run whose commit failed (rolled back here) leaves kept inputs that describe rows the database does not
    hold: the next incremental run must not trust them."""
    seed(session)
    session.commit()
    store = EventStore(tmp_path / "events")
    store.append(ORG, events(FIRST, 14, seed=1))
    analyze(session, org=ORG, events=store, k=2)
    session.rollback()
    store.append(ORG, events(NEW_WEEK, 1, seed=2))
    summary, _ = _incremental_and_full(session, store)
    assert summary.full_because == "nothing is kept of the people and settings of the last saved run of the weeks"


def test_a_new_hire_who_started_before_makes_the_run_full(session: Session, tmp_path: Path) -> None:
    store = _history(session, tmp_path)
    _hire(session, start=-timedelta(weeks=3))
    summary, _ = _incremental_and_full(session, store)
    assert summary.full_because is not None
    assert summary.full_because.startswith("people were added who may have taken part before")
