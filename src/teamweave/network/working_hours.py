"""The working hours a team shares across its members' time zones (an aggregate over >= k people)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from teamweave.analytics.working_hours import WEEKDAYS, overlap_hours
from teamweave.errors import NotFound
from teamweave.network.service import members_at
from teamweave.people import service as people_service
from teamweave.privacy.thresholds import passes


@dataclass(frozen=True)
class TeamOverlap:
    """Hours per weekday in which every member is inside their working day; ``too_few`` hides everything."""

    team_id: int
    too_few: bool
    zones: int | None = None
    work_day_start: int | None = None
    work_day_end: int | None = None
    hours: dict[str, float] | None = None

    @property
    def weekday_hours(self) -> list[tuple[str, float]]:
        """Monday to Friday (the UTC weekdays in which the shared hours fall)."""
        return [(day, (self.hours or {}).get(day, 0.0)) for day in WEEKDAYS[:5]]


def team_overlap(
    session: Session,
    *,
    org: str,
    team_id: int,
    k: int,
    work_day_start: int,
    work_day_end: int,
    week_of: date | None = None,
) -> TeamOverlap:
    """The shared working hours of a team's current members (not opted out, started), in the week of
    ``week_of`` (today's by default, so daylight saving is the current one). Under k members: ``too_few``."""
    entries = [e for e in people_service.directory(session, org=org) if e.team_id == team_id]
    if not entries:
        raise NotFound(f"no team {team_id}")
    day = week_of or date.today()
    members = members_at(entries, day)
    if not passes(len(members), k):
        return TeamOverlap(team_id=team_id, too_few=True)
    zones = [m.timezone for m in members]
    hours = overlap_hours(zones, week_of=day, work_day_start=work_day_start, work_day_end=work_day_end)
    return TeamOverlap(
        team_id=team_id,
        too_few=False,
        zones=len(set(zones)),
        work_day_start=work_day_start,
        work_day_end=work_day_end,
        hours=hours,
    )
