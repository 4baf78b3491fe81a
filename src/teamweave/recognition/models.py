"""Tables of the recognition capability.

A recognition thanks one person or one team, tied to a company value; public ones show in the feeds, private
ones only to the giver and the receivers. The thank-you note is the receivers' alone. Each receiver (the person,
or every member of the team when it was given) has a :class:`RecognitionReceiver` row, which the equity views
and the interaction event use.

Rows go with the person: every foreign key to ``people`` cascades on delete, so an erasure removes what the
person gave, what was given to them by name, and their place among the receivers of a team recognition.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from teamweave.store.base import Base


class Recognition(Base):
    """One recognition: who gave it, to whom (a person or a team), for which value, public or private."""

    __tablename__ = "recognitions"
    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (team_id IS NULL)", name="person_or_team"),  # one or the other
        {"sqlite_autoincrement": True},  # ids of erased recognitions are never reused: event ids stay unique
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    giver_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True, doc="The person recognised (or None: a team)."
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), index=True, doc="The team recognised (or None: a person)."
    )
    value: Mapped[str] = mapped_column(String(100), doc="One of settings.recognition_values.")
    message: Mapped[str] = mapped_column(Text, doc="What the recognition says; public ones show in the feeds.")
    note: Mapped[str] = mapped_column(Text, default="", doc="A personal thank-you note, shown to receivers only.")
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class RecognitionReceiver(Base):
    """One person a recognition reached, with the team they were in at the time (for the team feed)."""

    __tablename__ = "recognition_receivers"
    __table_args__ = (UniqueConstraint("recognition_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    recognition_id: Mapped[int] = mapped_column(ForeignKey("recognitions.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
