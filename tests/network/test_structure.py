"""analyze() stores each month's network structure and the people's structural metrics; the org page's service
shows only windows of at least k people."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from tests.network.seeded_org import FIRST, ORG, events, seed

from teamweave.network.analysis import AnalysisSummary, analyze
from teamweave.network.models import NetworkStructure, PersonMetric
from teamweave.network.structure import org_structure
from teamweave.store.events import EventStore


def _analysed(session: Session, tmp_path: Path) -> AnalysisSummary:
    seed(session)
    store = EventStore(tmp_path / "events")
    store.append(ORG, events(FIRST, 14, seed=1))
    return analyze(session, org=ORG, events=store, k=2)


def test_month_windows_get_structure_and_weeks_do_not(session: Session, tmp_path: Path) -> None:
    summary = _analysed(session, tmp_path)
    rows = session.execute(select(NetworkStructure).order_by(NetworkStructure.window_start)).scalars().all()
    assert (summary.communities, summary.team_nmi) == (rows[-1].communities, rows[-1].team_nmi)
    assert {r.period for r in rows} == {"month"}
    persons = session.execute(select(PersonMetric)).scalars().all()
    months = {p.window_start for p in persons if p.period == "month" and p.ties > 0}
    assert [r.window_start for r in rows] == sorted(months)
    for row in rows:
        tied = [p for p in persons if p.period == "month" and p.window_start == row.window_start and p.ties > 0]
        assert row.people == len(tied)
        assert row.strong_ties <= row.ties
        assert row.betweenness_pivots == 0
        assert row.betweenness_error == 0.0
        assert 0.0 <= (row.team_nmi or 0.0) <= 1.0
        assert row.communities >= 1
        assert all(p.betweenness is not None for p in tied)
    assert all(p.betweenness is None and p.burt_constraint is None for p in persons if p.period == "week")
    strong = [p for p in persons if p.period == "month" and p.strong_ties > 0]
    assert strong
    assert all(p.burt_constraint is not None for p in strong)
    assert all(p.burt_constraint is None for p in persons if p.period == "month" and p.strong_ties == 0)


def test_rerun_changes_nothing(session: Session, tmp_path: Path) -> None:
    _analysed(session, tmp_path)

    def snapshot() -> list[tuple[object, ...]]:
        rows = session.execute(select(NetworkStructure)).scalars().all()
        return sorted((r.window_start, r.people, r.ties, r.communities, r.modularity, r.team_nmi) for r in rows)

    before = snapshot()
    store = EventStore(tmp_path / "events")
    analyze(session, org=ORG, events=store, k=2)
    assert snapshot() == before


def test_org_structure_hides_windows_under_k(session: Session, tmp_path: Path) -> None:
    _analysed(session, tmp_path)
    rows = session.execute(select(NetworkStructure).order_by(NetworkStructure.window_start)).scalars().all()
    rows[-1].people = 3
    session.flush()
    today = date(2030, 1, 1)
    shown = org_structure(session, org=ORG, k=5, today=today)
    assert [p.window_start for p in shown.series] == [r.window_start for r in rows[:-1]]
    assert shown.latest is not None
    assert shown.latest.window_start == rows[-2].window_start
    assert shown.people == rows[-2].people
    assert org_structure(session, org=ORG, k=100, today=today).latest is None
