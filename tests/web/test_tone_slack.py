"""The Slack message shortcut: real interaction payloads, signed in the test with a signing secret."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Iterator
from urllib.parse import urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient
from tests.support.stored_text import stored_text
from tests.tone.fake_chat_api import FakeApi, serve

from teamweave.runtime import Runtime
from teamweave.web.app import create_app
from teamweave.web.routes.tone import create_slack_app

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
MESSAGE = "Zanzibar-Quokka-7741, can you get this done by Monday?"


def payload(text: str, response_url: str, kind: str = "message_action") -> dict[str, object]:
    """A message shortcut payload as Slack sends it (fields of the documented example)."""
    return {
        "type": kind,
        "token": "Nj2rfC2hU8mAfgaJLemZgO7H",
        "action_ts": "1581106241.371594",
        "team": {"id": "TXXXXXXXX", "domain": "shortcuts-test"},
        "user": {"id": "UXXXXXXXXX", "username": "aman", "team_id": "TXXXXXXXX"},
        "channel": {"id": "CXXXXXXXXX", "name": "general"},
        "callback_id": "check_tone",
        "trigger_id": "944799105734.773906753841.38b5894552bdd4a780554ee59d1f3638",
        "message_ts": "1581106234.000100",
        "message": {"type": "message", "user": "UXXXXXXXXX", "ts": "1581106234.000100", "text": text},
        "response_url": response_url,
    }


def signed(body: bytes, *, secret: str = SECRET, at: float | None = None) -> dict[str, str]:
    timestamp = str(int(time.time() if at is None else at))
    digest = hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": f"v0={digest}",
        "Content-Type": "application/x-www-form-urlencoded",
    }


def form(data: dict[str, object]) -> bytes:
    return urlencode({"payload": json.dumps(data)}).encode()


@pytest.fixture
def slack_hook() -> Iterator[tuple[FakeApi, str]]:
    """A local stand-in for Slack's response_url."""
    with serve() as (state, url):
        parts = urlsplit(url)
        yield state, f"http://{parts.netloc}/actions/TXXXXXXXX/1234/abcd"


@pytest.fixture
def client(runtime: Runtime) -> Iterator[TestClient]:
    """The main app with the Slack app mounted at /slack, the way it is deployed (outside the CSRF guard)."""
    app = create_app(runtime.settings, runtime=runtime)
    app.mount("/slack", create_slack_app(SECRET, allowed_hosts=frozenset({"127.0.0.1"})))
    with TestClient(app) as test_client:
        yield test_client


def test_a_signed_shortcut_gets_an_ephemeral_coaching_reply(
    client: TestClient, slack_hook: tuple[FakeApi, str]
) -> None:
    state, response_url = slack_hook
    body = form(payload("Can you get this done by Monday?", response_url))
    response = client.post("/slack/tone", content=body, headers=signed(body))
    assert response.status_code == 200
    path, headers, reply = state.received[0]
    assert path == "/actions/TXXXXXXXX/1234/abcd"
    assert reply["response_type"] == "ephemeral"
    assert "reads as *blunt*" in reply["text"]
    assert "a deadline with no reason" in reply["text"]
    assert "Would it be possible to get this done by Monday?" in reply["text"]


@pytest.mark.parametrize(
    ("secret", "age", "reason"),
    [
        (None, 0, "missing Slack signature headers"),
        ("wrong-secret", 0, "bad Slack signature"),
        (SECRET, 600, "stale Slack request"),
    ],
)
def test_unsigned_wrongly_signed_or_replayed_requests_are_refused(
    client: TestClient, slack_hook: tuple[FakeApi, str], secret: str | None, age: int, reason: str
) -> None:
    state, response_url = slack_hook
    body = form(payload("Can you get this done by Monday?", response_url))
    sent = (
        signed(body, secret=secret, at=time.time() - age)
        if secret
        else {"Content-Type": "application/x-www-form-urlencoded"}
    )
    response = client.post("/slack/tone", content=body, headers=sent)
    assert response.status_code == 403
    assert reason in response.json()["error"]
    assert state.received == []


def test_a_tampered_body_is_refused(client: TestClient, slack_hook: tuple[FakeApi, str]) -> None:
    _, response_url = slack_hook
    body = form(payload("Can you get this done by Monday?", response_url))
    headers = signed(body)
    assert client.post("/slack/tone", content=body.replace(b"Monday", b"Sunday"), headers=headers).status_code == 403


def test_other_payloads_are_refused_with_a_located_error(client: TestClient, slack_hook: tuple[FakeApi, str]) -> None:
    _, response_url = slack_hook
    for body in (form(payload("hi", response_url, kind="block_actions")), b"payload=%7Bnot-json", b"\xff\xfe"):
        response = client.post("/slack/tone", content=body, headers=signed(body))
        assert response.status_code == 422
        assert "field 'payload'" in response.text or "field 'type'" in response.text


def test_replies_go_only_to_slack_hosts(runtime: Runtime, slack_hook: tuple[FakeApi, str]) -> None:
    state, response_url = slack_hook
    app = create_app(runtime.settings, runtime=runtime)
    app.mount("/slack", create_slack_app(SECRET))
    body = form(payload("Can you get this done by Monday?", response_url))
    with TestClient(app) as client:
        assert client.post("/slack/tone", content=body, headers=signed(body)).status_code == 200
    assert state.received == []


def test_without_a_signing_secret_nothing_is_accepted(runtime: Runtime, slack_hook: tuple[FakeApi, str]) -> None:
    _, response_url = slack_hook
    app = create_app(runtime.settings, runtime=runtime)
    app.mount("/slack", create_slack_app(""))
    body = form(payload("hi", response_url))
    with TestClient(app) as client:
        assert client.post("/slack/tone", content=body, headers=signed(body, secret="")).status_code == 403


def test_the_message_reaches_no_file_and_no_log(
    client: TestClient, runtime: Runtime, slack_hook: tuple[FakeApi, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    state, response_url = slack_hook
    body = form(payload(MESSAGE, response_url))
    assert client.post("/slack/tone", content=body, headers=signed(body)).status_code == 200
    assert "Zanzibar-Quokka-7741" in state.received[0][2]["text"]
    runtime.close()
    stored = stored_text(runtime.settings.data_dir)
    assert "Zanzibar" not in stored
    assert "Quokka" not in caplog.text
