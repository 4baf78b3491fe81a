"""Recognition equity: who has not been recognised lately, how recognition spreads, and one's own giving.

* :func:`reports_recognition`: a manager's own direct reports and whether each was recognised in the last
  ``weeks`` weeks, as a nudge to the manager only (never a public list); each report shown is audited.
  Counted: public recognitions, and private ones the manager gave themself (the manager learns nothing about
  anyone else's private thanks).
* :func:`distribution`: across teams and sites, the share of people recognised and how many recognitions
  reached them, over public recognitions only, and only for groups of at least k people that differ from
  every other shown overlapping group by none or at least k people (:func:`complementary_suppression`;
  audited).
* :func:`my_giving`: how many recognitions the viewer gave per week (their own data, not audited).

Services never commit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from itertools import combinations

from sqlalchemy.orm import Session

from teamweave.accounts.models import Role, User
from teamweave.audit import service as audit
from teamweave.errors import Forbidden
from teamweave.people import service as people
from teamweave.people.schemas import DirectoryEntry
from teamweave.privacy.thresholds import effective_k, passes
from teamweave.recognition import repository
from teamweave.recognition.schemas import Distribution, Giving, GivingWeek, GroupShare, ReportRecognition
from teamweave.recognition.service import as_utc, giver_of

DISTRIBUTION_ROLES = frozenset({Role.MANAGER.value, Role.PEOPLE_ADMIN.value, Role.ADMIN.value})
GIVING_WEEKS = 12


def since(now: datetime, *, weeks: int) -> datetime:
    """The start of the equity window: ``weeks`` weeks before ``now``."""
    return as_utc(now) - timedelta(weeks=weeks)


def unrecognised_reports(
    session: Session, *, org: str, manager_id: int, now: datetime, weeks: int
) -> list[ReportRecognition]:
    """Every direct report of a manager with when they were last recognised, by name (no audit: callers do)."""
    reports = people.reports_of(session, org=org, manager_id=manager_id)
    last = repository.last_recognised(session, org=org, person_ids=[r.id for r in reports], also_private_by=manager_id)
    start = since(now, weeks=weeks)
    rows = []
    for report in reports:
        when = last.get(report.id)
        at = as_utc(when) if when is not None else None
        rows.append(
            ReportRecognition(
                person_id=report.id,
                name=report.name,
                last_recognised=at.date() if at is not None else None,
                recognised_lately=at is not None and at >= start,
            )
        )
    return rows


def reports_recognition(
    session: Session, *, org: str, viewer: User, now: datetime, weeks: int, path: str | None = None
) -> list[ReportRecognition]:
    """The viewer's own direct reports and whether each was recognised lately (each view audited)."""
    manager_id = giver_of(viewer)
    rows = unrecognised_reports(session, org=org, manager_id=manager_id, now=now, weeks=weeks)
    for row in rows:
        audit.record_view(
            session,
            org=org,
            viewer=viewer,
            action="view_recognition_equity",
            subject_kind="person",
            subject_id=row.person_id,
            path=path,
        )
    return rows


GroupKey = tuple[str, str]  # ("team" or "site", name)


def complementary_suppression(groups: Mapping[GroupKey, frozenset[int]], *, k: int) -> set[GroupKey]:
    """The groups to hide so that no difference of shown groups is about 1 to k-1 people.

    ``groups``: (kind, name) -> the ids of its people; groups of one kind (the teams; the sites) do not
    overlap each other. Hidden are:

    1. every group under k people;
    2. of two overlapping shown groups that differ by 1 to k-1 people (either way), the smaller one (on a tie,
       the later by kind and name): a team of 5 wholly inside a site of 6 passes k, and so does the site, but
       the site's figure minus the team's is one person's;
    3. when the shown groups of the other kind wholly inside a shown group leave 1 to k-1 of its people
       uncovered, the smallest of them: a site of 12 made of two shown teams of 5 and a hidden team of 2 gives
       that team's figure as the site minus the two teams.

    Pairs and groups are taken largest first. Hiding only removes figures, so a check passed stays passed and
    one pass of each rule is enough. The rule depends on who belongs to which group, never on the figures, so
    that a group is hidden reveals nothing about them. It does not search every combination of groups.

    >>> team = frozenset(range(5))
    >>> sorted(complementary_suppression({("team", "A"): team, ("site", "S"): team | {99}}, k=5))
    [('team', 'A')]
    >>> sorted(complementary_suppression({("team", "A"): team, ("site", "S"): team | set(range(10, 15))}, k=5))
    []
    """
    k = effective_k(k)
    hidden = {key for key, members in groups.items() if not passes(len(members), k)}
    ordered = sorted(groups, key=lambda key: (-len(groups[key]), key[0], key[1].casefold()))
    for larger, smaller in combinations(ordered, 2):
        if larger in hidden or smaller in hidden or not groups[larger] & groups[smaller]:
            continue
        only_larger = len(groups[larger] - groups[smaller])
        only_smaller = len(groups[smaller] - groups[larger])
        if 0 < only_larger < k or 0 < only_smaller < k:
            hidden.add(smaller)
    for outer in ordered:
        if outer in hidden:
            continue
        inside = [
            key
            for key in ordered
            if key[0] != outer[0] and key not in hidden and groups[key] and groups[key] <= groups[outer]
        ]
        covered = frozenset().union(*(groups[key] for key in inside))
        if inside and 0 < len(groups[outer] - covered) < k:
            hidden.add(inside[-1])
    return hidden


