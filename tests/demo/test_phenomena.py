"""Each planted phenomenon is visible in the raw generated files (before any teamweave code reads them)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path
from statistics import mean, median

from icalendar import Calendar
from tests.demo.raw_export import RawDemo, RawMessage, by_month, monthly

from teamweave.demo.manifest import DemoManifest

MANY_MEMBERS = 50


def _months(raw: RawDemo) -> list[str]:
    return sorted({raw.month(m.ts) for m in raw.messages})


def _ties(raw: RawDemo, *, minimum: int = 3) -> Counter[frozenset[str]]:
    """Pairs of people who reached each other at least ``minimum`` times outside large channels."""
    pairs: Counter[frozenset[str]] = Counter()
    for m in raw.messages:
        members = raw.members[m.place]
        if m.bot or m.user is None or len(members) > MANY_MEMBERS:
            continue
        for other in members:
            if other != m.user and other not in raw.bots:
                pairs[frozenset((m.user, other))] += 1
    return Counter({pair: n for pair, n in pairs.items() if n >= minimum})


def _ei_index(raw: RawDemo, ties: Counter[frozenset[str]], team: str) -> float:
    uids = raw.uids_of_team(team)
    external = internal = 0
    for pair in ties:
        a, b = tuple(pair)
        for x, y in ((a, b), (b, a)):
            if x in uids:
                internal += y in uids
                external += y not in uids
    return (external - internal) / max(external + internal, 1)


def test_siloed_team_talks_almost_only_among_itself(raw: RawDemo, manifest: DemoManifest) -> None:
    ties = _ties(raw)
    teams = sorted({row["team"] for row in raw.people.values()})
    ei = {team: _ei_index(raw, ties, team) for team in teams}
    siloed = manifest.phenomena.siloed_team
    assert ei[siloed] < -0.9
    others = [value for team, value in ei.items() if team != siloed]
    assert min(others) > ei[siloed] + 0.2
    assert -0.7 < median(others) < 0.4
    siloed_uids = raw.uids_of_team(siloed)
    places = {m.place for m in raw.messages if m.user in siloed_uids}
    outside = [p for p in places if set(raw.members[p]) - siloed_uids - raw.bots]
    assert len(outside) <= 1  # the manager's DM with their director


def test_new_hire_never_integrates(raw: RawDemo, manifest: DemoManifest, demo_dir: Path) -> None:
    hire = manifest.phenomena.new_hire
    start = date.fromisoformat(raw.people[hire]["start_date"])
    assert timedelta(days=100) < manifest.end - start < timedelta(days=140)
    team = raw.uids_of_team(manifest.phenomena.new_hire_team)
    since = [m for m in raw.messages if m.user in team and raw.month(m.ts) >= start.strftime("%Y-%m")]
    per_person = Counter(m.user for m in since)
    hire_uid = raw.uid_of(hire)
    others = [per_person[u] for u in team if u != hire_uid]
    assert per_person[hire_uid] < 0.1 * median(others)
    ties = _ties(raw)
    degree = Counter(u for pair in ties for u in pair)
    assert degree[hire_uid] < 0.5 * min(degree[u] for u in team if u != hire_uid)
    one_to_ones = _one_to_ones_of(demo_dir, hire)
    assert one_to_ones
    assert all(until.date() <= start + timedelta(days=35) for until in one_to_ones)


def test_other_newcomers_integrate_as_the_new_hire_does_not(raw: RawDemo, manifest: DemoManifest) -> None:
    """The year's other hires (enough for the day-30/60/90 medians, k = 5) reach people in their first 90 days;
    the new hire who never integrates reaches far fewer than their median."""
    year_ago = manifest.end - timedelta(days=365)
    starts = {raw.uid_of(e): date.fromisoformat(row["start_date"]) for e, row in raw.people.items()}
    newcomers = {uid: start for uid, start in starts.items() if start > year_ago}
    hire = raw.uid_of(manifest.phenomena.new_hire)
    assert len(newcomers) - 1 >= 10
    reached: defaultdict[str, set[str]] = defaultdict(set)
    for m in raw.messages:
        members = raw.members[m.place]
        if m.bot or m.user is None or len(members) > MANY_MEMBERS:
            continue
        day = date.fromtimestamp(m.ts)
        for uid in {m.user, *members} & newcomers.keys():
            if newcomers[uid] <= day < newcomers[uid] + timedelta(days=90):
                reached[uid].update(({m.user} if uid != m.user else set(members)) - {uid} - raw.bots)
    others = [len(reached[uid]) for uid in newcomers if uid != hire]
    assert len(reached[hire]) < 0.5 * median(others)


def _one_to_ones_of(demo_dir: Path, email: str) -> list:  # type: ignore[type-arg]
    untils = []
    for path in (demo_dir / "calendars").glob("*.ics"):
        for event in Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            attendees = {str(a).removeprefix("mailto:") for a in event["attendee"]}
            if str(event["summary"]) == "1:1" and email in attendees:
                untils.append(event["rrule"]["UNTIL"][0])
    return untils


def test_bridge_person_carries_the_cross_team_bridges(raw: RawDemo, manifest: DemoManifest) -> None:
    bridge = raw.uid_of(manifest.phenomena.bridge_person)
    project_channels = [p for p in raw.members if p.startswith("proj-")]
    memberships = Counter(u for p in project_channels for u in raw.members[p])
    assert memberships.most_common(1)[0][0] == bridge
    assert memberships[bridge] >= 0.5 * len(project_channels)
    ties = _ties(raw)
    cross: Counter[str] = Counter()
    for pair in ties:
        a, b = tuple(pair)
        if raw.team_of(a) != raw.team_of(b):
            cross[a] += 1
            cross[b] += 1
    assert cross.most_common(1)[0][0] == bridge
    assert cross[bridge] > 2 * cross.most_common(2)[1][1]
    volume = Counter(m.user for m in raw.messages if not m.bot)
    assert bridge in [u for u, _ in volume.most_common(3)]
    own = [m for m in raw.messages if m.user == bridge]
    assert sum(raw.after_hours(m) for m in own) / len(own) > 0.2


def _after_hours_by_month(raw: RawDemo, uids: set[str]) -> list[float]:
    total: dict[str, int] = defaultdict(int)
    late: dict[str, int] = defaultdict(int)
    for m in raw.messages:
        if m.user in uids and not m.bot:
            month = raw.month(m.ts)
            total[month] += 1
            late[month] += raw.after_hours(m)
    return [late[month] / total[month] for month in _months(raw)]


def test_after_hours_creep_rises_in_one_team(raw: RawDemo, manifest: DemoManifest) -> None:
    creep = _after_hours_by_month(raw, raw.uids_of_team(manifest.phenomena.after_hours_creep_team))
    assert creep[0] < 0.12
    assert creep[-1] > 0.35
    assert mean(creep[-3:]) - mean(creep[:3]) > 0.25
    assert sum(b >= a - 0.03 for a, b in zip(creep, creep[1:], strict=False)) >= 9
    normal = _after_hours_by_month(raw, raw.uids_of_team(manifest.phenomena.siloed_team))
    assert max(normal) < 0.12


def _human_among(raw: RawDemo, uids: set[str]) -> list[RawMessage]:
    return [
        m
        for m in raw.messages
        if m.user in uids
        and not m.bot
        and set(raw.members[m.place]) <= uids | raw.bots
        and not (set(raw.members[m.place]) & raw.bots)
    ]


def test_bot_team_human_interaction_falls_as_bot_share_rises(raw: RawDemo, manifest: DemoManifest) -> None:
    team = manifest.phenomena.bot_team
    uids = raw.uids_of_team(team)
    months = _months(raw)
    human = monthly(by_month(_human_among(raw, uids), raw), months)
    ai_dms = [m for m in raw.messages if raw.members[m.place][-1] in raw.bots and raw.members[m.place][0] in uids]
    ai = monthly(by_month(ai_dms, raw), months)
    channel = f"team-{team.lower().replace(' ', '-')}"
    bots = monthly(by_month([m for m in raw.messages if m.place == channel and m.bot], raw), months)
    assert mean(human[-3:]) < 0.5 * mean(human[:3])
    assert mean(ai[-3:]) > 5 * mean(ai[:3])
    assert mean(bots[-3:]) > 5 * mean(bots[:3])
    share = [(a + b) / (a + b + h) for a, b, h in zip(ai, bots, human, strict=True)]
    assert share[-1] > share[0] + 0.3
