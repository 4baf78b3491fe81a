"""Keyed pseudonyms (HMAC-SHA256) for every identifier that enters the event store.

The same identifier always maps to the same pseudonym under one key, so events from different imports join;
without the key the mapping cannot be reversed or recomputed (unlike a plain hash of an e-mail address).
"""

from __future__ import annotations

import hashlib
import hmac

PSEUDONYM_HEX_CHARS = 20  # 80 bits: collision-free in practice for any organisation


class Pseudonymiser:
    """Turns raw identifiers into pseudonyms with a secret key.

    Identities are namespaced: ``person_of_email("Ana@X.org")`` and ``identity("slack", "T1:U1")`` never
    collide with each other.

    Examples
    --------
    >>> p = Pseudonymiser(b"k" * 32)
    >>> p.person_of_email("Ana@Example.org") == p.person_of_email(" ana@example.org")
    True
    >>> len(p.identity("slack", "T1:U1"))
    20
    """

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("pseudonym key must be at least 16 bytes")
        self._base = hmac.new(key, digestmod=hashlib.sha256)

    def _hmac(self, message: str) -> str:
        mac = self._base.copy()
        mac.update(message.encode())
        return mac.hexdigest()

    def _digest(self, namespace: str, value: str) -> str:
        return self._hmac(f"{namespace}\x1f{value}")[:PSEUDONYM_HEX_CHARS]

    def person_of_email(self, email: str) -> str:
        """The pseudonym of the person who owns this e-mail address (case and spaces ignored)."""
        return self._digest("email", email.strip().lower())

    def identity(self, source: str, source_id: str) -> str:
        """The pseudonym of an identity in a source that is not (yet) matched to a person."""
        return self._digest(f"identity:{source}", source_id)

    def channel(self, source: str, channel_id: str) -> str:
        """The pseudonym of a channel, thread or conversation id."""
        return self._digest(f"channel:{source}", channel_id)

    def event_id(self, source: str, source_event_id: str) -> str:
        """The stable, keyed id of an event: the dedupe key across imports."""
        return self._hmac(f"event\x1f{source}\x1f{source_event_id}")[:32]
