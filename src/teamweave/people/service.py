"""The people capability's logic. Services never commit."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from teamweave.errors import InputFormatError, NotFound
from teamweave.ingest.hr_csv import HrCsvReader, HrRow, check_managers
from teamweave.people import repository
from teamweave.people.models import Person, Site, Team
from teamweave.people.schemas import DirectoryEntry, HrImportResult, TeamSummary
from teamweave.privacy.erased import erasure_mark, erasure_marks
from teamweave.privacy.pseudonym import Pseudonymiser
from teamweave.store.org_lock import hold_org

# What an HR import may change on a person; comparing these tells "updated" from "unchanged".
_IMPORTED_FIELDS = ("name", "pseudonym", "team_id", "manager_id", "site_id", "timezone", "start_date", "birthday")


def directory(session: Session, *, org: str) -> list[DirectoryEntry]:
    """Everyone in the organisation with team, site and time zone."""
    return [
        DirectoryEntry(
            person_id=p.id,
            pseudonym=p.pseudonym,
            email=p.email,
            name=p.name,
            team_id=p.team_id,
            team_name=t.name if t else None,
            manager_id=p.manager_id,
            site_id=p.site_id,
            site_name=s.name if s else None,
            timezone=p.timezone,
            start_date=p.start_date,
            analytics_opt_out=p.analytics_opt_out,
        )
        for p, t, s in repository.directory_rows(session, org=org)
    ]


def person_by_email(session: Session, *, org: str, email: str) -> Person | None:
    """The person with this e-mail address (case-insensitive), or None."""
    return repository.person_by_email(session, org=org, email=email)


def start_date_of(session: Session, *, org: str, pseudonym: str) -> date | None:
    """When the person known by ``pseudonym`` started (None: not recorded, or no such person)."""
    return repository.start_date_of(session, org=org, pseudonym=pseudonym)


def get_person(session: Session, *, org: str, person_id: int) -> Person:
    """The person with this id in the organisation; :class:`NotFound` otherwise."""
    person = repository.person_by_id(session, org=org, person_id=person_id)
    if person is None:
        raise NotFound(f"no person with id {person_id}", where=f"org {org}")
    return person


def teams(session: Session, *, org: str) -> list[TeamSummary]:
    """Every team of the organisation with its head count, by name."""
    return [
        TeamSummary(team_id=team.id, name=team.name, head_count=count)
        for team, count in repository.teams_with_head_counts(session, org=org)
    ]


def people_without_team(session: Session, *, org: str) -> int:
    """How many people of the organisation belong to no team."""
    return repository.count_without_team(session, org=org)


def get_team(session: Session, *, org: str, team_id: int) -> Team:
    """The team with this id in the organisation; :class:`NotFound` otherwise."""
    team = repository.team_by_id(session, org=org, team_id=team_id)
    if team is None:
        raise NotFound(f"no team with id {team_id}", where=f"org {org}")
    return team


def team_members(session: Session, *, org: str, team_id: int) -> list[Person]:
    """The people of a team, by name; :class:`NotFound` when the team does not exist."""
    get_team(session, org=org, team_id=team_id)
    return repository.members_of_team(session, org=org, team_id=team_id)


def reports_of(session: Session, *, org: str, manager_id: int) -> list[Person]:
    """The direct reports of a person, by name (empty when they manage no one)."""
    return repository.reports_of(session, org=org, manager_id=manager_id)


def is_manager(session: Session, *, org: str, person_id: int) -> bool:
    """Whether anyone reports directly to this person."""
    return repository.has_reports(session, org=org, person_id=person_id)


def team_of_manager(session: Session, *, org: str, manager_id: int) -> Team | None:
    """The team most of a manager's direct reports belong to (ties: lowest team id); None without reports."""
    counts = repository.report_team_counts(session, org=org, manager_id=manager_id)
    if not counts:
        return None
    team_id = min(counts, key=lambda pair: (-pair[1], pair[0]))[0]
    return get_team(session, org=org, team_id=team_id)


# Birthdays chosen by the person are stored on this leap year, so no year of birth is kept and 29 Feb fits.
BIRTHDAY_YEAR = 2000


