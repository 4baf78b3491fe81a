"""New-hire integration curves as the pages show them: a person's own, and aggregates over >= k newcomers.

A newcomer's curve (people in touch with by day 30, 60, 90 after their start date) is shown to them only,
next to the organisation's median over at least k other newcomers. A team page shows the median of its
newcomers (those who started within the analysed data) when at least k of them have a value for that day;
otherwise "too few people to show". Services never commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from statistics import median

from sqlalchemy.orm import Session

from teamweave.analytics.integration import DAYS
from teamweave.network import repository
from teamweave.network.models import NewHireIntegration
from teamweave.privacy.thresholds import passes


@dataclass(frozen=True)
class CurvePoint:
    """Day N after starting: ``value`` (own count or a median), None when unknown or under k."""

    day: int
    value: float | None


@dataclass(frozen=True)
class OwnIntegration:
    start_date: date
    own: list[CurvePoint]
    organisation: list[CurvePoint]


@dataclass(frozen=True)
class CohortIntegration:
    too_few: bool
    newcomers: int | None = None
    medians: list[CurvePoint] | None = None


def _value(row: NewHireIntegration, day: int) -> int | None:
    value: int | None = getattr(row, f"ties_{day}")
    return value


def _medians(rows: list[NewHireIntegration], k: int) -> list[CurvePoint]:
    points = []
    for day in DAYS:
        values = [v for r in rows if (v := _value(r, day)) is not None]
        points.append(CurvePoint(day, float(median(values)) if passes(len(values), k) else None))
    return points


def my_integration(session: Session, *, org: str, person_id: int, k: int) -> OwnIntegration | None:
    """A person's own curve (None when they started before the data), with the organisation's medians over
    the other newcomers (each day shown only when at least k of them have a value). For that person only."""
    rows = repository.integration_rows(session, org=org)
    own = next((r for r in rows if r.person_id == person_id), None)
    if own is None:
        return None
    others = [r for r in rows if r.person_id != person_id]
    return OwnIntegration(
        start_date=own.start_date,
        own=[CurvePoint(day, None if (v := _value(own, day)) is None else float(v)) for day in DAYS],
        organisation=_medians(others, k),
    )


def team_integration(session: Session, *, org: str, team_id: int, k: int) -> CohortIntegration:
    """The median curve of a team's newcomers; under k newcomers (or k values for a day) nothing is shown,
    not even how many newcomers there are."""
    rows = [r for r in repository.integration_rows(session, org=org) if r.team_id == team_id]
    if not passes(len(rows), k):
        return CohortIntegration(too_few=True)
    return CohortIntegration(too_few=False, newcomers=len(rows), medians=_medians(rows, k))
