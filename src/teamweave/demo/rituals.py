"""The demo's rituals: recognitions over the last twelve weeks, a few celebrations, and check-in histories.

Seeded like the rest of the demo, and entered through the capabilities' own services, so the pages show what a
team using teamweave for a quarter would see. The planted new hire receives no recognition (they never
integrate), and about one person in six goes unrecognised, so a manager's equity view has something to say.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from teamweave.accounts.models import User
from teamweave.checkins import service as checkins
from teamweave.moments import service as moments
from teamweave.moments.models import ACHIEVEMENT, MILESTONE
from teamweave.people import service as people
from teamweave.people.schemas import DirectoryEntry
from teamweave.recognition import service as recognition
from teamweave.runtime import Runtime

RECOGNITIONS = 450
WEEKS = 12
MESSAGES = (
    "Thanks for pairing with me on the flaky test until it was green.",
    "Your review caught the migration bug before it shipped. Thank you!",
    "You made the incident call calm and clear.",
    "Thank you for writing the runbook everyone now uses.",
    "Great onboarding session for the new folks this week.",
    "Thanks for jumping in to help another team with their release.",
)
UNRECOGNISED_SHARE = 1 / 6


def seed_recognitions(
    session: Session, runtime: Runtime, *, today: date, new_hire: str, siloed_team: str, seed: int
) -> int:
    """Give 450 recognitions over the last twelve weeks, four in five within a team; return how many given.

    The new hire receives none and the siloed team's people give and receive only within their team, so the
    planted phenomena stay as planted.

    Skipped when they exist already (a regenerated demo). Their interaction events are not written here: the
    demo's analysis step writes them with :func:`teamweave.recognition.service.record_events`, once this step
    has committed, as ``teamweave analyze`` does."""
    org, settings = runtime.settings.org, runtime.settings
    if recognition.has_any(session, org=org):
        return 0
    rng = random.Random(seed)
    entries = [e for e in people.directory(session, org=org) if e.team_id is not None]
    receivers = [e for e in entries if e.email != new_hire and rng.random() > UNRECOGNISED_SHARE]
    mixers = [e for e in entries if e.team_name != siloed_team and e.email != new_hire]
    by_team: dict[int, list[DirectoryEntry]] = {}
    for entry in entries:
        by_team.setdefault(entry.team_id or 0, []).append(entry)
    given = 0
    for _ in range(RECOGNITIONS):
        receiver = rng.choice(receivers)
        team = [e for e in by_team[receiver.team_id or 0] if e.person_id != receiver.person_id]
        across = receiver.team_name != siloed_team and rng.random() >= 0.8
        giver = rng.choice(mixers if across or not team else team)
        if giver.person_id == receiver.person_id:
            continue
        given += 1
        day = today - timedelta(days=1 + rng.randrange(WEEKS * 7))  # before today: 14:xx today may be ahead of now
        recognition.give(
            session,
            org=org,
            giver_id=giver.person_id,
            person_id=receiver.person_id,
            value=rng.choice(settings.recognition_values),
            message=rng.choice(MESSAGES),
            public=rng.random() < 0.85,
            values=settings.recognition_values,
            public_url=settings.public_url,
            now=datetime.combine(day, time(14, rng.randrange(60)), tzinfo=UTC),
        )
    return given


def seed_celebrations(session: Session, *, org: str, today: date, member: str, teams: tuple[str, str]) -> int:
    """Two team achievements and one milestone around today (skipped if the org has any moments)."""
    around = moments.upcoming(session, org=org, first=today - timedelta(days=7), days=14)
    if any(c.moment_id is not None for c in around):
        return 0
    team_ids = {t.name: t.team_id for t in people.teams(session, org=org)}
    person = people.person_by_email(session, org=org, email=member)
    shipped, launched = teams
    moments.add_moment(
        session, org=org, entered_by=None, kind=ACHIEVEMENT, title="Migrated checkout to the new ledger",
        day=today - timedelta(days=2), team_id=team_ids[shipped],
    )  # fmt: skip
    moments.add_moment(
        session, org=org, entered_by=None, kind=ACHIEVEMENT, title="One million sign-ups",
        day=today + timedelta(days=1), team_id=team_ids[launched],
    )  # fmt: skip
    if person is not None:
        moments.add_moment(
            session, org=org, entered_by=None, kind=MILESTONE, title="First production deploy",
            day=today, person_id=person.id,
        )  # fmt: skip
    return 3


WHO5_HISTORY = ((4, 4, 3, 4, 4), (4, 3, 3, 3, 4), (3, 3, 3, 3, 3), (3, 2, 2, 2, 3), (2, 2, 2, 1, 3))
"""The demo member's fortnightly WHO-5 answers, oldest first: 76 falling to 40 (a drop worth a conversation)."""


TEAM_CHECKIN_SHARE = 0.7
"""Of everyone else with a manager, the share who check in every two weeks (the rest never do)."""
TEAM_CHECKINS = 4
USUAL_ANSWER = 3.2
"""The mean WHO-5 answer (0..5) of a team without a story: a score of about 64."""
CREEP_FALL = 0.35
"""How far the after-hours-creep team's mean answer falls from one check-in to the next (64 to about 43)."""


def seed_checkins(session: Session, *, org: str, today: date, member: User, creep_team: str, seed: int) -> int:
    """The member's check-ins every two weeks, their WHO-5 falling, and the fortnightly check-ins of most other
    people, whose team averages the people-admins see (the after-hours-creep team's falling). Skipped if the
    member has any check-ins."""
    if checkins.my_checkins(session, org=org, viewer=member):
        return 0
    for weeks_ago, answers in zip(range(2 * len(WHO5_HISTORY) - 2, -1, -2), WHO5_HISTORY, strict=True):
        checkins.submit_checkin(
            session,
            org=org,
            viewer=member,
            answers=answers,
            how_are_you="Busy sprint; sleeping less than I'd like." if weeks_ago == 0 else "",
            day=today - timedelta(weeks=weeks_ago),
        )
    rng = random.Random(seed * 7919 + 5)
    others = 0
    for entry in people.directory(session, org=org):
        if entry.manager_id is None or entry.person_id == member.person_id or rng.random() >= TEAM_CHECKIN_SHARE:
            continue
        for number in range(TEAM_CHECKINS):
            mean = USUAL_ANSWER - (CREEP_FALL * number if entry.team_name == creep_team else 0.0)
            drawn = [min(5, max(0, round(rng.gauss(mean, 0.8)))) for _ in range(5)]
            day = today - timedelta(weeks=2 * (TEAM_CHECKINS - 1 - number), days=1 + rng.randrange(3))
            checkins.record_checkin(session, org=org, person_id=entry.person_id, answers=drawn, day=day)
            others += 1
    return len(WHO5_HISTORY) + others
