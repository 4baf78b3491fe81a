"""The e-mail built for an outbox row, without a server: stable across builds, and the RFC 8058 headers."""

from __future__ import annotations

import email
import email.policy
import re
from datetime import UTC, datetime
from email.message import EmailMessage

from teamweave.notify.emails import build_email
from teamweave.notify.models import OutboxMessage

ROW = OutboxMessage(
    id=5,
    org="default",
    dedupe_key="checkin_nudge:7:2026-11-23",
    kind="checkin_nudge",
    channel="email",
    recipient_id=7,
    subject="Time for your check-in",
    text="Your check-in is due.",
    created_at=datetime(2026, 11, 23, 9, 30, tzinfo=UTC),
)


SENT_AT = datetime(2026, 11, 24, 8, 15, tzinfo=UTC)


def _build(**extra: str) -> bytes:
    return build_email(
        ROW,
        recipient_name="Ana Lopes",
        recipient_email="ana@example.org",
        sender="teamweave@tw.example.org",
        public_url="https://tw.example.org",
        unsubscribe_url="https://tw.example.org/unsubscribe?token=T",
        sent_at=SENT_AT,
        **extra,
    ).as_bytes()


def _without_boundaries(raw: bytes) -> bytes:
    """MIME boundaries are random per build; everything else must be identical."""
    return re.sub(rb"=+_?\d+==", b"BOUNDARY", raw)


def test_the_same_row_builds_the_same_email() -> None:
    first, second = _build(), _build()
    assert _without_boundaries(first) == _without_boundaries(second)
    assert b"Message-ID: <outbox.5." in first
    assert b"Date: Tue, 24 Nov 2026 08:15:00 +0000" in first  # when it is sent, not when it was queued
    assert b"List-Unsubscribe: <https://tw.example.org/unsubscribe?token=T>" in first
    assert b"List-Unsubscribe-Post" not in first
    assert b"Auto-Submitted: auto-generated" in first


def test_one_click_headers_when_the_endpoint_is_given() -> None:
    raw = _build(one_click_url="https://tw.example.org/unsubscribe/one-click?token=T")
    assert b"List-Unsubscribe: <https://tw.example.org/unsubscribe/one-click?token=T>" in raw
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, EmailMessage)
    text = parsed.get_body(("plain",))
    assert text is not None
    assert text.get_content().endswith(": https://tw.example.org/unsubscribe?token=T\n")  # the confirmation page
