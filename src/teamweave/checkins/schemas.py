"""What the check-ins capability hands to pages: the WHO-5 wording, scored check-ins, trends and aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

# The WHO-5 Well-Being Index (WHO Regional Office for Europe, 1998), official English wording.
WHO5_STEM = "Over the last two weeks:"
WHO5_ITEMS = (
    "I have felt cheerful and in good spirits",
    "I have felt calm and relaxed",
    "I have felt active and vigorous",
    "I woke up feeling fresh and rested",
    "My daily life has been filled with things that interest me",
)
# Answer value -> label, from 0 "At no time" to 5 "All of the time" (the best).
WHO5_ANSWERS = (
    (0, "At no time"),
    (1, "Some of the time"),
    (2, "Less than half of the time"),
    (3, "More than half of the time"),
    (4, "Most of the time"),
    (5, "All of the time"),
)
HOW_ARE_YOU = "How are you, really?"
CONNECTION = "Who did you feel most connected to these two weeks?"


@dataclass(frozen=True)
class Who5Score:
    """A scored WHO-5: ``raw`` 0-25, ``score`` = raw x 4 on 0-100, and the two flags.

    ``low``: score <= 50, which suggests a closer conversation. ``drop``: the score fell by >= 10 points
    since the previous check-in (``change`` is the difference, None for a first check-in).
    """

    raw: int
    score: int
    change: int | None
    low: bool
    drop: bool


@dataclass(frozen=True)
class CheckinView:
    """One check-in as the pair sees it: day, answers, score with flags, and the two private answers."""

    day: date
    answers: tuple[int, int, int, int, int]
    who5: Who5Score
    how_are_you: str
    connection: str


@dataclass(frozen=True)
class PairStatus:
    """A manager's view of one report: the check-ins of the pair, the cadence and whether a 1:1 is overdue.

    ``last_held`` counts 1:1s logged by hand and those found in imported calendars.
    """

    report_id: int
    report_name: str
    every_days: int
    last_held: date | None
    overdue: bool
    checkins: list[CheckinView]

    @property
    def latest(self) -> CheckinView | None:
        return self.checkins[-1] if self.checkins else None


@dataclass(frozen=True)
class TeamWellbeing:
    """A team's WHO-5 over the latest check-in of each member who filled one; values only over >= k people."""

    team_id: int
    team_name: str
    k: int
    people: int
    too_few: bool
    mean_score: float | None
    low_share: float | None
