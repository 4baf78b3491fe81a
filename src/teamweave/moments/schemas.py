"""What the moments capability hands to pages, the command line and the digest."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

ANNIVERSARY = "anniversary"
BIRTHDAY = "birthday"


@dataclass(frozen=True)
class Celebration:
    """One thing to celebrate on one day.

    ``kind`` is 'anniversary', 'birthday', 'milestone' or 'achievement'. ``person_*`` is set for the first
    three, ``team_*`` is the team of the person (or the team of an achievement). ``years`` is set only for
    anniversaries; a birthday never carries a year or an age. ``moment_id`` is set for entered moments.
    """

    day: date
    kind: str
    title: str
    person_id: int | None = None
    person_name: str | None = None
    team_id: int | None = None
    team_name: str | None = None
    years: int | None = None
    moment_id: int | None = None
    entered_by_id: int | None = None

    @property
    def headline(self) -> str:
        """One line that says what is celebrated, without the day: 'Alice: 3 years with us'."""
        if self.kind == ANNIVERSARY:
            years = "1 year" if self.years == 1 else f"{self.years} years"
            return f"{self.person_name}: {years} with us"
        if self.kind == BIRTHDAY:
            return f"{self.person_name}: birthday"
        if self.person_name:
            return f"{self.person_name}: {self.title}"
        return f"{self.team_name}: {self.title}" if self.team_name else self.title


@dataclass(frozen=True)
class DigestSection:
    """A titled list of lines in a digest; other capabilities may add their own (e.g. recognitions).

    ``about``: the ids of the people its lines name, so that a digest queued with them is erased with any of them.
    """

    title: str
    lines: list[str] = field(default_factory=list)
    about: tuple[int, ...] = ()


@dataclass(frozen=True)
class Digest:
    """A team's weekly digest: the week (Monday to Sunday) and its non-empty sections, in order."""

    team_id: int
    team_name: str
    week_start: date
    week_end: date
    sections: list[DigestSection]

    @property
    def is_empty(self) -> bool:
        return not any(section.lines for section in self.sections)

    @property
    def about(self) -> tuple[int, ...]:
        """The ids of every person the digest names, once each, in id order."""
        return tuple(sorted({person for section in self.sections for person in section.about}))


@dataclass(frozen=True)
class CelebrationSettings:
    """A person's own celebration choices: their birthday (day and month, or None) and anniversary display."""

    birthday_month: int | None
    birthday_day: int | None
    hide_anniversary: bool
    start_date: date | None
