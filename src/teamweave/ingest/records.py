"""The interaction record: metadata only. There is deliberately no field for content."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Final

SOURCES: Final = frozenset({"slack", "teams", "email", "calendar", "git", "github", "manual", "csv", "recognition"})
KINDS: Final = frozenset(
    {
        "message",
        "reply",
        "reaction",
        "mention",
        "email",
        "meeting",
        "call",
        "review",
        "co_author",
        "in_person",
        "recognition",
    }
)


@dataclass(frozen=True, slots=True)
class Interaction:
    """One interaction between people, as metadata.

    ``actor`` and ``targets`` are pseudonyms (never raw identifiers); ``ts`` is timezone-aware UTC;
    ``audience`` is how many people the interaction reached (a 1:1 is 1, a 300-person channel is 300),
    which can exceed ``len(targets)`` when a broadcast's recipients are not listed one by one.
    """

    org: str
    event_id: str
    source: str
    kind: str
    ts: datetime
    actor: str
    targets: tuple[str, ...] = ()
    audience: int = 0
    duration_s: int | None = None
    channel: str | None = None
    thread: str | None = None
    by_bot: bool = False
    via_ai: bool = False
    in_person: bool = False

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown source {self.source!r}")
        if self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}")
        if self.ts.tzinfo is None:
            raise ValueError("ts must be timezone-aware (UTC)")
