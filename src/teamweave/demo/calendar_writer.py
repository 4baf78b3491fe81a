"""The demo organisation's calendars: one RFC 5545 file per organiser, ``calendars/<local-part>.ics``.

Weekly 1:1s between managers and reports, weekly team meetings, biweekly director 1:1s, project syncs and the
bridge person's architecture forum. Events carry VTIMEZONE/TZID, RRULEs with UNTIL, EXDATEs for cancelled
occurrences, ORGANIZER and ATTENDEEs with PARTSTAT (a few declined), and a room or a video link as LOCATION.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
from icalendar import Calendar, Event, vCalAddress, vText

from teamweave.demo.names import ROOMS
from teamweave.demo.org_chart import SITES, DemoOrg
from teamweave.demo.slack_plan import SlackPlan
from teamweave.demo.timeline import Window

VIDEO_BASE = "https://meet.demo.teamweave.test/"
# UTC hour and minute that suits each mix of sites (0 Berlin, 1 New York, 2 Bangalore).
OVERLAP_UTC: dict[frozenset[int], tuple[int, int]] = {
    frozenset({0, 1}): (14, 0),
    frozenset({0, 2}): (9, 0),
    frozenset({1, 2}): (13, 30),
    frozenset({0, 1, 2}): (13, 30),
}
FORUM_SIZE = 10
LOCAL_SLOTS = ((10, 0), (11, 0), (14, 0), (15, 30))


@dataclass
class Meeting:
    uid: str
    summary: str
    organiser: int
    attendees: list[int]
    first_day: date
    until: date
    minutes: int = 30
    interval: int = 1
    declined: set[int] = field(default_factory=set)
    cancelled: int = 0


@dataclass
class CalendarStats:
    files: int = 0
    series: int = 0


class CalendarBuilder:
    def __init__(self, org: DemoOrg, window: Window, rng: np.random.Generator) -> None:
        self.org, self.window, self.rng = org, window, rng
        self.meetings: list[Meeting] = []
        self.stamp = datetime.combine(window.end, time(0), tzinfo=UTC)

    def _first(self, begin: date, weekday: int) -> date:
        return begin + timedelta(days=(weekday - begin.weekday()) % 7)

    def add(
        self, summary: str, organiser: int, attendees: list[int], *, begin: date | None = None, **kw: object
    ) -> Meeting:
        start = max([begin or self.window.start] + [self.org.people[a].start_date for a in attendees])
        weekday = int(self.rng.integers(5))
        meeting = Meeting(
            uid=f"demo-{len(self.meetings):05d}@demo.teamweave.test",
            summary=summary,
            organiser=organiser,
            attendees=attendees,
            first_day=self._first(start, weekday),
            until=self.window.end,
            cancelled=int(self.rng.integers(0, 4)),
        )
        for key, value in kw.items():
            setattr(meeting, key, value)
        if meeting.first_day <= meeting.until:
            self.meetings.append(meeting)
        return meeting

    def plan(self, plan: SlackPlan) -> None:
        org, ph = self.org, self.org.phenomena
        for team in org.teams:
            manager = team.manager
            assert manager is not None
            for report in team.members:
                if report == manager:
                    continue
                if org.people[report].role == "director":
                    self.add("1:1", manager, [manager, report], interval=2)
                    continue
                meeting = self.add("1:1", manager, [manager, report])
                if report == ph.new_hire:
                    meeting.until = org.people[report].start_date + timedelta(days=21)
                    meeting.cancelled = 0
            self._team_meeting(team.index, manager, list(team.members))
        for team in org.teams:
            if team.index != org.leadership and team.manager is not None:
                director = org.people[team.manager].manager
                assert director is not None
                self.add("1:1", director, [director, team.manager], interval=2)
        for place in plan.project_places:
            members = plan.places[place].members
            organiser = ph.bridge_person if ph.bridge_person in members else members[0]
            self.add(f"{plan.places[place].name} sync", organiser, list(members), interval=2, minutes=45)
        self._forum()

    def _team_meeting(self, team: int, manager: int, members: list[int]) -> None:
        ph = self.org.phenomena
        declined = {int(self.rng.choice(members[1:]))} if self.rng.random() < 0.5 else set()
        if ph.new_hire in members:
            declined.add(ph.new_hire)
        if team == ph.bot_team:
            midpoint = date.fromordinal(int(self.window.month_first[self.window.months // 2]))
            first = self.add("Team sync", manager, members, minutes=45, declined=declined)
            first.until = midpoint - timedelta(days=1)
            self.add("Team sync", manager, members, minutes=30, interval=2, begin=midpoint, declined=declined)
            return
        self.add("Team sync", manager, members, minutes=45, declined=declined)

    def _forum(self) -> None:
        org, ph = self.org, self.org.phenomena
        excluded = {ph.siloed_team, org.leadership, org.people[ph.bridge_person].team}
        chosen = []
        for team in org.teams:
            if team.index not in excluded:
                candidates = [m for m in team.members if m != ph.new_hire]
                chosen.append(int(self.rng.choice(candidates)))
        chosen = sorted(int(c) for c in self.rng.choice(chosen, size=min(FORUM_SIZE, len(chosen)), replace=False))
        self.add("Architecture forum", ph.bridge_person, [ph.bridge_person, *chosen], minutes=60)

    def _start_time(self, meeting: Meeting) -> datetime:
        organiser_tz = ZoneInfo(self.org.timezone(meeting.organiser))
        sites = frozenset(self.org.people[a].site for a in meeting.attendees)
        if len(sites) == 1:
            hour, minute = LOCAL_SLOTS[int(self.rng.integers(len(LOCAL_SLOTS)))]
            return datetime.combine(meeting.first_day, time(hour, minute), tzinfo=organiser_tz)
        hour, minute = OVERLAP_UTC[sites]
        utc = datetime.combine(meeting.first_day, time(hour, minute), tzinfo=UTC)
        local = utc.astimezone(organiser_tz)
        local = local.replace(minute=0 if local.minute < 30 else 30, second=0)
        return datetime.combine(meeting.first_day, local.timetz().replace(tzinfo=None), tzinfo=organiser_tz)

    def _location(self, meeting: Meeting) -> str:
        sites = {self.org.people[a].site for a in meeting.attendees}
        if len(sites) == 1 and len(meeting.attendees) <= 25:
            site = SITES[next(iter(sites))][0]
            rooms = ROOMS[site]
            return f"{site} - Room {rooms[meeting.organiser % len(rooms)]}"
        return f"{VIDEO_BASE}{meeting.uid.split('@')[0]}"

    def event(self, meeting: Meeting) -> Event:
        start = self._start_time(meeting)
        event = Event()
        event.add("uid", meeting.uid)
        event.add("dtstamp", self.stamp)
        event.add("summary", meeting.summary)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=meeting.minutes))
        until = datetime.combine(meeting.until, time(23, 59, 59), tzinfo=UTC)
        event.add("rrule", {"FREQ": "WEEKLY", "INTERVAL": meeting.interval, "UNTIL": until})
        occurrences = (meeting.until - meeting.first_day).days // (7 * meeting.interval) + 1
        if meeting.cancelled and occurrences > 4:
            picks = sorted(self.rng.choice(occurrences, size=meeting.cancelled, replace=False).tolist())
            event.add("exdate", [start + timedelta(days=7 * meeting.interval * k) for k in picks])
        event.add("location", self._location(meeting))
        organiser = self.org.people[meeting.organiser]
        address = vCalAddress(f"mailto:{organiser.email}")
        address.params["CN"] = vText(organiser.name)
        event["organizer"] = address
        for attendee in meeting.attendees:
            person = self.org.people[attendee]
            status = "DECLINED" if attendee in meeting.declined else "ACCEPTED"
            params = {"CN": person.name, "ROLE": "REQ-PARTICIPANT", "PARTSTAT": status}
            event.add("attendee", f"mailto:{person.email}", parameters=params)
        return event

    def write(self, root: Path) -> CalendarStats:
        root.mkdir(parents=True, exist_ok=True)
        by_organiser: dict[int, list[Meeting]] = defaultdict(list)
        for meeting in self.meetings:
            by_organiser[meeting.organiser].append(meeting)
        stats = CalendarStats()
        for organiser, meetings in sorted(by_organiser.items()):
            calendar = Calendar()
            calendar.add("prodid", "-//teamweave//demo organisation//EN")
            calendar.add("version", "2.0")
            for meeting in meetings:
                calendar.add_component(self.event(meeting))
                stats.series += 1
            calendar.add_missing_timezones()
            (root / f"{self.org.people[organiser].local_part}.ics").write_bytes(calendar.to_ical())
            stats.files += 1
        return stats


def write_calendars(
    org: DemoOrg, window: Window, plan: SlackPlan, root: Path, rng: np.random.Generator
) -> CalendarStats:
    """Plan every recurring meeting and write one .ics file per organiser under ``root``."""
    builder = CalendarBuilder(org, window, rng)
    builder.plan(plan)
    return builder.write(root)
