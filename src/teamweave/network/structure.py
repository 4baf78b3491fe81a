"""The organisation's network structure for the org page: do the communities people actually work in match
the formal teams? An aggregate over everyone analysed, shown only when that is at least k people."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from teamweave.analytics.structure import STRUCTURE_PERIODS
from teamweave.network import repository
from teamweave.network.service import finished
from teamweave.privacy.thresholds import passes

PERIOD = STRUCTURE_PERIODS[0]


@dataclass(frozen=True)
class StructurePoint:
    window_start: date
    communities: int
    team_nmi: float | None
    modularity: float | None


@dataclass(frozen=True)
class OrgStructure:
    """The latest finished window's communities against the teams, and the series of earlier windows."""

    period: str
    k: int
    latest: StructurePoint | None
    people: int | None
    betweenness_pivots: int
    betweenness_error: float
    series: list[StructurePoint] = field(default_factory=list)

    @property
    def reading(self) -> str | None:
        """What the latest NMI says, in words (None without one)."""
        nmi = self.latest.team_nmi if self.latest else None
        if nmi is None:
            return None
        if nmi >= 0.8:
            return "People mostly work inside their formal teams: the communities found are close to the org chart."
        if nmi >= 0.5:
            return (
                "Work partly follows the formal teams: several communities span teams, or teams split into "
                "separate groups."
            )
        return (
            "Work mostly happens across team lines: the communities found differ from the formal teams "
            "(a matrix organisation, or an org chart that no longer matches how people work)."
        )


def org_structure(session: Session, *, org: str, k: int, today: date | None = None) -> OrgStructure:
    """The org's structure rows of finished windows that cover at least ``k`` people."""
    rows = repository.structure_series(session, org=org, period=PERIOD)
    done = set(finished([r.window_start for r in rows], PERIOD, today))
    shown = [r for r in rows if r.window_start in done and passes(r.people, k)]
    series = [StructurePoint(r.window_start, r.communities, r.team_nmi, r.modularity) for r in shown]
    last = shown[-1] if shown else None
    return OrgStructure(
        period=PERIOD,
        k=k,
        latest=series[-1] if series else None,
        people=last.people if last else None,
        betweenness_pivots=last.betweenness_pivots if last else 0,
        betweenness_error=last.betweenness_error if last else 0.0,
        series=series,
    )
