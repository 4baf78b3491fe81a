"""What the notify capability hands to pages and the CLI: inbox items, per-kind settings, delivery reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class InboxItem:
    """One message in a person's web inbox."""

    id: int
    kind: str
    subject: str
    text: str
    link: str | None
    created_at: datetime
    read: bool


@dataclass(frozen=True)
class KindSetting:
    """Whether a person receives one kind of notification (the settings form's checkbox); ``required`` kinds
    cannot be turned off."""

    kind: str
    label: str
    subscribed: bool
    required: bool = False


@dataclass
class DeliveryReport:
    """What one delivery run did. ``postponed``: waited for quiet hours or the weekly cap to pass; ``purged``:
    old channel posts deleted."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    postponed: int = 0
    interrupted: int = 0
    purged: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.skipped + self.postponed
