"""What the recognition capability hands to pages, the API and the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

MAX_MESSAGE = 1000
MAX_NOTE = 2000
FEED_LIMIT = 50


@dataclass
class TeamThanks:
    """A team's public recognitions of a week as digest lines, and ``about``: the ids of the people the lines
    name (givers, and receivers recognised by name), so a digest carrying them is erased with any of them."""

    lines: list[str] = field(default_factory=list)
    about: set[int] = field(default_factory=set)


class Someone(Protocol):
    """What recognition reads of a person that ``people.service`` hands back (``get_person``,
    ``team_members``): described by shape, so this capability never imports the people capability's tables."""

    @property
    def id(self) -> int: ...

    @property
    def name(self) -> str: ...

    @property
    def pseudonym(self) -> str: ...

    @property
    def team_id(self) -> int | None: ...


@dataclass(frozen=True)
class RecognitionView:
    """One recognition as a feed or a person's own page shows it.

    ``to_team`` is the team's name when a team was recognised; ``receivers`` are the names of the people it
    reached. ``note`` is filled only for a receiver looking at their own recognitions; ``has_note`` tells the
    giver that theirs was delivered, without showing it back in any feed.
    """

    id: int
    created_at: datetime
    giver: str
    receivers: tuple[str, ...]
    to_team: str | None
    value: str
    message: str
    public: bool
    has_note: bool
    note: str | None = None

    @property
    def to(self) -> str:
        """Who it was for, in words: 'the Platform team' or 'Bob' (or 'Bob, Carol')."""
        if self.to_team is not None:
            return f"the {self.to_team} team"
        return ", ".join(self.receivers) or "(erased)"

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for the API."""
        data: dict[str, Any] = {
            "id": self.id,
            "created_at": self.created_at.isoformat(),
            "giver": self.giver,
            "to": self.to,
            "to_team": self.to_team,
            "receivers": list(self.receivers),
            "value": self.value,
            "message": self.message,
            "public": self.public,
        }
        if self.note is not None:
            data["note"] = self.note
        return data


@dataclass(frozen=True)
class MyRecognition:
    """A person's own page: what reached them (with their notes) and what they gave."""

    received: list[RecognitionView]
    given: list[RecognitionView]


@dataclass(frozen=True)
class ReportRecognition:
    """One of a manager's direct reports and when they were last recognised (None: not that we know of)."""

    person_id: int
    name: str
    last_recognised: date | None
    recognised_lately: bool


@dataclass(frozen=True)
class GroupShare:
    """Recognition across one group (a team or a site) over the equity window, only over >= k people.

    ``people`` is the group's size; ``recognised_share`` the share of them reached by at least one public
    recognition in the window; ``recognitions`` how many public recognitions reached them in all (a team
    recognition counts once per member). All three are None when the group is under k (``too_few``).
    """

    name: str
    too_few: bool
    people: int | None
    recognised_share: float | None
    recognitions: int | None


@dataclass(frozen=True)
class Distribution:
    """Recognition across teams and across sites in the last ``weeks`` weeks (public recognitions only)."""

    weeks: int
    k: int
    teams: list[GroupShare]
    sites: list[GroupShare]


@dataclass(frozen=True)
class GivingWeek:
    """How many recognitions a person gave in the week starting ``week`` (a Monday)."""

    week: date
    count: int


@dataclass(frozen=True)
class Giving:
    """A person's own giving over the last weeks, oldest week first, and in total."""

    weeks: list[GivingWeek]
    total: int
