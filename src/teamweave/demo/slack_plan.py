"""Where and how much the demo organisation talks on Slack: channels, DMs and monthly posting rates.

The planted phenomena live here as rates: the siloed team has no channel or DM outside itself, the bridge
person sits in most project channels and posts a lot, the bot team's human rates fall while its AI DMs and
bot messages rise, the new hire barely posts and has DMs only in their first weeks. After-hours shares
(per person and month) are set in :func:`after_hours_matrix`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from teamweave.demo.names import PROJECT_WORDS
from teamweave.demo.org_chart import DemoOrg
from teamweave.demo.timeline import Window

AI_USER_ID = "U0DEMOAI00"
AI_BOT_ID = "B0DEMOAI00"
AI_NAME = "aria"
DEPLOY_BOT_ID = "B0DEMODEPLOY"
DEPLOY_BOT_NAME = "deploy-bot"
AI = -1  # member index of the AI assistant in a DM

TEAM_RATE = 14.0
PROJECT_RATE = 5.0
BRIDGE_PROJECT_RATE = 22.0
TEAM_DM_BURSTS = 0.3
MANAGER_DM_BURSTS = 0.3
CROSS_DM_BURSTS = 0.35
BRIDGE_DM_BURSTS = 0.8
BASE_AFTER_HOURS = 0.04
BRIDGE_AFTER_HOURS = 0.30
CREEP_FROM, CREEP_TO = 0.04, 0.46
NEW_HIRE_DM_DAYS = 21
NEW_HIRE_BUDDY_BURSTS = 0.4


@dataclass
class Place:
    """A Slack channel (``C…``) or direct-message conversation (``D…``)."""

    id: str
    name: str
    members: list[int]
    creator: int
    is_dm: bool = False
    is_general: bool = False

    @property
    def folder(self) -> str:
        return self.id if self.is_dm else self.name


@dataclass
class Stream:
    """Top-level messages (channels) or conversation bursts (DMs) posted in one place.

    ``rates[m, j]`` is the expected number of top-level messages (bursts for DMs) of ``posters[j]`` in month m.
    """

    place: int
    posters: np.ndarray
    rates: np.ndarray
    until: int | None = None  # last ordinal day on which the stream posts
    ai_replies: bool = False


@dataclass
class SlackPlan:
    places: list[Place] = field(default_factory=list)
    streams: list[Stream] = field(default_factory=list)
    bot_posts: list[tuple[int, np.ndarray]] = field(default_factory=list)  # (place, posts per month)
    team_channel: dict[int, int] = field(default_factory=dict)
    project_places: list[int] = field(default_factory=list)
    general: int = 0

    def add_place(self, place: Place) -> int:
        self.places.append(place)
        return len(self.places) - 1


def after_hours_matrix(org: DemoOrg, window: Window) -> np.ndarray:
    """Each person's probability per month that an act falls outside working hours."""
    months = window.months
    matrix = np.full((len(org.people), months), BASE_AFTER_HOURS)
    creep = np.linspace(CREEP_FROM, CREEP_TO, months)
    for person in org.teams[org.phenomena.creep_team].members:
        matrix[person] = creep
    matrix[org.phenomena.bridge_person] = BRIDGE_AFTER_HOURS
    return matrix


def _active(org: DemoOrg, window: Window, members: list[int]) -> np.ndarray:
    """[month, member] 1.0 when the member has started by the end of the month."""
    starts = np.array([org.people[m].start_date.toordinal() for m in members])
    return (starts[None, :] <= window.month_last[:, None]).astype(float)


def _human_decline(window: Window) -> np.ndarray:
    return np.linspace(1.0, 0.28, window.months)


def build_plan(org: DemoOrg, window: Window, rng: np.random.Generator) -> SlackPlan:
    plan = SlackPlan()
    activity = rng.lognormal(0.0, 0.45, len(org.people))
    ph = org.phenomena
    activity[ph.new_hire] = 0.03
    activity[ph.bridge_person] = 0.8
    _team_channels(plan, org, window, activity)
    _project_channels(plan, org, window, rng)
    _general_channel(plan, org, window)
    _team_dms(plan, org, window, rng)
    _cross_dms(plan, org, window, rng)
    _ai_dms(plan, org, window, rng)
    _bot_posts(plan, org, window, rng)
    return plan


