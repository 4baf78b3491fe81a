"""What the people capability hands to other capabilities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DirectoryEntry:
    """One person as analysis and pages need them: pseudonym, team, site, zone, start date."""

    person_id: int
    pseudonym: str
    email: str
    name: str
    team_id: int | None
    team_name: str | None
    manager_id: int | None
    site_id: int | None
    site_name: str | None
    timezone: str
    start_date: date | None
    analytics_opt_out: bool