def _shares(
    groups: dict[str, list[DirectoryEntry]], received: dict[int, int], *, kind: str, hidden: set[GroupKey]
) -> list[GroupShare]:
    shares = []
    for name in sorted(groups, key=str.casefold):
        members = groups[name]
        if (kind, name) in hidden:
            shares.append(GroupShare(name, True, None, None, None))
            continue
        counts = [received.get(m.person_id, 0) for m in members]
        shares.append(
            GroupShare(
                name=name,
                too_few=False,
                people=len(members),
                recognised_share=sum(1 for c in counts if c) / len(members),
                recognitions=sum(counts),
            )
        )
    return shares


def _grouped(entries: Iterable[DirectoryEntry], *, by: str) -> dict[str, list[DirectoryEntry]]:
    groups: dict[str, list[DirectoryEntry]] = defaultdict(list)
    for entry in entries:
        name = entry.team_name if by == "team" else entry.site_name
        if name is not None:
            groups[name].append(entry)
    return groups


def distribution(
    session: Session, *, org: str, viewer: User, now: datetime, weeks: int, k: int, path: str | None = None
) -> Distribution:
    """Recognition across teams and sites over the last ``weeks`` weeks; groups under k, and groups hidden by
    :func:`complementary_suppression` (so that no difference of two shown groups is about fewer than k
    people), show as too few.

    People who opted out of analytics are left out. For managers, people-admins and admins (audited).
    """
    if viewer.role not in DISTRIBUTION_ROLES:
        raise Forbidden("recognition across teams and sites is shown to managers, people-admins and admins")
    entries = [e for e in people.directory(session, org=org) if not e.analytics_opt_out]
    received = dict(repository.public_received_since(session, org=org, since=since(now, weeks=weeks)))
    audit.record_view(
        session,
        org=org,
        viewer=viewer,
        action="view_recognition_distribution",
        subject_kind="org",
        subject_id=org,
        path=path,
    )
    teams, sites = _grouped(entries, by="team"), _grouped(entries, by="site")
    members = {("team", name): frozenset(e.person_id for e in group) for name, group in teams.items()}
    members.update({("site", name): frozenset(e.person_id for e in group) for name, group in sites.items()})
    hidden = complementary_suppression(members, k=k)
    return Distribution(
        weeks=weeks,
        k=effective_k(k),
        teams=_shares(teams, received, kind="team", hidden=hidden),
        sites=_shares(sites, received, kind="site", hidden=hidden),
    )


def week_start(day: date) -> date:
    """The Monday of a day's week.

    >>> week_start(date(2026, 11, 26))
    datetime.date(2026, 11, 23)
    """
    return day - timedelta(days=day.weekday())


def my_giving(session: Session, *, org: str, viewer: User, today: date, weeks: int = GIVING_WEEKS) -> Giving:
    """How many recognitions the viewer gave in each of the last ``weeks`` weeks (this week included)."""
    giver_id = giver_of(viewer)
    first = week_start(today) - timedelta(weeks=weeks - 1)
    start = datetime(first.year, first.month, first.day, tzinfo=UTC)
    times = repository.given_times(session, org=org, giver_id=giver_id, since=start)
    per_week = Counter(week_start(as_utc(t).date()) for t in times)
    rows = [GivingWeek(first + timedelta(weeks=i), per_week[first + timedelta(weeks=i)]) for i in range(weeks)]
    return Giving(weeks=rows, total=len(repository.given_by(session, org=org, giver_id=giver_id)))
