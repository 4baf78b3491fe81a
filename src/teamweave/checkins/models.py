"""Tables of the check-ins capability.

A check-in's answers belong to the manager–report pair: the report sees them all, the manager sees the pair's
answers for their own current reports, everyone else only k-guarded team aggregates (see ``service``).
Rows go with the person: every foreign key to ``people`` cascades on delete, so an erasure removes them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from teamweave.store.base import Base

DEFAULT_CADENCE_DAYS = 14


class CheckinPair(Base):
    """A manager–report pair's cadence; a pair without a row has the default of 14 days."""

    __tablename__ = "checkin_pairs"
    __table_args__ = (
        UniqueConstraint("org", "manager_id", "report_id"),
        CheckConstraint("every_days BETWEEN 1 AND 366", name="every_days_range"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    every_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_CADENCE_DAYS)


class CheckinResponse(Base):
    """One filled check-in form: the five WHO-5 answers (0-5) and two free answers private to the pair."""

    __tablename__ = "checkin_responses"
    __table_args__ = tuple(CheckConstraint(f"who5_{n} BETWEEN 0 AND 5", name=f"who5_{n}_range") for n in range(1, 6))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    who5_1: Mapped[int] = mapped_column(SmallInteger, doc="I have felt cheerful and in good spirits.")
    who5_2: Mapped[int] = mapped_column(SmallInteger, doc="I have felt calm and relaxed.")
    who5_3: Mapped[int] = mapped_column(SmallInteger, doc="I have felt active and vigorous.")
    who5_4: Mapped[int] = mapped_column(SmallInteger, doc="I woke up feeling fresh and rested.")
    who5_5: Mapped[int] = mapped_column(SmallInteger, doc="My daily life has been filled with things that interest me.")
    how_are_you: Mapped[str] = mapped_column(Text, default="", doc="'How are you, really?' Private to the pair.")
    connection: Mapped[str] = mapped_column(Text, default="", doc="Who they felt most connected to. Private.")


class HeldOneOnOne(Base):
    """A 1:1 the pair held: logged by hand (``source`` 'manual') or found in imported calendars ('calendar')."""

    __tablename__ = "checkin_one_on_ones"
    __table_args__ = (UniqueConstraint("org", "manager_id", "report_id", "day", "source"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(16), default="manual")


class CoachingConsent(Base):
    """A report's consent that their own signals (WHO-5 trend, after-hours share, missed 1:1s) shape the coaching
    prompts of ONE manager (``manager_id``, their manager when they gave it). Off by default: no row, no consent;
    withdrawing deletes the row. A new manager has no consent until the report gives it to them."""

    __tablename__ = "checkin_coaching_consents"
    __table_args__ = (UniqueConstraint("org", "manager_id", "report_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PairNote(Base):
    """A note one side of a pair wrote at a 1:1; it is shown again at the next one. Private to the pair."""

    __tablename__ = "checkin_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    text: Mapped[str] = mapped_column(Text)


class ActionItem(Base):
    """An action item of a pair: who owns it (``owner`` 'manager' or 'report'), what, and whether it is done."""

    __tablename__ = "checkin_action_items"
    __table_args__ = (CheckConstraint("owner IN ('manager', 'report')", name="owner_side"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    owner: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    day: Mapped[date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class ScheduledOneOnOne(Base):
    """The pair's next 1:1 as scheduled from teamweave: one calendar event (``uid``) per meeting, so that
    rescheduling updates it (same ``uid``, ``sequence`` + 1) instead of adding a second event. ``meetings``
    counts the meetings scheduled for the pair; a new one starts when the last one has ended."""

    __tablename__ = "checkin_scheduled"
    __table_args__ = (UniqueConstraint("org", "manager_id", "report_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    uid: Mapped[str] = mapped_column(String(200))
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    meetings: Mapped[int] = mapped_column(Integer, default=1)
    start: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    minutes: Mapped[int] = mapped_column(Integer)
