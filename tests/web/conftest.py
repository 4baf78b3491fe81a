"""Fixtures for web tests: a seeded organisation, the app, and a way to log in."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.seeding import PASSWORD, SeededOrg, cheap_password_hashes, seed_org

from teamweave.runtime import Runtime
from teamweave.store.session import session_scope
from teamweave.web.app import create_app

__all__ = ["cheap_password_hashes"]

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _cheap_hashes(cheap_password_hashes: None) -> None:
    """Every web test uses the cheap argon2 profile."""


@pytest.fixture
def seeded(runtime: Runtime) -> SeededOrg:
    with session_scope(runtime.sessions) as session:
        return seed_org(session, org=runtime.settings.org)


@pytest.fixture
def app(runtime: Runtime, seeded: SeededOrg) -> FastAPI:
    return create_app(runtime.settings, runtime=runtime)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as test_client:
        yield test_client


def csrf_of(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def log_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    """Log in as ``username`` (any earlier login of this client is dropped first)."""
    client.cookies.clear()
    page = client.get("/login")
    response = client.post(
        "/login", data={"username": username, "password": password, "csrf_token": csrf_of(page.text), "next": ""}
    )
    assert response.status_code == 303, response.text
