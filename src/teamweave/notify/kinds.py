"""The kinds of notification: every message in the outbox has one, and a person can unsubscribe per kind."""

from __future__ import annotations

from teamweave.errors import InputFormatError

# kind -> what a person sees next to its checkbox on the inbox settings form.
KIND_LABELS: dict[str, str] = {
    "checkin_nudge": "Reminders to fill in your wellbeing check-in",
    "checkin_request": "Requests for a check-in",
    "one_on_one_invite": "Calendar invites for 1:1s",
    "coaching_prompt": "Coaching prompts for managers",
    "recognition": "Recognition you receive",
    "recognition_nudge": "Nudges to recognise people",
    "celebration_reminder": "Reminders of anniversaries and birthdays",
    "team_digest": "Team digests",
}
KINDS: tuple[str, ...] = tuple(KIND_LABELS)
REQUIRED_KINDS: frozenset[str] = frozenset({"checkin_request"})
"""Kinds nobody can unsubscribe from: a report's request for a 1:1 must reach their manager (otherwise it would
vanish without the report knowing). Their e-mails carry no unsubscribe link; the settings form shows them fixed."""


def check_kind(kind: str) -> str:
    """Return ``kind`` if it is one of :data:`KINDS`; raise :class:`InputFormatError` otherwise.

    >>> check_kind("recognition")
    'recognition'
    """
    if kind not in KIND_LABELS:
        raise InputFormatError(f"unknown notification kind {kind!r}", field="kind", hint=", ".join(KINDS))
    return kind


CAP_EXEMPT_KINDS: frozenset[str] = frozenset({"one_on_one_invite"})
"""Kinds the weekly cap neither holds nor counts: a 1:1 invite held until next week could arrive after the
meeting. Within :data:`URGENT_INVITE_HOURS` of the meeting they skip quiet hours too."""
URGENT_INVITE_HOURS = 24
