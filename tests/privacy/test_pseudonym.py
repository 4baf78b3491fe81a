"""Keyed pseudonyms: stable under one key, different under another, namespaced, irreversible by hashing."""

from __future__ import annotations

import hashlib
import hmac

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teamweave.privacy.pseudonym import Pseudonymiser


def test_stable_and_keyed() -> None:
    a, b = Pseudonymiser(b"a" * 32), Pseudonymiser(b"b" * 32)
    assert a.person_of_email("Ana@Example.org") == a.person_of_email("ana@example.org ")
    assert a.person_of_email("ana@example.org") != b.person_of_email("ana@example.org")


def test_not_a_plain_hash_and_namespaced() -> None:
    p = Pseudonymiser(b"k" * 32)
    email = "ana@example.org"
    pseudonym = p.person_of_email(email)
    assert pseudonym not in hashlib.sha256(email.encode()).hexdigest()
    assert p.identity("slack", email) != pseudonym
    assert p.channel("slack", email) != p.identity("slack", email)
    assert len(p.event_id("slack", "C1:1.0")) == 32


def test_short_keys_are_refused() -> None:
    with pytest.raises(ValueError, match="16 bytes"):
        Pseudonymiser(b"short")


@settings(max_examples=60, deadline=None)
@given(
    key=st.binary(min_size=16, max_size=130),
    pairs=st.lists(st.tuples(st.sampled_from(["csv", "slack", "git"]), st.text(max_size=90)), max_size=30),
)
def test_event_id_array_is_event_id_row_by_row(key: bytes, pairs: list[tuple[str, str]]) -> None:
    """The same bytes as the one-by-one ids (re-imports must find them), for keys shorter and longer than a
    SHA-256 block and messages of one and several blocks, any text."""
    pairs = [(source, text.encode("utf-8", "replace").decode("utf-8")) for source, text in pairs]
    p = Pseudonymiser(key)
    sources = pa.array([source for source, _ in pairs], pa.string())
    ids = pa.array([text for _, text in pairs], pa.string())
    assert p.event_id_array(sources, ids).to_pylist() == [p.event_id(source, text) for source, text in pairs]
    assert [p.event_id(s, t) for s, t in pairs] == [
        hmac.new(key, f"event\x1f{s}\x1f{t}".encode(), hashlib.sha256).hexdigest()[:32] for s, t in pairs
    ]
