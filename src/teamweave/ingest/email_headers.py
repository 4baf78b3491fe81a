"""E-mail header block -> the facts an interaction needs: sender, recipients, time, ids. Nothing else is read.

Only nine fields are ever decoded: From, To, Cc, Bcc, Date, Message-ID, In-Reply-To, References, List-Id.
Every other line of the header block (Subject included) is skipped by its field name before any decoding,
and the body is never handed to this module. Lines are unfolded as RFC 5322 says; values are decoded with
the standard library (``email.utils.getaddresses``, ``email.header.decode_header``,
``email.utils.parsedate_to_datetime``).

Addresses:

- ``"Allen, Phillip K." <phillip.allen@enron.com>`` -> the address, lower-cased, is the identity
  (``raw_id`` and ``email``), so a person in the HR directory matches by e-mail; the label is ``Name <addr>``
  with RFC 2047 encoded names decoded;
- a Lotus Notes name with no address (``Phillip K Allen/HOU/ECT@ECT``), or any other name without a usable
  address, is an identity whose ``raw_id`` is the normalised name (lower case, single spaces), labelled
  ``... (Lotus Notes name, no address)``, with no e-mail;
- the local parts in :data:`BOT_LOCAL_PARTS` (``noreply@``, ``mailer-daemon@`` ...) are bots.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.utils import getaddresses, parsedate_to_datetime
from functools import lru_cache
from typing import Final

from teamweave.ingest.identity import SourceIdentity

WANTED: Final = frozenset(
    {b"from", b"to", b"cc", b"bcc", b"date", b"message-id", b"in-reply-to", b"references", b"list-id"}
)
BOT_LOCAL_PARTS: Final = frozenset(
    {"noreply", "no-reply", "donotreply", "do-not-reply", "mailer-daemon", "postmaster", "notifications"}
)
MAX_FIELD_CHARS: Final = 64 * 1024
MAX_ADDRESSES: Final = 5000
MAX_LABEL: Final = 120
MAX_EMAIL: Final = 160
ADDRESS_CACHE: Final = 4096
CACHED_CHARS: Final = 2048
_MESSAGE_ID = re.compile(r"<([^<>\s]{1,500})>")
_EMAIL = re.compile(r"[^@\s<>/\"',;:]+@[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?(?:\.[a-z0-9_-]+)+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


class HeaderError(ValueError):
    """A message whose headers cannot make an interaction; the message is the quarantine reason."""


@dataclass(frozen=True, slots=True)
class MailHeaders:
    """What one message's header block says, decoded. ``recipients`` are distinct, in order, sender included
    if the sender wrote to themself (the connector removes them)."""

    sender: SourceIdentity
    recipients: tuple[SourceIdentity, ...]
    ts: datetime
    message_id: str | None
    thread_root: str | None
    list_id: str | None


def header_fields(block: bytes) -> dict[str, str]:
    """The wanted fields of a raw header block, unfolded and decoded (UTF-8, bad bytes replaced).

    A field given twice keeps its first value, except To/Cc/Bcc whose values are joined.

    >>> header_fields(b"Subject: secret\\r\\nTo: a@x.org,\\r\\n b@x.org\\r\\nFrom: c@x.org\\r\\n")
    {'to': 'a@x.org, b@x.org', 'from': 'c@x.org'}
    """
    fields: dict[str, str] = {}
    current: bytes | None = None
    parts: list[bytes] = []
    for line in block.splitlines():
        if line[:1] in (b" ", b"\t"):
            if current is not None:
                parts.append(line)
            continue
        if current is not None:
            _store(fields, current, parts)
        name, colon, value = line.partition(b":")
        name = name.strip().lower()
        current, parts = (name, [value]) if colon and name in WANTED else (None, [])
    if current is not None:
        _store(fields, current, parts)
    return fields


def _store(fields: dict[str, str], name: bytes, parts: list[bytes]) -> None:
    value = b" ".join(p.strip() for p in parts)[:MAX_FIELD_CHARS].decode("utf-8", errors="replace").strip()
    key = name.decode("ascii", errors="replace")
    if key in fields and key in {"to", "cc", "bcc"}:
        fields[key] = f"{fields[key]}, {value}"[:MAX_FIELD_CHARS]
    else:
        fields.setdefault(key, value)


def decode_words(text: str) -> str:
    """RFC 2047 encoded words decoded (``=?utf-8?q?Jos=C3=A9?=`` -> ``José``); undecodable text kept as is."""
    if "=?" not in text:
        return text
    try:
        return str(make_header(decode_header(text)))
    except (ValueError, LookupError, UnicodeError, AssertionError):
        return text


def is_bot_address(email: str) -> bool:
    """True for the explicit machine senders of :data:`BOT_LOCAL_PARTS` (before any ``+tag``).

    >>> is_bot_address("no-reply@github.com"), is_bot_address("ana@acme.org")
    (True, False)
    """
    return email.partition("@")[0].partition("+")[0] in BOT_LOCAL_PARTS


def identity_of(name: str, address: str) -> SourceIdentity | None:
    """The identity of one parsed address (None when there is nothing in it)."""
    name = _SPACES.sub(" ", decode_words(name)).strip().strip("'\"")
    address = address.strip().strip("'\"")
    if len(address) <= MAX_EMAIL and _EMAIL.fullmatch(address):
        email = address.lower()
        label = f"{name[:MAX_LABEL]} <{email}>" if name else email
        return SourceIdentity(raw_id=email, label=label, email=email, is_bot=is_bot_address(email))
    notes = _SPACES.sub(" ", address or name).strip()
    if not notes:
        return None
    notes = notes[:MAX_LABEL]
    return SourceIdentity(raw_id=notes.lower(), label=f"{notes} (Lotus Notes name, no address)")


def addresses(value: str) -> tuple[SourceIdentity, ...]:
    """Distinct identities of an address list (at most :data:`MAX_ADDRESSES`), in order. Short lists are
    cached (the same To line recurs across a mailbox); long ones are not, so the cache stays small.

    >>> [i.raw_id for i in addresses('"Allen, Phillip K." <Phillip.Allen@enron.com>, John Arnold/HOU/ECT@ECT')]
    ['phillip.allen@enron.com', 'john arnold/hou/ect@ect']
    """
    if not value:
        return ()
    return _cached_addresses(value) if len(value) <= CACHED_CHARS else _parse_addresses(value)


@lru_cache(maxsize=ADDRESS_CACHE)
def _cached_addresses(value: str) -> tuple[SourceIdentity, ...]:
    return _parse_addresses(value)


def _parse_addresses(value: str) -> tuple[SourceIdentity, ...]:
    try:
        parsed = getaddresses([value])
    except (RecursionError, ValueError, IndexError) as exc:  # deeply nested comments exhaust the stdlib parser
        raise HeaderError("unparseable address list") from exc
    found: dict[str, SourceIdentity] = {}
    for name, address in parsed:
        identity = identity_of(name, address)
        if identity is not None:
            found.setdefault(identity.raw_id, identity)
            if len(found) >= MAX_ADDRESSES:
                break
    return tuple(found.values())


def parse_date(value: str) -> datetime:
    """The Date header as UTC; a date without a zone (``-0000`` or none) is taken as UTC.

    >>> parse_date("Mon, 23 Apr 2001 12:41:00 -0700 (PDT)").isoformat()
    '2001-04-23T19:41:00+00:00'
    """
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError) as exc:
        raise HeaderError("unparseable Date header") from exc
    try:
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    except (ValueError, OverflowError) as exc:
        raise HeaderError("Date header out of range") from exc


def message_ids(value: str) -> list[str]:
    """The ids in a Message-ID / In-Reply-To / References value, brackets removed (a bare token when none).

    >>> message_ids("<a@x> <b@x>"), message_ids(" c@x ")
    (['a@x', 'b@x'], ['c@x'])
    """
    found = _MESSAGE_ID.findall(value)
    if found:
        return found
    token = value.strip().split(maxsplit=1)
    return [token[0][:500]] if token else []


def _addresses(fields: dict[str, str], key: str) -> tuple[SourceIdentity, ...]:
    try:
        return addresses(fields.get(key, ""))
    except HeaderError as exc:
        raise HeaderError(f"unparseable {key.title()} header") from exc


def mail_headers(fields: dict[str, str]) -> MailHeaders:
    """Decoded facts of one message; HeaderError (the quarantine reason) when From or Date is unusable."""
    senders = _addresses(fields, "from")
    if not senders:
        raise HeaderError("no From address")
    if not fields.get("date"):
        raise HeaderError("no Date header")
    ts = parse_date(fields["date"])
    recipients: dict[str, SourceIdentity] = {}
    for key in ("to", "cc", "bcc"):
        for identity in _addresses(fields, key):
            recipients.setdefault(identity.raw_id, identity)
    own = message_ids(fields.get("message-id", ""))
    references = message_ids(fields.get("references", ""))
    replied = message_ids(fields.get("in-reply-to", ""))
    roots = references or replied or own
    list_id = fields.get("list-id", "").strip()
    return MailHeaders(
        sender=senders[0],
        recipients=tuple(recipients.values()),
        ts=ts,
        message_id=own[0] if own else None,
        thread_root=roots[0] if roots else None,
        list_id=(message_ids(list_id) or [list_id])[0].lower()[:500] if list_id else None,
    )
