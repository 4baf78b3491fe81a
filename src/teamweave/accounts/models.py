"""Tables of the accounts capability."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from teamweave.store.base import Base


class Role(StrEnum):
    MEMBER = "member"
    MANAGER = "manager"
    PEOPLE_ADMIN = "people-admin"
    PORTFOLIO_VIEWER = "portfolio-viewer"
    ADMIN = "admin"


class User(Base):
    """A login. ``person_id`` links it to the person it belongs to (admins may have none)."""

    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("org", "username"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    username: Mapped[str] = mapped_column(String(320))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    session_epoch: Mapped[int] = mapped_column(
        Integer, default=0, doc="Raised to end every session of this user (logout, password change)."
    )
