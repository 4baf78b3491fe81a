"""What the pages read from the network tables, with the privacy rules applied.

* A person's own series (:func:`my_connections`) is for that person only; the web layer enforces who asks.
* Everything else is an aggregate: a team, a slice of a team (a site, the people who joined in the last six
  months) or the organisation map. An aggregate over fewer than k people carries ``too_few=True`` and no
  values (the count of such a slice is withheld too). Shares are shown only when at least k people have a
  value, rounded to whole percent. A count of people with an attribute ("no strong tie") between 1 and k - 1
  reads "fewer than k".
* No sum or difference of the groups shown for a team (whole team, sites, new hires) may single out fewer
  than k people (:mod:`teamweave.network.slices`).
* A team's members are its people who have not opted out of analytics and had started by the end of the
  window shown — the one head count shown to others. Person-derived figures come from the members' own rows
  (live membership); tie-structure figures (density, E-I index, external share) come from the analysis and
  are withheld ("re-run analyze") when the analysed member count differs from the live one.
* The organisation map shows teams with at least k members as nodes; smaller teams are left out, with their
  ties, and only their number is reported (``hidden_teams``).
* A window still running (it ends after ``today``) is left out while a finished one exists, so a half month
  never reads as a fall.

Services never commit.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.orm import Session

from teamweave.analytics.layout import unit_layout
from teamweave.analytics.windows import PERIODS, next_window
from teamweave.errors import NotFound
from teamweave.network import repository
from teamweave.network.models import PersonMetric, TeamMetric
from teamweave.network.slices import (
    NEW_HIRE_LABEL,
    SliceHealth,
    fewer_than,
    rounded_share,
    slice_health,
    team_slices,
)
from teamweave.people import service as people_service
from teamweave.people.schemas import DirectoryEntry, TeamSummary
from teamweave.privacy.thresholds import TOO_FEW_PEOPLE, effective_k, passes

NEW_HIRE_DAYS = 183
RERUN_ANALYSIS = "the team changed since the last analysis: re-run `teamweave analyze` to show this"


@dataclass(frozen=True)
class TeamPoint:
    """One window of a team's trend; values are None when that window's team was under k, or when ``stale``
    (the window shown, analysed with other members than the team has now). A share is None when fewer than k
    members had a value (the analysis stores None then)."""

    window_start: date
    too_few: bool
    stale: bool
    density: float | None
    external_share: float | None
    human_share: float | None
    after_hours_share: float | None
    mean_ties: float | None = None
    mean_new_ties: float | None = None
    mean_lost_ties: float | None = None
    chat_share: float | None = None
    email_share: float | None = None
    meeting_share: float | None = None
    code_review_share: float | None = None
    in_person_share: float | None = None
    cut_points: int | None = None
    thin_links: int | None = None
    focus_hours: float | None = None
    focus_blocks: float | None = None


CHANNEL_SHARES = ("chat_share", "email_share", "meeting_share", "code_review_share", "in_person_share")


@dataclass(frozen=True)
class TeamHealth:
    team_id: int
    team_name: str
    period: str
    window_start: date | None
    k: int
    too_few: bool
    members: int | None = None
    density: float | None = None
    ei_index: float | None = None
    external_share: float | None = None
    no_strong_tie: int | None = None
    no_strong_tie_few: bool = False
    human_share: float | None = None
    after_hours_share: float | None = None
    stale: bool = False
    overall: SliceHealth | None = None
    slices: list[SliceHealth] = field(default_factory=list)
    trend: list[TeamPoint] = field(default_factory=list)

    @property
    def message(self) -> str | None:
        return TOO_FEW_PEOPLE if self.too_few else None

    @property
    def stale_message(self) -> str | None:
        return RERUN_ANALYSIS if self.stale else None


@dataclass(frozen=True)
class OrgNode:
    team_id: int
    name: str
    members: int
    ei_index: float | None
    x: float
    y: float


@dataclass(frozen=True)
class OrgEdge:
    team_a: int
    team_b: int
    weight: float
    ties: int


@dataclass(frozen=True)
class OrgMap:
    period: str
    window_start: date | None
    k: int
    nodes: list[OrgNode]
    edges: list[OrgEdge]
    hidden_teams: int


def _check_period(period: str) -> None:
    if period not in PERIODS:
        raise NotFound(f"unknown period {period!r}", hint="week, month or quarter")


def finished(windows: Sequence[date], period: str, today: date | None = None) -> list[date]:
    """The windows that ended by ``today``; all of them when none has (fresh data still shows)."""
    day = today or date.today()
    done = [w for w in windows if next_window(w, period=period) <= day]
    return done or list(windows)


def person_windows(session: Session, *, org: str, period: str, today: date | None = None) -> list[date]:
    """Every finished window any person has metrics in (the time axis of a personal page)."""
    _check_period(period)
    return finished(repository.person_windows(session, org=org, period=period), period, today)


def my_connections(
    session: Session, *, org: str, pseudonym: str, period: str, today: date | None = None
) -> list[PersonMetric]:
    """One person's metrics in finished windows, oldest first. Show them to that person only."""
    _check_period(period)
    rows = repository.person_series(session, org=org, pseudonym=pseudonym, period=period)
    keep = set(finished([r.window_start for r in rows], period, today))
    return [r for r in rows if r.window_start in keep]