def set_birthday(session: Session, *, org: str, person_id: int, month: int, day: int) -> Person:
    """Opt a person in to birthday celebrations with their day and month (stored on year 2000, never a real year).

    Only the person themself should call this (their own opt-in page). :class:`InputFormatError` for a day
    that does not exist in a leap year; :class:`NotFound` for an unknown person.
    """
    try:
        birthday = date(BIRTHDAY_YEAR, month, day)
    except (TypeError, ValueError) as exc:
        raise InputFormatError(f"{day}/{month} is not a day of the year", field="birthday") from exc
    person = get_person(session, org=org, person_id=person_id)
    person.birthday = birthday
    session.flush()
    return person


def clear_birthday(session: Session, *, org: str, person_id: int) -> Person:
    """Opt a person out of birthday celebrations: the stored date is removed, not hidden."""
    person = get_person(session, org=org, person_id=person_id)
    person.birthday = None
    session.flush()
    return person


def birthdays(session: Session, *, org: str) -> dict[int, date]:
    """Person id -> birthday of everyone who opted in (only their day and month are meaningful)."""
    return {p.id: p.birthday for p in repository.people_of_org(session, org=org) if p.birthday is not None}


def import_people(session: Session, *, org: str, path: Path, pseudonymiser: Pseudonymiser) -> HrImportResult:
    """Create or update people, teams, sites and manager links from an HR CSV file (docs/hr-csv.md).

    Upserts by (org, e-mail): importing the same file twice changes nothing; people missing from the file
    are kept, never deleted. Bad rows are reported in ``errors`` (file, line, field) and skipped; good rows
    go in. A missing required column raises :class:`InputFormatError`. A row of a person erased earlier is
    rejected until they are readmitted (``privacy.erased``). Holds the org's lock (``store.org_lock``), so that
    no erasure runs meanwhile. Never commits.
    """
    hold_org(session, org=org)
    result = HrImportResult(file=path.name)
    with HrCsvReader(path) as reader:
        rows: list[HrRow] = []
        problems: list[InputFormatError] = []
        for item in reader:
            if isinstance(item, InputFormatError):
                problems.append(item)
            else:
                rows.append(item)
    if reader.unknown_columns:
        result.warnings.append(f"{path.name}: ignored unknown columns: {', '.join(reader.unknown_columns)}")
    result.warnings.extend(str(note) for note in reader.opt_in_notes)
    existing = {person.email: person for person in repository.people_of_org(session, org=org)}
    rows, erased = _without_erased(session, org=org, rows=rows, pseudonymiser=pseudonymiser, file_name=path.name)
    problems.extend(erased.values())
    check = check_managers(
        rows,
        file_name=path.name,
        directory=_manager_emails(existing),
        rejected_emails={**reader.rejected_emails, **{email: error.line or 0 for email, error in erased.items()}},
    )
    result.errors = sorted([*problems, *check.errors], key=lambda error: error.line or 0)
    result.rejected = len({error.line for error in problems} | {row.line for row in check.rejected})
    team_ids, result.teams_created = _ensure_teams(session, org=org, names={r.team for r in check.rows if r.team})
    site_ids, result.sites_created = _ensure_sites(session, org=org, rows=check.rows)
    values = {row.email: _values(row, pseudonymiser, team_ids, site_ids) for row in check.rows}
    result.created, result.updated, result.unchanged = _upsert_people(
        session, org=org, rows=check.rows, existing=existing, values=values, without_manager=check.without_manager
    )
    _refresh_site_zones(session, org=org)
    absent = len(existing.keys() - {row.email for row in rows} - reader.rejected_emails.keys())
    if absent:
        result.warnings.append(f"{absent} people in the directory are not in {path.name}; they were kept")
    return result


def _without_erased(
    session: Session, *, org: str, rows: list[HrRow], pseudonymiser: Pseudonymiser, file_name: str
) -> tuple[list[HrRow], dict[str, InputFormatError]]:
    """The rows of people not erased, and an error per row of an erased person (by e-mail): an erased person
    comes back only once readmitted (``privacy.erased``), or imports would leave out the events of someone the
    directory and the analysis count."""
    marks = erasure_marks(session, org=org)
    if not marks:
        return rows, {}
    kept: list[HrRow] = []
    erased: dict[str, InputFormatError] = {}
    for row in rows:
        if erasure_mark(pseudonymiser.person_of_email(row.email)) in marks:
            erased[row.email] = InputFormatError(
                "this person was erased; `teamweave privacy readmit EMAIL` lets them back in",
                file=file_name,
                line=row.line,
                field="email",
            )
        else:
            kept.append(row)
    return kept, erased


def _manager_emails(people: dict[str, Person]) -> dict[str, str | None]:
    """E-mail -> manager e-mail of the people already stored."""
    email_of = {person.id: email for email, person in people.items()}
    return {
        email: email_of.get(person.manager_id) if person.manager_id is not None else None
        for email, person in people.items()
    }


