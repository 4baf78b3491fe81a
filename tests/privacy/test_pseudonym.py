"""Keyed pseudonyms: stable under one key, different under another, namespaced, irreversible by hashing."""

from __future__ import annotations

import hashlib

import pytest

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