def people_count(count: int | None, k: int) -> str | None:
    """A count of people as shown to others: None stays None, 1..k-1 reads "fewer than k"."""
    if count is None:
        return None
    return fewer_than(k) if 0 < count < effective_k(k) else str(count)


def team_summaries(session: Session, *, org: str) -> list[TeamSummary]:
    """Every team that has people, by name, with its head count: its people who have not opted out of
    analytics (the head count shown to others everywhere; pages show one under k as "fewer than k")."""
    counts = Counter(
        e.team_id for e in people_service.directory(session, org=org) if not e.analytics_opt_out and e.team_id
    )
    return [
        TeamSummary(team_id=t.team_id, name=t.name, head_count=counts[t.team_id])
        for t in people_service.teams(session, org=org)
        if t.head_count > 0
    ]


def members_at(entries: Sequence[DirectoryEntry], end: date | None) -> list[DirectoryEntry]:
    """The people of ``entries`` counted as members of a window ending before ``end`` (exclusive): not
    opted out of analytics, and started before ``end`` (no start date: always; no ``end``: everyone)."""
    return [
        e for e in entries if not e.analytics_opt_out and (e.start_date is None or end is None or e.start_date < end)
    ]


def managed_team_ids(session: Session, *, org: str, person_id: int) -> set[int]:
    """Teams a manager may see: the teams their direct and indirect reports are in."""
    entries = people_service.directory(session, org=org)
    reports: dict[int, list[DirectoryEntry]] = defaultdict(list)
    for entry in entries:
        if entry.manager_id is not None:
            reports[entry.manager_id].append(entry)
    teams: set[int] = set()
    seen = {person_id}
    stack = [person_id]
    while stack:
        for report in reports.get(stack.pop(), []):
            if report.person_id not in seen:
                seen.add(report.person_id)
                stack.append(report.person_id)
                if report.team_id is not None:
                    teams.add(report.team_id)
    return teams


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _trend(series: list[TeamMetric], k: int, *, stale_window: date | None = None) -> list[TeamPoint]:
    points = []
    for m in series:
        ok = passes(m.members, k)
        stale = ok and m.window_start == stale_window
        show = ok and not stale
        points.append(
            TeamPoint(
                window_start=m.window_start,
                too_few=not ok,
                stale=stale,
                density=rounded_share(m.density) if show else None,
                external_share=rounded_share(m.external_share) if show else None,
                human_share=rounded_share(m.human_share) if show else None,
                after_hours_share=rounded_share(m.after_hours_share) if show else None,
                mean_ties=_rounded(m.mean_ties) if show else None,
                mean_new_ties=_rounded(m.mean_new_ties) if show else None,
                mean_lost_ties=_rounded(m.mean_lost_ties) if show else None,
                **{name: rounded_share(getattr(m, name)) if show else None for name in CHANNEL_SHARES},
                cut_points=m.cut_points if show else None,
                thin_links=m.thin_links if show else None,
                focus_hours=_rounded(m.focus_hours) if show else None,
                focus_blocks=_rounded(m.focus_blocks) if show else None,
            )
        )
    return points


def _team_series(
    session: Session, *, org: str, team_id: int, period: str, today: date | None
) -> tuple[list[TeamMetric], date | None]:
    """The team's finished windows, and the window to show (its latest, else the people's latest)."""
    all_series = repository.team_series(session, org=org, team_id=team_id, period=period)
    keep = set(finished([m.window_start for m in all_series], period, today))
    series = [m for m in all_series if m.window_start in keep]
    if series:
        return series, series[-1].window_start
    windows = finished(repository.person_windows(session, org=org, period=period), period, today)
    return series, windows[-1] if windows else None