def _team_channels(plan: SlackPlan, org: DemoOrg, window: Window, activity: np.ndarray) -> None:
    for team in org.teams:
        assert team.manager is not None
        members = [m for m in team.members if m != org.phenomena.new_hire]  # never added to the team channel
        place = plan.add_place(
            Place(id=f"C0DEMO{len(plan.places):04d}", name=f"team-{team.slug}", members=members, creator=team.manager)
        )
        plan.team_channel[team.index] = place
        rates = TEAM_RATE * activity[members][None, :] * _active(org, window, members)
        if team.index == org.phenomena.bot_team:
            rates = rates * _human_decline(window)[:, None]
        plan.streams.append(Stream(place=place, posters=np.array(members), rates=rates))


def _project_channels(plan: SlackPlan, org: DemoOrg, window: Window, rng: np.random.Generator) -> None:
    ph = org.phenomena
    eligible = [t.index for t in org.teams if t.index not in (ph.siloed_team, org.leadership)]
    count = max(12, len(org.teams) - 4)
    for number, chosen in enumerate(_project_teams(eligible, count, rng)):
        members: list[int] = []
        for team_index in chosen:
            pool = [m for m in org.teams[int(team_index)].members if m not in (ph.new_hire, ph.bridge_person)]
            take = min(len(pool), max(1, round(len(pool) * float(rng.uniform(0.12, 0.25)))))
            members.extend(int(m) for m in rng.choice(pool, size=take, replace=False))
        if number < max(12, count * 2 // 3):
            members.append(ph.bridge_person)
        place = plan.add_place(
            Place(
                id=f"C0DEMO{len(plan.places):04d}",
                name=f"proj-{PROJECT_WORDS[number % len(PROJECT_WORDS)]}",
                members=members,
                creator=members[0],
            )
        )
        plan.project_places.append(place)
        rates = np.array([BRIDGE_PROJECT_RATE if m == ph.bridge_person else PROJECT_RATE for m in members])
        rates = rates[None, :] * rng.uniform(0.6, 1.4, len(members))[None, :] * _active(org, window, members)
        plan.streams.append(Stream(place=place, posters=np.array(members), rates=rates))


def _project_teams(eligible: list[int], count: int, rng: np.random.Generator) -> list[list[int]]:
    """Two or three teams per project channel, every eligible team in about as many channels."""
    queue: list[int] = []
    groups: list[list[int]] = []
    for _ in range(count):
        group: list[int] = []
        size = int(rng.integers(2, 4))
        while len(group) < size:
            if not queue:
                queue = [int(t) for t in rng.permutation(eligible)]
            team = queue.pop()
            if team in group:
                queue.insert(0, team)
                continue
            group.append(team)
        groups.append(group)
    return groups


def _general_channel(plan: SlackPlan, org: DemoOrg, window: Window) -> None:
    siloed = set(org.teams[org.phenomena.siloed_team].members)
    members = [p.index for p in org.people if p.index not in siloed]
    plan.general = plan.add_place(
        Place(id=f"C0DEMO{len(plan.places):04d}", name="general", members=members, creator=0, is_general=True)
    )
    weight = np.array([1.5 if org.people[m].role != "member" else 0.06 for m in members])
    weight[members.index(org.phenomena.new_hire)] = 0.0
    rates = weight[None, :] * _active(org, window, members)
    plan.streams.append(Stream(place=plan.general, posters=np.array(members), rates=rates))


def _dm(
    plan: SlackPlan,
    a: int,
    b: int,
    rates: np.ndarray,
    *,
    until: int | None = None,
    ai_replies: bool = False,
) -> None:
    place = plan.add_place(Place(id=f"D0DEMO{len(plan.places):05d}", name="", members=[a, b], creator=a, is_dm=True))
    posters = np.array([a] if ai_replies else [a, b])
    plan.streams.append(Stream(place=place, posters=posters, rates=rates, until=until, ai_replies=ai_replies))


def _team_dms(plan: SlackPlan, org: DemoOrg, window: Window, rng: np.random.Generator) -> None:
    ph = org.phenomena
    for team in org.teams:
        assert team.manager is not None
        decline = _human_decline(window) if team.index == ph.bot_team else np.ones(window.months)
        others = [m for m in team.members if m != ph.new_hire]
        for report in team.members:
            if report == team.manager:
                continue
            active = _active(org, window, [team.manager, report])
            if report == ph.new_hire:
                until = org.people[report].start_date.toordinal() + NEW_HIRE_DM_DAYS
                _dm(plan, team.manager, report, np.full((window.months, 2), 0.8) * active, until=until)
                _dm(plan, others[1], report, np.full((window.months, 2), NEW_HIRE_BUDDY_BURSTS) * active)
                continue
            _dm(plan, team.manager, report, MANAGER_DM_BURSTS * decline[:, None] * active)
        pairs: set[tuple[int, int]] = set()
        for person in others:
            peers = [m for m in others if m != person]
            for peer in rng.choice(peers, size=min(3, len(peers)), replace=False):
                pairs.add((min(person, int(peer)), max(person, int(peer))))
        director = org.people[team.manager].manager
        if team.index != org.leadership and director is not None:
            _dm(plan, director, team.manager, MANAGER_DM_BURSTS * _active(org, window, [director, team.manager]))
        for a, b in sorted(pairs):
            active = _active(org, window, [a, b])
            _dm(plan, a, b, TEAM_DM_BURSTS * decline[:, None] * active * rng.uniform(0.5, 1.5))


def _cross_dms(plan: SlackPlan, org: DemoOrg, window: Window, rng: np.random.Generator) -> None:
    ph = org.phenomena
    excluded = set(org.teams[ph.siloed_team].members) | {ph.new_hire}
    people = [p.index for p in org.people if p.index not in excluded]
    pairs: set[tuple[int, int]] = set()
    for person in people:
        same_site = [q for q in people if org.people[q].site == org.people[person].site]
        for _ in range(int(rng.integers(0, 4))):
            peer = int(rng.choice(same_site))
            if org.people[peer].team != org.people[person].team:
                pairs.add((min(person, peer), max(person, peer)))
    bridge = ph.bridge_person
    teams_seen: set[int] = set()
    for peer in rng.permutation(people):
        team = org.people[int(peer)].team
        if team not in teams_seen and team != org.people[bridge].team and len(teams_seen) < 30:
            teams_seen.add(team)
            pairs.add((min(bridge, int(peer)), max(bridge, int(peer))))
    for a, b in sorted(pairs):
        rate = BRIDGE_DM_BURSTS if bridge in (a, b) else CROSS_DM_BURSTS
        _dm(plan, a, b, rate * _active(org, window, [a, b]))


def _ai_dms(plan: SlackPlan, org: DemoOrg, window: Window, rng: np.random.Generator) -> None:
    ph = org.phenomena
    ramp = 0.5 + 28.0 * np.linspace(0.0, 1.0, window.months) ** 1.3
    for person in org.teams[ph.bot_team].members:
        _dm(plan, person, AI, (ramp * rng.uniform(0.7, 1.3))[:, None], ai_replies=True)
    outsiders = [p.index for p in org.people if org.people[p.index].team != ph.bot_team and p.index != ph.new_hire]
    for person in rng.choice(outsiders, size=12, replace=False):
        _dm(plan, int(person), AI, np.full((window.months, 1), 1.5), ai_replies=True)


def _bot_posts(plan: SlackPlan, org: DemoOrg, window: Window, rng: np.random.Generator) -> None:
    ph = org.phenomena
    plan.bot_posts.append((plan.team_channel[ph.bot_team], 4.0 + 80.0 * np.linspace(0.0, 1.0, window.months)))
    others = [t.index for t in org.teams if t.index not in (ph.bot_team, org.leadership)]
    for team in rng.choice(others, size=6, replace=False):
        plan.bot_posts.append((plan.team_channel[int(team)], np.full(window.months, 6.0)))
