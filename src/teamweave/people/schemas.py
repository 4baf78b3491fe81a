"""What the people capability hands to other capabilities."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from teamweave.errors import InputFormatError


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


@dataclass
class HrImportResult:
    """What an HR CSV import did.

    ``created``/``updated``/``unchanged`` count people from good rows; ``rejected`` counts rows skipped.
    ``errors`` holds every located problem (a row on a management cycle is reported there too, although it
    is imported without the link that closes the cycle); ``warnings`` holds notes that reject nothing.
    """

    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    teams_created: int = 0
    sites_created: int = 0
    errors: list[InputFormatError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TeamSummary:
    """A team and how many people it has."""

    team_id: int
    name: str
    head_count: int
