"""The tone coach page and ``POST /api/tone``: for every logged-in user, CSRF-guarded, and nothing is kept."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.support.stored_text import stored_text
from tests.tone.fake_chat_api import WARM, serve
from tests.web.conftest import csrf_of, log_in
from tests.web.seeding import PASSWORD

from teamweave.accounts.models import Role
from teamweave.accounts.service import create_user
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope
from teamweave.tone.llm_rewrite import Endpoint
from teamweave.tone.service import MAX_CHARS
from teamweave.web.app import create_app
from teamweave.web.routes import tone

SECRET = "Zanzibar-Quokka-7741, send the Halvorsen budget by Monday"


LOGINS = {
    "alice": Role.MEMBER,
    "mia": Role.MANAGER,
    "pat": Role.PEOPLE_ADMIN,
    "root": Role.ADMIN,
    "port": Role.PORTFOLIO_VIEWER,
}


@pytest.fixture
def tone_client(runtime: Runtime) -> Iterator[TestClient]:
    """The app with the tone router and one login per role (the coach needs no people data)."""
    with session_scope(runtime.sessions) as session:
        for username, role in LOGINS.items():
            create_user(session, org=runtime.settings.org, username=username, password=PASSWORD, role=role)
    app = create_app(runtime.settings, runtime=runtime)
    if tone.router not in [getattr(r, "router", None) for r in app.routes]:
        app.include_router(tone.router)
    with TestClient(app, follow_redirects=False) as client:
        yield client


def _csrf(client: TestClient) -> str:
    return csrf_of(client.get("/tone").text)


def test_anonymous_visitors_are_sent_to_login(tone_client: TestClient) -> None:
    response = tone_client.get("/tone")
    assert response.status_code == 302
    assert response.headers["location"].startswith("/login")


@pytest.mark.parametrize("username", list(LOGINS))
def test_every_role_gets_the_text_box(tone_client: TestClient, username: str) -> None:
    log_in(tone_client, username)
    page = tone_client.get("/tone")
    assert page.status_code == 200
    assert "<textarea" in page.text
    assert "Nothing you type here is stored" in page.text


def test_the_page_answers_with_warmth_highlights_and_rewrites(tone_client: TestClient) -> None:
    log_in(tone_client, "alice")
    page = tone_client.post(
        "/tone", data={"text": "Can you get this done by Monday?", "csrf_token": _csrf(tone_client)}
    )
    assert page.status_code == 200
    assert 'reads as <span class="verdict">blunt</span>' in page.text
    assert '<mark title="deadline without context">by Monday</mark>' in page.text
    assert "Would it be possible to get this done by Monday?" in page.text


def test_each_kind_of_blunt_marker_is_listed_once_with_the_words_found(tone_client: TestClient) -> None:
    log_in(tone_client, "alice")
    text = "Didn't you read the runbook? Care to explain the outage?"
    page = tone_client.post("/tone", data={"text": text, "csrf_token": _csrf(tone_client)})
    assert page.text.count("<strong>challenging question</strong>") == 1
    assert "<strong>challenging question</strong> (“Didn&#39;t you”, “Care to”)" in page.text
    assert '<mark title="challenging question">Care to</mark>' in page.text


def test_the_page_escapes_the_message(tone_client: TestClient) -> None:
    log_in(tone_client, "alice")
    page = tone_client.post("/tone", data={"text": "<script>x()</script> fix it", "csrf_token": _csrf(tone_client)})
    assert "<script>x()" not in page.text
    assert "&lt;script&gt;" in page.text


def test_the_api_answers_json(tone_client: TestClient) -> None:
    log_in(tone_client, "mia")
    response = tone_client.post(
        "/api/tone", json={"text": "Can you get this done by Monday?"}, headers={"X-CSRF-Token": _csrf(tone_client)}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["verdict"] == "blunt"
    assert body["warmth"] < body["rewrites"][0]["warmth"]
    assert {span["label"] for span in body["spans"]} == {"deadline_without_context", "no_greeting_or_thanks"}


def test_the_api_refuses_without_login_csrf_or_with_too_long_text(tone_client: TestClient) -> None:
    assert tone_client.post("/api/tone", json={"text": "hi"}).status_code in (401, 403)
    log_in(tone_client, "alice")
    assert tone_client.post("/api/tone", json={"text": "hi"}).status_code == 403
    too_long = tone_client.post(
        "/api/tone", json={"text": "a" * (MAX_CHARS + 1)}, headers={"X-CSRF-Token": _csrf(tone_client)}
    )
    assert too_long.status_code == 422
    assert "aaaa" not in too_long.text


def test_the_text_reaches_no_file_and_no_log(
    tone_client: TestClient, runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    log_in(tone_client, "alice")
    token = _csrf(tone_client)
    assert tone_client.post("/tone", data={"text": SECRET, "csrf_token": token}).status_code == 200
    assert tone_client.post("/api/tone", json={"text": SECRET}, headers={"X-CSRF-Token": token}).status_code == 200
    runtime.close()
    stored = stored_text(runtime.settings.data_dir)
    assert stored, "the data dir should hold the database at least"
    for word in ("Zanzibar", "Quokka", "Halvorsen"):
        assert word not in stored
        assert word not in caplog.text


def test_a_configured_rewriter_endpoint_is_used_by_the_api_and_the_page(tone_client: TestClient) -> None:
    app = tone_client.app
    assert isinstance(app, FastAPI)
    log_in(tone_client, "alice")
    token = _csrf(tone_client)
    with serve() as (state, url):
        app.dependency_overrides[tone.llm_endpoint] = lambda: Endpoint(url, "local")
        try:
            body = tone_client.post(
                "/api/tone", json={"text": "Sam, fix this by Monday"}, headers={"X-CSRF-Token": token}
            ).json()
            page = tone_client.post("/tone", data={"text": "Sam, fix this by Monday", "csrf_token": token})
        finally:
            app.dependency_overrides.clear()
    assert {r["style"]: r["text"] for r in body["rewrites"]}["llm"] == WARM
    assert "I hope your week is going well! Would it be possible" in page.text
    assert len(state.received) == 2
