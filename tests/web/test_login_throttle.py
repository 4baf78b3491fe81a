"""Repeated failed logins are refused for a while (429), per username and per address."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import csrf_of
from tests.web.seeding import PASSWORD

from teamweave.web import login_throttle
from teamweave.web.login_throttle import MAX_FAILURES, LoginThrottle


def _attempt(client: TestClient, username: str, password: str) -> int:
    page = client.get("/login")
    data = {"username": username, "password": password, "csrf_token": csrf_of(page.text), "next": ""}
    return client.post("/login", data=data).status_code


def test_after_repeated_failures_even_the_right_password_waits(client: TestClient) -> None:
    assert [_attempt(client, "alice", "wrong guess") for _ in range(MAX_FAILURES)] == [401] * MAX_FAILURES
    page = client.get("/login")
    data = {"username": "alice", "password": PASSWORD, "csrf_token": csrf_of(page.text), "next": ""}
    refused = client.post("/login", data=data)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    assert "too many failed logins" in refused.text


def test_failures_age_out_and_success_clears_the_username(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(login_throttle.time, "monotonic", lambda: now[0])
    throttle = LoginThrottle(max_failures=2, window_s=60)
    throttle.failed("user:ana", "addr:1")
    assert throttle.retry_after("user:ana", "addr:1") == 0
    throttle.failed("user:ana", "addr:1")
    assert throttle.retry_after("user:ana") == 61
    assert throttle.retry_after("user:bob", "addr:1") == 61  # the address is held back too
    now[0] += 61
    assert throttle.retry_after("user:ana", "addr:1") == 0
    throttle.failed("user:ana")
    throttle.succeeded("user:ana")
    assert throttle.retry_after("user:ana") == 0
