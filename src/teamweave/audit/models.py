"""Tables of the audit capability."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from teamweave.store.base import Base


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ts: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    viewer_user_id: Mapped[int | None] = mapped_column(Integer)
    viewer_role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64), doc="e.g. view_team_health, view_person, export")
    subject_kind: Mapped[str] = mapped_column(String(16), doc="person, team, org")
    subject_id: Mapped[str] = mapped_column(String(64))
    path: Mapped[str | None] = mapped_column(String(500))
