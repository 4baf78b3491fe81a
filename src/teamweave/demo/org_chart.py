"""The demo organisation's people, teams, sites and managers, and its HR CSV.

One CTO and three site directors form the leadership team; every other team has a manager who reports to the
director of the team's home site. Most teams sit at one site; a few have two or three people elsewhere, so
that a site slice of those teams falls under k.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from teamweave.demo.names import FIRST_NAMES, LAST_NAMES, LEADERSHIP_TEAM, TEAM_NAMES
from teamweave.ingest.hr_csv import COLUMNS

EMAIL_DOMAIN = "demo.teamweave.test"
SITES: tuple[tuple[str, str], ...] = (
    ("Berlin", "Europe/Berlin"),
    ("New York", "America/New_York"),
    ("Bangalore", "Asia/Kolkata"),
)
HR_COLUMNS = COLUMNS  # the demo writes exactly the HR CSV format users bring
SMALL_TEAM_SIZE = 4
MIXED_TEAMS = 4
NEW_HIRE_DAYS_BEFORE_END = 122
NEWCOMER_SHARE = 0.1
"""Members who joined during the demo's year (an organisation of 320 hires about 30 people a year), so the new
hire who never integrates has newcomers who do to be compared with (day 30/60/90 medians need at least k)."""
NEWCOMER_DAYS_BEFORE_END = (95, 330)
"""Their start dates: early enough for a whole 90-day curve, late enough to be inside the data."""


@dataclass
class DemoPerson:
    index: int
    email: str
    name: str
    team: int
    site: int
    start_date: date
    birthday: date
    birthday_opt_in: bool
    manager: int | None = None
    role: str = "member"

    @property
    def local_part(self) -> str:
        return self.email.split("@", 1)[0]

    @property
    def slack_id(self) -> str:
        return f"U0DEMO{self.index:04d}"


@dataclass
class DemoTeam:
    index: int
    name: str
    site: int
    members: list[int] = field(default_factory=list)
    manager: int | None = None
    mixed: bool = False

    @property
    def slug(self) -> str:
        return self.name.lower().replace(" ", "-")


@dataclass
class Phenomena:
    """Who carries each planted phenomenon (indices into the org's people and teams)."""

    new_hire: int
    siloed_team: int
    bridge_person: int
    creep_team: int
    bot_team: int
    small_team: int
    mixed_team: int
    people_admin: int
    member: int


@dataclass
class DemoOrg:
    people: list[DemoPerson]
    teams: list[DemoTeam]
    leadership: int
    phenomena: Phenomena

    def site_name(self, person: int) -> str:
        return SITES[self.people[person].site][0]

    def timezone(self, person: int) -> str:
        return SITES[self.people[person].site][1]


def _team_sizes(rng: np.random.Generator, regular: int, teams: int, small_index: int) -> list[int]:
    sizes = [int(s) for s in rng.integers(7, 21, size=teams)]
    sizes[small_index] = SMALL_TEAM_SIZE
    adjustable = [i for i in range(teams) if i != small_index]
    while sum(sizes) != regular:
        i = adjustable[int(rng.integers(len(adjustable)))]
        if sum(sizes) < regular and sizes[i] < 24:
            sizes[i] += 1
        elif sum(sizes) > regular and sizes[i] > 6:
            sizes[i] -= 1
    return sizes


class _NamePicker:
    def __init__(self, rng: np.random.Generator) -> None:
        self._rng = rng
        self._used: set[str] = set()

    def pick(self, site: int) -> tuple[str, str]:
        site_name = SITES[site][0]
        firsts, lasts = FIRST_NAMES[site_name], LAST_NAMES[site_name]
        while True:
            first = firsts[int(self._rng.integers(len(firsts)))]
            last = lasts[int(self._rng.integers(len(lasts)))]
            local = f"{first}.{last}".lower()
            suffix = 2
            candidate = local
            while candidate in self._used:
                candidate = f"{local}{suffix}"
                suffix += 1
            self._used.add(candidate)
            return f"{first} {last}", f"{candidate}@{EMAIL_DOMAIN}"


def _add_person(
    org_people: list[DemoPerson], names: _NamePicker, rng: np.random.Generator, *, team: int, site: int, end: date
) -> int:
    name, email = names.pick(site)
    tenure_days = int(rng.integers(400, 3000))
    birthday = date(int(rng.integers(1965, 2001)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
    person = DemoPerson(
        index=len(org_people),
        email=email,
        name=name,
        team=team,
        site=site,
        start_date=end - timedelta(days=tenure_days),
        birthday=birthday,
        birthday_opt_in=bool(rng.random() < 0.4),
    )
    org_people.append(person)
    return person.index


def build_org(rng: np.random.Generator, *, end: date, people: int, teams: int) -> DemoOrg:
    """The organisation: ``people`` people in ``teams`` regular teams plus the leadership team."""
    if teams < 8 or teams > len(TEAM_NAMES) or people < teams * 7:
        raise ValueError(f"need 8..{len(TEAM_NAMES)} teams and at least 7 people per team")
    names = _NamePicker(rng)
    small_index = teams - 1
    sizes = _team_sizes(rng, people - 4, teams, small_index)
    team_list = [DemoTeam(index=i, name=TEAM_NAMES[i], site=i % 3) for i in range(teams)]
    leadership = DemoTeam(index=teams, name=LEADERSHIP_TEAM, site=0)
    team_list.append(leadership)
    org_people: list[DemoPerson] = []
    cto = _add_person(org_people, names, rng, team=leadership.index, site=0, end=end)
    org_people[cto].role = "cto"
    leadership.members.append(cto)
    leadership.manager = cto
    directors = []
    for site in range(3):
        director = _add_person(org_people, names, rng, team=leadership.index, site=site, end=end)
        org_people[director].role = "director"
        org_people[director].manager = cto
        leadership.members.append(director)
        directors.append(director)
    big = sorted((i for i in range(teams) if i not in (0, small_index)), key=lambda i: -sizes[i])
    roles = big[:6]
    rng.shuffle(roles)
    siloed, creep, bot, hire_team, bridge_team, mixed = (int(r) for r in roles)
    mixed_teams = {mixed, *(int(t) for t in big[6 : 6 + MIXED_TEAMS - 1])}
    for team in team_list[:teams]:
        team.mixed = team.index in mixed_teams
        _fill_team(org_people, names, rng, team, sizes[team.index], directors[team.site], end)
    new_hire = team_list[hire_team].members[-1]
    org_people[new_hire].start_date = end - timedelta(days=NEW_HIRE_DAYS_BEFORE_END)
    planted = Phenomena(
        new_hire=new_hire,
        siloed_team=siloed,
        bridge_person=team_list[bridge_team].members[2],
        creep_team=creep,
        bot_team=bot,
        small_team=small_index,
        mixed_team=mixed,
        people_admin=team_list[0].members[1],
        member=team_list[hire_team].members[1],
    )
    _hire_during_the_year(org_people, team_list, planted, rng.spawn(1)[0], end)
    return DemoOrg(people=org_people, teams=team_list, leadership=leadership.index, phenomena=planted)


def _hire_during_the_year(
    org_people: list[DemoPerson], teams: list[DemoTeam], planted: Phenomena, rng: np.random.Generator, end: date
) -> None:
    """Give :data:`NEWCOMER_SHARE` of the plain members (no manager, no planted role) a start date within the
    year. Drawn from a child generator, so every other draw of the demo stays what it was."""
    special = {planted.new_hire, planted.bridge_person, planted.people_admin, planted.member}
    special |= {t.manager for t in teams if t.manager is not None}
    plain = [p.index for p in org_people if p.role == "member" and p.index not in special]
    chosen = rng.choice(plain, size=round(NEWCOMER_SHARE * len(plain)), replace=False)
    low, high = NEWCOMER_DAYS_BEFORE_END
    for index, days in zip(chosen.tolist(), rng.integers(low, high + 1, size=len(chosen)).tolist(), strict=True):
        org_people[index].start_date = end - timedelta(days=days)


def _fill_team(
    org_people: list[DemoPerson],
    names: _NamePicker,
    rng: np.random.Generator,
    team: DemoTeam,
    size: int,
    director: int,
    end: date,
) -> None:
    away = int(rng.integers(2, 4)) if team.mixed else 0
    for slot in range(size):
        site = (team.site + 1 + slot % 2) % 3 if slot >= size - away else team.site
        person = _add_person(org_people, names, rng, team=team.index, site=site, end=end)
        team.members.append(person)
        if slot == 0:
            team.manager = person
            org_people[person].role = "manager"
            org_people[person].manager = director
        else:
            org_people[person].manager = team.manager


def write_hr_csv(org: DemoOrg, path: Path) -> None:
    """The organisation in teamweave's HR CSV format (docs/hr-csv.md)."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HR_COLUMNS)
        for p in org.people:
            manager = org.people[p.manager].email if p.manager is not None else ""
            writer.writerow(
                [
                    p.email,
                    p.name,
                    org.teams[p.team].name,
                    manager,
                    SITES[p.site][0],
                    SITES[p.site][1],
                    p.start_date.isoformat(),
                    p.birthday.isoformat(),
                    "yes" if p.birthday_opt_in else "no",
                ]
            )
