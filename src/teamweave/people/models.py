"""Tables of the people capability."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from teamweave.store.base import Base


class Site(Base):
    __tablename__ = "sites"
    __table_args__ = (UniqueConstraint("org", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("org", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(200))


class Person(Base):
    """A person of the organisation. ``pseudonym`` is how the event store and the metrics know them."""

    __tablename__ = "people"
    __table_args__ = (
        UniqueConstraint("org", "email"),
        UniqueConstraint("org", "pseudonym"),
        {"sqlite_autoincrement": True},  # ids of erased people are never reused
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str] = mapped_column(String(320))
    name: Mapped[str] = mapped_column(String(200))
    pseudonym: Mapped[str] = mapped_column(String(40), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"))
    timezone: Mapped[str] = mapped_column(String(64))
    start_date: Mapped[date | None] = mapped_column(Date)
    birthday: Mapped[date | None] = mapped_column(Date, doc="Stored only when the person opted in.")
    analytics_opt_out: Mapped[bool] = mapped_column(Boolean, default=False)

    team: Mapped[Team | None] = relationship(lazy="raise")
    site: Mapped[Site | None] = relationship(lazy="raise")
    manager: Mapped[Person | None] = relationship(remote_side=[id], lazy="raise")
