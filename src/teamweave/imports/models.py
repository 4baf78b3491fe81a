"""Tables of the imports capability."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from teamweave.store.base import Base


class ImportRun(Base):
    """One run of an import: what was read, what went in, what was skipped and why."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(32), doc="slack, calendar, hr, ...")
    file_name: Mapped[str] = mapped_column(String(500), doc="Base name of the imported file or folder.")
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), doc="running, done, failed")
    added: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    counts: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict, doc="Events read per kind (added and duplicate totals have their own columns)."
    )
    errors: Mapped[list[str]] = mapped_column(JSON, default=list, doc="Located error messages (capped).")
    quarantine_file: Mapped[str | None] = mapped_column(String(1000))


class Identity(Base):
    """An identity a source used (a Slack user, a calendar attendee) and the person it resolves to.

    Events store ``pseudonym``; when the identity is resolved to a person (now or later), analysis maps it
    to that person's pseudonym, so resolving needs no re-import and counts nothing twice.
    """

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("org", "source", "pseudonym"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(32))
    pseudonym: Mapped[str] = mapped_column(String(40), index=True)
    label: Mapped[str] = mapped_column(String(300), doc="What an admin needs to resolve it (e.g. @handle).")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    is_bot: Mapped[bool] = mapped_column(Boolean, default=False)
    first_import_id: Mapped[int | None] = mapped_column(ForeignKey("import_runs.id", ondelete="SET NULL"))
