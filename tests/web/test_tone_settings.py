"""The tone coach's optional parts are switched on by settings: an LLM rewriter, and the Slack shortcut."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from tests.tone.fake_chat_api import WARM, serve
from tests.web.conftest import csrf_of, log_in
from tests.web.seeding import PASSWORD
from tests.web.test_tone_slack import SECRET, form, payload, signed

from teamweave.accounts.service import create_user
from teamweave.config import Settings
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope
from teamweave.web.app import create_app


def _runtime(tmp_path: Path, **settings: str) -> Runtime:
    runtime = Runtime(Settings(env="test", data_dir=tmp_path / "data", **settings))  # type: ignore[arg-type]
    runtime.migrate()
    with session_scope(runtime.sessions) as session:
        create_user(session, org=runtime.settings.org, username="alice", password=PASSWORD, role="member")
    return runtime


def test_a_configured_rewriter_url_is_used_by_the_api(tmp_path: Path) -> None:
    with serve() as (state, url):
        runtime = _runtime(tmp_path, tone_llm_url=url, tone_llm_model="local-model", tone_llm_key="k-123")
        with TestClient(create_app(runtime.settings, runtime=runtime), follow_redirects=False) as client:
            log_in(client, "alice")
            token = csrf_of(client.get("/tone").text)
            body = client.post("/api/tone", json={"text": "Sam, fix this by Monday"}, headers={"X-CSRF-Token": token})
        runtime.close()
    assert body.status_code == 200
    assert {r["style"]: r["text"] for r in body.json()["rewrites"]}["llm"] == WARM
    path, headers, request = state.received[0]
    assert request["model"] == "local-model"
    assert headers["Authorization"] == "Bearer k-123"


def test_the_slack_shortcut_is_mounted_only_with_a_signing_secret(tmp_path: Path) -> None:
    # a loopback response_url: not a Slack host, so the reply is never sent anywhere
    body = form(payload("Can you get this done by Monday?", "http://127.0.0.1:9/actions/T/1/x"))
    without = _runtime(tmp_path / "a")
    with TestClient(create_app(without.settings, runtime=without)) as client:
        assert client.post("/slack/tone", content=body, headers=signed(body)).status_code == 404
    without.close()
    with_secret = _runtime(tmp_path / "b", slack_signing_secret=SECRET)
    with TestClient(create_app(with_secret.settings, runtime=with_secret)) as client:
        assert client.post("/slack/tone", content=body, headers=signed(body, secret="wrong")).status_code == 403
        accepted = client.post("/slack/tone", content=body, headers=signed(body))
    with_secret.close()
    assert accepted.status_code == 200