def team_health(
    session: Session, *, org: str, team_id: int, period: str = "month", k: int, today: date | None = None
) -> TeamHealth:
    """A team's aggregates in its latest window, its trend, and its slices (site; joined in the last 6 months).

    Members are the team's people who have not opted out and had started by the end of the window shown.
    "The last 6 months" counts back from the end of that window (or ``today`` when there is no data).
    """
    _check_period(period)
    team_entries = [e for e in people_service.directory(session, org=org) if e.team_id == team_id]
    if not team_entries:
        raise NotFound(f"no team {team_id}")
    name = team_entries[0].team_name or f"team {team_id}"
    series, window = _team_series(session, org=org, team_id=team_id, period=period, today=today)
    end = next_window(window, period=period) if window else None
    members = members_at(team_entries, end)
    latest = series[-1] if series else None
    if not passes(len(members), k) or (latest is not None and not passes(latest.members, k)):
        return TeamHealth(team_id=team_id, team_name=name, period=period, window_start=window, k=k, too_few=True)
    pseudonyms = [m.pseudonym for m in members]
    rows: dict[str, PersonMetric] = {}
    if window is not None:
        found = repository.people_at(session, org=org, period=period, window_start=window, pseudonyms=pseudonyms)
        rows = {r.pseudonym: r for r in found}
    since = (end or today or date.today()) - timedelta(days=NEW_HIRE_DAYS)
    overall = slice_health("whole team", pseudonyms, rows, k=k)
    stale = latest is not None and latest.members != len(members)
    ties = None if stale else latest
    return TeamHealth(
        team_id=team_id,
        team_name=name,
        period=period,
        window_start=window,
        k=k,
        too_few=False,
        members=len(members),
        density=rounded_share(ties.density) if ties else None,
        ei_index=rounded_share(ties.ei_index) if ties else None,
        external_share=rounded_share(ties.external_share) if ties else None,
        no_strong_tie=overall.no_strong_tie,
        no_strong_tie_few=overall.no_strong_tie_few,
        human_share=overall.human_share,
        after_hours_share=overall.after_hours_share,
        stale=stale,
        overall=overall,
        slices=team_slices(members, rows, k=k, since=since),
        trend=_trend(series, k, stale_window=window if stale else None),
    )


def org_map(session: Session, *, org: str, period: str = "month", k: int, today: date | None = None) -> OrgMap:
    """Teams as nodes (members >= k only) and the ties between them, in the latest finished window, laid out."""
    _check_period(period)
    windows = finished(repository.team_windows(session, org=org, period=period), period, today)
    window = windows[-1] if windows else None
    if window is None:
        return OrgMap(period=period, window_start=None, k=k, nodes=[], edges=[], hidden_teams=0)
    names = {s.team_id: s.name for s in people_service.teams(session, org=org)}
    metrics = repository.teams_at(session, org=org, period=period, window_start=window)
    shown = [m for m in metrics if passes(m.members, k)]
    shown_ids = {m.team_id for m in shown}
    edges = [
        OrgEdge(t.team_a, t.team_b, round(t.weight, 3), t.ties)
        for t in repository.team_ties_at(session, org=org, period=period, window_start=window)
        if t.team_a in shown_ids and t.team_b in shown_ids and t.weight > 0
    ]
    positions = unit_layout([m.team_id for m in shown], [(e.team_a, e.team_b, e.weight) for e in edges])
    nodes = [
        OrgNode(
            team_id=m.team_id,
            name=names.get(m.team_id, f"team {m.team_id}"),
            members=m.members,
            ei_index=m.ei_index,
            x=positions[m.team_id][0],
            y=positions[m.team_id][1],
        )
        for m in shown
    ]
    return OrgMap(
        period=period, window_start=window, k=k, nodes=nodes, edges=edges, hidden_teams=len(metrics) - len(shown)
    )


__all__ = [
    "NEW_HIRE_LABEL",
    "OrgMap",
    "SliceHealth",
    "TeamHealth",
    "fewer_than",
    "my_connections",
    "org_map",
    "slice_health",
    "team_health",
]
