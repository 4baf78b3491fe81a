"""The interaction record: metadata only. There is deliberately no field for content."""

from __future__ import annotations

from datetime import datetime
from typing import Final, NamedTuple

SOURCES: Final = frozenset(
    {"slack", "teams", "email", "calendar", "git", "github", "manual", "csv", "recognition", "vivainsights"}
)
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


class _Fields(NamedTuple):
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


_new_tuple = tuple.__new__


class Interaction(_Fields):
    """One interaction between people, as metadata: an immutable record, validated when it is made.

    ``actor`` and ``targets`` are pseudonyms (never raw identifiers); ``ts`` is timezone-aware UTC;
    ``audience`` is how many people the interaction reached (a 1:1 is 1, a 300-person channel is 300),
    which can exceed ``len(targets)`` when a broadcast's recipients are not listed one by one.

    A named tuple rather than a frozen dataclass: an import makes one per event, and a frozen dataclass's
    ``__init__`` (14 ``object.__setattr__`` calls) cost three times as much (docs/performance.md); the store
    also reads the fields as one tuple. ``_replace`` and ``_make`` skip the checks: make records with the
    constructor.
    """

    __slots__ = ()

    def __new__(
        cls,
        org: str,
        event_id: str,
        source: str,
        kind: str,
        ts: datetime,
        actor: str,
        targets: tuple[str, ...] = (),
        audience: int = 0,
        duration_s: int | None = None,
        channel: str | None = None,
        thread: str | None = None,
        by_bot: bool = False,
        via_ai: bool = False,
        in_person: bool = False,
    ) -> Interaction:
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        if ts.tzinfo is None:
            raise ValueError("ts must be timezone-aware (UTC)")
        fields = (org, event_id, source, kind, ts, actor, targets, audience, duration_s, channel, thread)
        return _new_tuple(cls, (*fields, by_bot, via_ai, in_person))
