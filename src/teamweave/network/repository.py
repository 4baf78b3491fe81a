"""Queries of the network capability (read side: the pages' views of the metric tables)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from teamweave.network.models import (
    AnalysisRun,
    NetworkStructure,
    NewHireIntegration,
    PersonMetric,
    TeamMetric,
    TeamTie,
)


def person_series(session: Session, *, org: str, pseudonym: str, period: str) -> list[PersonMetric]:
    stmt = (
        select(PersonMetric)
        .where(PersonMetric.org == org, PersonMetric.period == period, PersonMetric.pseudonym == pseudonym)
        .order_by(PersonMetric.window_start)
    )
    return list(session.execute(stmt).scalars())


def people_at(
    session: Session, *, org: str, period: str, window_start: date, pseudonyms: Collection[str]
) -> list[PersonMetric]:
    if not pseudonyms:
        return []
    stmt = select(PersonMetric).where(
        PersonMetric.org == org,
        PersonMetric.period == period,
        PersonMetric.window_start == window_start,
        PersonMetric.pseudonym.in_(list(pseudonyms)),
    )
    return list(session.execute(stmt).scalars())


def person_windows(session: Session, *, org: str, period: str) -> list[date]:
    stmt = (
        select(PersonMetric.window_start)
        .where(PersonMetric.org == org, PersonMetric.period == period)
        .distinct()
        .order_by(PersonMetric.window_start)
    )
    return list(session.execute(stmt).scalars())


def team_series(session: Session, *, org: str, team_id: int, period: str) -> list[TeamMetric]:
    stmt = (
        select(TeamMetric)
        .where(TeamMetric.org == org, TeamMetric.period == period, TeamMetric.team_id == team_id)
        .order_by(TeamMetric.window_start)
    )
    return list(session.execute(stmt).scalars())


def team_windows(session: Session, *, org: str, period: str) -> list[date]:
    stmt = (
        select(TeamMetric.window_start)
        .where(TeamMetric.org == org, TeamMetric.period == period)
        .distinct()
        .order_by(TeamMetric.window_start)
    )
    return list(session.execute(stmt).scalars())


def teams_at(session: Session, *, org: str, period: str, window_start: date) -> list[TeamMetric]:
    stmt = (
        select(TeamMetric)
        .where(TeamMetric.org == org, TeamMetric.period == period, TeamMetric.window_start == window_start)
        .order_by(TeamMetric.team_id)
    )
    return list(session.execute(stmt).scalars())


def team_ties_at(session: Session, *, org: str, period: str, window_start: date) -> list[TeamTie]:
    stmt = (
        select(TeamTie)
        .where(TeamTie.org == org, TeamTie.period == period, TeamTie.window_start == window_start)
        .order_by(TeamTie.team_a, TeamTie.team_b)
    )
    return list(session.execute(stmt).scalars())


def integration_rows(session: Session, *, org: str) -> list[NewHireIntegration]:
    stmt = select(NewHireIntegration).where(NewHireIntegration.org == org).order_by(NewHireIntegration.start_date)
    return list(session.execute(stmt).scalars())


def team_metrics_of_period(session: Session, *, org: str, period: str) -> list[TeamMetric]:
    stmt = (
        select(TeamMetric)
        .where(TeamMetric.org == org, TeamMetric.period == period)
        .order_by(TeamMetric.window_start, TeamMetric.team_id)
    )
    return list(session.execute(stmt).scalars())


def structure_series(session: Session, *, org: str, period: str) -> list[NetworkStructure]:
    """The org's network structure rows of ``period``, oldest first."""
    stmt = (
        select(NetworkStructure)
        .where(NetworkStructure.org == org, NetworkStructure.period == period)
        .order_by(NetworkStructure.window_start)
    )
    return list(session.execute(stmt).scalars())


def analysis_run(session: Session, *, org: str, run_id: int) -> AnalysisRun | None:
    """The org's analysis run with this id (None: no such run saved)."""
    return session.execute(
        select(AnalysisRun).where(AnalysisRun.org == org, AnalysisRun.id == run_id)
    ).scalar_one_or_none()
