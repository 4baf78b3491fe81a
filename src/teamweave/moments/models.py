"""Tables of the moments (celebrations) capability.

Anniversaries come from ``people.start_date`` and birthdays from ``people.birthday`` (set only on opt-in), so
they need no table here. What is stored here:

* :class:`Moment`: a milestone of one person or an achievement of one team, entered by anyone;
* :class:`CelebrationPreference`: a person's choice to keep their work anniversary out of celebrations.

Rows go with the person: every foreign key to ``people`` (the person celebrated, who entered it, whose
preference it is) cascades on delete, so an erasure removes them. A team achievement goes with its team.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from teamweave.store.base import Base

MILESTONE = "milestone"
ACHIEVEMENT = "achievement"
MOMENT_KINDS = (MILESTONE, ACHIEVEMENT)
MAX_TITLE = 200


class Moment(Base):
    """A milestone of a person (``person_id`` set) or an achievement of a team (``team_id`` set).

    ``entered_by_id`` is the person who entered it; None when it came from the command line (an operator).
    """

    __tablename__ = "moments"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'milestone' AND person_id IS NOT NULL AND team_id IS NULL)"
            " OR (kind = 'achievement' AND team_id IS NOT NULL AND person_id IS NULL)",
            name="moment_subject",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(MAX_TITLE))
    day: Mapped[date] = mapped_column(Date, index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CelebrationPreference(Base):
    """A person's celebration choices; a person without a row has their anniversary celebrated."""

    __tablename__ = "celebration_preferences"
    __table_args__ = (UniqueConstraint("org", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    hide_anniversary: Mapped[bool] = mapped_column(Boolean, default=False)
