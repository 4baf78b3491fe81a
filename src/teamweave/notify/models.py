"""Tables of the notify capability: the outbox and per-kind unsubscriptions.

A message to a person (``recipient_id`` set) shows in their web inbox at once and is pushed by e-mail by the
delivery job; a channel post (``recipient_id`` NULL) goes to the organisation's Slack webhook. Texts here are
product messages (a nudge, a digest line), never collaboration content. Rows go with the person: the foreign
keys to ``people`` cascade on delete, so an erasure removes them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from teamweave.store.base import Base

# Push status of an outbox row (the web inbox shows a person's rows whatever their status).
QUEUED = "queued"  # waiting for its next attempt (``next_attempt_at``)
SENDING = "sending"  # claimed by a delivery run; the transport is being called
SENT = "sent"
FAILED = "failed"  # permanent error, out of attempts, or interrupted mid-send (never re-sent)
SKIPPED = "skipped"  # nothing to push to: e-mail or Slack is off, or the person unsubscribed meanwhile
STATUSES = (QUEUED, SENDING, SENT, FAILED, SKIPPED)

EMAIL = "email"
SLACK = "slack"


class OutboxMessage(Base):
    """One notification: to a person (inbox + e-mail) or to the organisation's Slack channel."""

    __tablename__ = "notify_outbox"
    __table_args__ = (UniqueConstraint("org", "dedupe_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    dedupe_key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(16), doc="'email' (a person's message) or 'slack' (a channel post)")
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(String(200), default="")
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    link: Mapped[str | None] = mapped_column(String(500))
    invite: Mapped[dict[str, Any] | None] = mapped_column(JSON, doc="An Invite.to_json() for 1:1 invites")
    blocks: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, doc="Slack Block Kit blocks")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    not_before: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(16), default=QUEUED, index=True)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str | None] = mapped_column(String(500))
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Unsubscription(Base):
    """A person asked for no more notifications of one kind."""

    __tablename__ = "notify_unsubscriptions"
    __table_args__ = (UniqueConstraint("org", "person_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org: Mapped[str] = mapped_column(String(64), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class OutboxSubject(Base):
    """A person an outbox message is ABOUT (not to): "Alice's birthday", "your 1:1 with Alice", a digest line.

    Filled by ``enqueue(..., about=...)``; erasure of the person deletes every message about them
    (:func:`teamweave.notify.service.forget_person`) before their own row goes (then this row cascades too).
    """

    __tablename__ = "notify_outbox_subjects"

    outbox_id: Mapped[int] = mapped_column(ForeignKey("notify_outbox.id", ondelete="CASCADE"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True)