def _ensure_teams(session: Session, *, org: str, names: set[str | None]) -> tuple[dict[str, int], int]:
    """Team name -> id, creating the teams not stored yet; and how many were created."""
    known = repository.teams_by_name(session, org=org)
    new = [Team(org=org, name=name) for name in sorted(n for n in names if n and n not in known)]
    repository.add_all(session, new)
    known.update((team.name, team) for team in new)
    return {name: team.id for name, team in known.items()}, len(new)


def _ensure_sites(session: Session, *, org: str, rows: Iterable[HrRow]) -> tuple[dict[str, int], int]:
    """Site name -> id, creating the sites not stored yet (zone: the most common of its rows)."""
    zones: dict[str, Counter[str]] = {}
    for row in rows:
        if row.site:
            zones.setdefault(row.site, Counter())[row.timezone] += 1
    known = repository.sites_by_name(session, org=org)
    new = [Site(org=org, name=name, timezone=_most_common(zones[name])) for name in sorted(zones) if name not in known]
    repository.add_all(session, new)
    known.update((site.name, site) for site in new)
    return {name: known[name].id for name in zones}, len(new)


def _most_common(zones: Counter[str]) -> str:
    """The zone most people have; ties go to the alphabetically first, so the choice is stable."""
    return min(zones.items(), key=lambda pair: (-pair[1], pair[0]))[0]


def _values(
    row: HrRow, pseudonymiser: Pseudonymiser, team_ids: dict[str, int], site_ids: dict[str, int]
) -> dict[str, object]:
    return {
        "name": row.name,
        "pseudonym": pseudonymiser.person_of_email(row.email),
        "team_id": team_ids[row.team] if row.team else None,
        "site_id": site_ids[row.site] if row.site else None,
        "timezone": row.timezone,
        "start_date": row.start_date,
    } | _birthday(row)


def _birthday(row: HrRow) -> dict[str, object]:
    """The birthday an HR row sets: its day and month when it opts in (on year 2000, like a person's own opt-in),
    none when it says no (a withdrawn opt-in erases it), and nothing at all when the row does not say, so that a
    birthday the person shared on their own page survives the next HR import."""
    if row.birthday_opt_in is None:
        return {}
    if row.birthday is None:
        return {"birthday": None}
    return {"birthday": date(BIRTHDAY_YEAR, row.birthday.month, row.birthday.day)}


def _assign(person: Person, values: dict[str, object]) -> None:
    """Set only the attributes that differ, so that an unchanged person is not written."""
    for name, value in values.items():
        if getattr(person, name) != value:
            setattr(person, name, value)


def _snapshot(person: Person) -> tuple[object, ...]:
    return tuple(getattr(person, name) for name in _IMPORTED_FIELDS)


def _upsert_people(
    session: Session,
    *,
    org: str,
    rows: list[HrRow],
    existing: dict[str, Person],
    values: dict[str, dict[str, object]],
    without_manager: set[str],
) -> tuple[int, int, int]:
    """Create or update the people of the rows, then link managers; return (created, updated, unchanged)."""
    before = {row.email: _snapshot(existing[row.email]) for row in rows if row.email in existing}
    new: list[Person] = []
    for row in rows:
        if row.email in existing:
            _assign(existing[row.email], values[row.email])
        else:
            new.append(Person(org=org, email=row.email, manager_id=None, **values[row.email]))
    repository.add_all(session, new)
    people = {**existing, **{person.email: person for person in new}}
    for row in rows:
        keep_link = row.manager_email is not None and row.email not in without_manager
        manager_id = people[row.manager_email].id if keep_link and row.manager_email else None
        _assign(people[row.email], {"manager_id": manager_id})
    updated = sum(1 for email, snapshot in before.items() if snapshot != _snapshot(people[email]))
    return len(new), updated, len(before) - updated


def _refresh_site_zones(session: Session, *, org: str) -> None:
    """Set each site's zone to the one most of its people (in the whole directory) have."""
    zones: dict[int, Counter[str]] = {}
    for site_id, zone, count in repository.zone_counts_by_site(session, org=org):
        zones.setdefault(site_id, Counter())[zone] = count
    for site in repository.sites_by_name(session, org=org).values():
        if site.id in zones:
            zone = _most_common(zones[site.id])
            if site.timezone != zone:
                site.timezone = zone
