"""Keyed pseudonyms (HMAC-SHA256) for every identifier that enters the event store.

The same identifier always maps to the same pseudonym under one key, so events from different imports join;
without the key the mapping cannot be reversed or recomputed (unlike a plain hash of an e-mail address).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from typing import Final, Protocol

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

PSEUDONYM_HEX_CHARS = 20  # 80 bits: collision-free in practice for any organisation
EVENT_ID_HEX_CHARS = 32
_SHA256_BLOCK: Final = 64
_KEYED_HASHES: Final = (  # HMAC (RFC 2104) spelled out: H((K ^ opad) || H((K ^ ipad) || m))
    "SELECT left(sha256($outer || unhex(sha256($inner || message))), $chars) AS event_id FROM messages"
)


class _Mac(Protocol):
    def copy(self) -> _Mac: ...

    def update(self, message: bytes, /) -> None: ...

    def hexdigest(self) -> str: ...


def _keyed_mac(key: bytes) -> _Mac:
    """An HMAC-SHA256 keyed with ``key`` and fed nothing yet, to be copied once per message.

    OpenSSL's object when the interpreter has it: ``hmac.HMAC.copy`` wraps that same object in a Python class,
    which costs a third more per message for the same bytes (docs/performance.md, "Import (issue 5)").
    """
    try:
        from _hashlib import hmac_new  # OpenSSL's HMAC, without the pure-Python `hmac.HMAC` around it
    except ImportError:  # pragma: no cover - a Python built without OpenSSL
        return hmac.new(key, digestmod=hashlib.sha256)
    mac: _Mac = hmac_new(key, digestmod="sha256")
    return mac


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
        self._base = _keyed_mac(key)
        block = (hashlib.sha256(key).digest() if len(key) > _SHA256_BLOCK else key).ljust(_SHA256_BLOCK, b"\0")
        self._pads = (bytes(b ^ 0x36 for b in block), bytes(b ^ 0x5C for b in block))
        self._sql: duckdb.DuckDBPyConnection | None = None
        self._sql_lock = threading.Lock()

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
        return self._hmac(f"event\x1f{source}\x1f{source_event_id}")[:EVENT_ID_HEX_CHARS]

    def event_id_array(self, sources: pa.Array, source_event_ids: pa.Array) -> pa.Array:
        """:meth:`event_id` of each (source, source event id) pair of two string arrays, as a string array.

        The same bytes as :meth:`event_id` row by row (the HMAC written out with DuckDB's SHA-256 over the
        UTF-8 messages Arrow joins), computed without Python objects per row and without holding the GIL, so a
        connector can run it on a worker thread while it reads on (docs/performance.md, "Import (issue 5)").
        The keyed pads go to an in-memory DuckDB database of this process only, as query parameters.

        Examples
        --------
        >>> p = Pseudonymiser(b"k" * 32)
        >>> ids = p.event_id_array(pa.array(["csv", "git"]), pa.array(["row-1", "abc"])).to_pylist()
        >>> ids == [p.event_id("csv", "row-1"), p.event_id("git", "abc")]
        True
        """
        messages = pc.binary_join_element_wise("event", sources, source_event_ids, "\x1f").cast(pa.binary())
        with self._sql_lock:
            if self._sql is None:
                self._sql = duckdb.connect(config={"threads": 1})
            cursor = self._sql.cursor()
        try:
            cursor.register("messages", pa.table({"message": messages}))
            inner, outer = self._pads
            params = {"inner": inner, "outer": outer, "chars": EVENT_ID_HEX_CHARS}
            result = cursor.sql(_KEYED_HASHES, params=params).to_arrow_table()
        finally:
            cursor.close()
        return result.column(0).combine_chunks().cast(pa.string())

    def _event_ids_one_by_one(self, messages: pa.Array) -> pa.Array:
        new = self._base.copy
        hexdigests: list[str] = []
        for message in messages.cast(pa.binary()).to_pylist():
            mac = new()
            mac.update(message)
            hexdigests.append(mac.hexdigest()[:EVENT_ID_HEX_CHARS])
        return pa.array(hexdigests, pa.string())
