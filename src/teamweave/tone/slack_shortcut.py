"""The coach as a Slack message shortcut ("Check tone" on a message): verify, parse, answer ephemerally.

Slack POSTs ``application/x-www-form-urlencoded`` with one field, ``payload``, a JSON object of type
``message_action`` (https://api.slack.com/reference/interaction-payloads/shortcuts) holding the ``message``, the
``user``, the ``channel`` and a ``response_url``. Requests are signed (https://api.slack.com/authentication/verifying-requests-from-slack):
``X-Slack-Signature = "v0=" + hex(HMAC-SHA256(signing_secret, "v0:" + X-Slack-Request-Timestamp + ":" + body))``,
and a timestamp more than five minutes away from now is refused (replays). The answer goes to ``response_url`` as an
ephemeral message, seen only by the person who used the shortcut. Nothing is stored or logged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from teamweave.errors import Forbidden, InputFormatError, TeamweaveError
from teamweave.tone.service import ToneReport

MAX_SKEW_SECONDS = 300
SLACK_RESPONSE_HOSTS = frozenset({"hooks.slack.com"})


@dataclass(frozen=True, slots=True)
class Shortcut:
    """What the coach needs from a message shortcut payload."""

    callback_id: str
    text: str
    response_url: str
    user_id: str


def verify_signature(
    *, signing_secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float
) -> None:
    """:class:`Forbidden` unless ``signature`` is Slack's v0 signature of ``body`` at a recent ``timestamp``."""
    if not signing_secret:
        raise Forbidden("the Slack shortcut is not configured (no signing secret)")
    if not timestamp or not signature:
        raise Forbidden("missing Slack signature headers")
    try:
        sent = int(timestamp)
    except ValueError:
        raise Forbidden("bad Slack request timestamp") from None
    if abs(now - sent) > MAX_SKEW_SECONDS:
        raise Forbidden("stale Slack request (timestamp more than five minutes away)")
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        raise Forbidden("bad Slack signature")


def parse_shortcut(body: bytes) -> Shortcut:
    """The message shortcut in a verified request body; :class:`InputFormatError` for anything else."""
    try:
        fields = parse_qs(body.decode("utf-8"), strict_parsing=True, max_num_fields=10)
        payload = json.loads(fields["payload"][0])
        if payload.get("type") != "message_action":
            raise InputFormatError("not a message shortcut", field="type")
        message, user = payload["message"], payload["user"]
        shortcut = Shortcut(
            callback_id=str(payload.get("callback_id", "")),
            text=str(message.get("text", "")),
            response_url=str(payload["response_url"]),
            user_id=str(user["id"]),
        )
    except (UnicodeDecodeError, ValueError, KeyError, IndexError, TypeError, AttributeError):
        raise InputFormatError("not a Slack interaction payload", field="payload") from None
    return shortcut


def reply_for(report: ToneReport) -> dict[str, object]:
    """The ephemeral Slack message answering the shortcut: warmth, what reads blunt, the warmest rewrite."""
    lines = [f"*Warmth {report.warmth:.0f}/100* — this message reads as *{report.verdict}*."]
    if report.strategies:
        lines.append("Already warm: " + ", ".join(name.replace("_", " ") for name in report.strategies) + ".")
    for hint in dict.fromkeys(marker.hint for marker in report.markers):
        lines.append(f"• {hint}")
    if report.rewrites:
        lines.append(f"A warmer way to say it:\n>{report.rewrites[0].text}")
    return {"response_type": "ephemeral", "replace_original": False, "text": "\n".join(lines)}


def post_reply(
    response_url: str, reply: dict[str, object], *, allowed_hosts: frozenset[str] = SLACK_RESPONSE_HOSTS
) -> None:
    """POST ``reply`` to the shortcut's ``response_url`` (only to Slack's own hosts: no request forgery)."""
    parts = urlsplit(response_url)
    if parts.scheme not in ("https", "http") or parts.hostname not in allowed_hosts:
        raise InputFormatError("the response_url is not Slack's", field="response_url")
    request = urllib.request.Request(
        response_url, data=json.dumps(reply).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            response.read(65_536)
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise TeamweaveError(f"could not answer Slack ({type(error).__name__})", status=502) from None
