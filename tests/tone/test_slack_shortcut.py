"""Parsing and verifying Slack shortcut requests: hostile input gives a clear error, never another exception."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from teamweave.errors import Forbidden, InputFormatError
from teamweave.tone.service import analyse
from teamweave.tone.slack_shortcut import parse_shortcut, post_reply, reply_for, verify_signature

SECRET = "s3cr3t"


def _signature(body: bytes, timestamp: str) -> str:
    return "v0=" + hmac.new(SECRET.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()


def test_slack_documented_signature_example() -> None:
    """The worked example of Slack's "Verifying requests from Slack" page."""
    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&"
        b"channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&"
        b"response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
        b"trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    verify_signature(
        signing_secret="8f742231b10e8888abcd99yyyzzz85a5",
        timestamp="1531420618",
        signature="v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
        body=body,
        now=1531420618,
    )


def test_signature_checks() -> None:
    body = b"payload=%7B%7D"
    verify_signature(signing_secret=SECRET, timestamp="1000", signature=_signature(body, "1000"), body=body, now=1200)
    with pytest.raises(Forbidden, match="stale"):
        verify_signature(
            signing_secret=SECRET, timestamp="1000", signature=_signature(body, "1000"), body=body, now=1400
        )
    with pytest.raises(Forbidden, match="timestamp"):
        verify_signature(signing_secret=SECRET, timestamp="soon", signature="v0=00", body=body, now=1000)
    with pytest.raises(Forbidden, match="not configured"):
        verify_signature(signing_secret="", timestamp="1000", signature="v0=00", body=body, now=1000)


def test_reply_is_ephemeral_and_only_for_slack_hosts() -> None:
    reply = reply_for(analyse("Can you get this done by Monday?"))
    assert reply["response_type"] == "ephemeral"
    with pytest.raises(InputFormatError, match="not Slack's"):
        post_reply("http://169.254.169.254/latest/meta-data", reply)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=400), st.text(max_size=400).map(lambda t: urlencode({"payload": t}).encode())))
def test_hostile_bodies_give_a_clear_error(body: bytes) -> None:
    try:
        shortcut = parse_shortcut(body)
    except InputFormatError:
        return
    assert isinstance(shortcut.text, str)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.text(max_size=20) | st.integers(),
        lambda c: st.lists(c) | st.dictionaries(st.text(max_size=10), c),
        max_leaves=20,
    )
)
def test_hostile_json_payloads_give_a_clear_error(value: object) -> None:
    body = urlencode(
        {"payload": json.dumps({"type": "message_action", "message": value, "user": value, "response_url": value})}
    ).encode()
    try:
        parse_shortcut(body)
    except InputFormatError:
        return
