"""End to end in headless Chromium (Debian's, no browser download): log in, see what your role may see.

Screenshots of each page go to ``test-artifacts/screenshots/<name>.png`` under the project root.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, sync_playwright
from tests.web.seeding import PASSWORD, SeededOrg, cheap_password_hashes, seed_more_teams, seed_org

from teamweave.privacy.thresholds import TOO_FEW_PEOPLE
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope
from teamweave.web.app import create_app

__all__ = ["cheap_password_hashes"]
pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def live(runtime: Runtime, cheap_password_hashes: None) -> Iterator[tuple[str, SeededOrg]]:
    """The app on a free local port, served by uvicorn in a background thread, with a seeded organisation."""
    with session_scope(runtime.sessions) as session:
        seeded = seed_org(session, org=runtime.settings.org)
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(runtime.settings, runtime=runtime), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", seeded
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _log_in(page: Page, base: str, username: str, *, shot: str | None = None) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    if shot:
        _shot(page, shot)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")


def test_member_sees_only_their_own_page(live: tuple[str, SeededOrg], browser: Browser) -> None:
    base, seeded = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _log_in(page, base, "alice", shot="login")
    assert page.url == f"{base}/me"
    assert page.locator("h1").inner_text() == "My connections"
    assert page.locator("svg.chart").count() == 3
    assert "you were in touch with" in page.content()
    nav = page.locator("header nav").inner_text()
    assert "Team health" not in nav
    assert "Organisation" not in nav
    _shot(page, "my-connections")
    other = page.goto(f"{base}/people/{seeded.people['bob']}/connections")
    assert other is not None
    assert other.status == 403
    assert "Not allowed" in page.content()
    _shot(page, "forbidden")
    team = page.goto(f"{base}/teams/{seeded.teams['Platform']}")
    assert team is not None
    assert team.status == 403


def test_manager_sees_the_team_aggregate_but_no_personal_page(live: tuple[str, SeededOrg], browser: Browser) -> None:
    base, seeded = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _log_in(page, base, "mia")
    assert page.url == f"{base}/teams"
    _shot(page, "teams")
    page.click("text=Platform")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/teams/{seeded.teams['Platform']}"
    assert page.locator(".stat-label", has_text="internal density").count() == 1
    too_few = page.locator(".too-few")
    assert too_few.count() >= 2
    assert too_few.first.inner_text() == TOO_FEW_PEOPLE
    assert page.locator("tr", has_text="site: Austin").locator(".too-few").count() == 1
    _shot(page, "team-health")
    personal = page.goto(f"{base}/people/{seeded.people['alice']}/connections")
    assert personal is not None
    assert personal.status == 403
    page.goto(f"{base}/teams/{seeded.teams['Tiny']}")
    assert page.locator(".too-few").inner_text() == TOO_FEW_PEOPLE
    _shot(page, "team-health-too-few")


def test_organisation_map_hover_and_admin_pages(
    live: tuple[str, SeededOrg], browser: Browser, runtime: Runtime
) -> None:
    base, _ = live
    with session_scope(runtime.sessions) as session:
        more = seed_more_teams(session, org=runtime.settings.org)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    _log_in(page, base, "root")
    assert page.url == f"{base}/org"
    assert page.locator("#org-map g.node").count() == 2 + len(more)
    _shot(page, "organisation")
    page.hover("#org-map g.node >> nth=0")
    tip = page.locator("#map-tip")
    tip.wait_for(state="visible")
    assert "people" in tip.inner_text()
    _shot(page, "organisation-hover")
    page.goto(f"{base}/imports")
    assert "export.zip" in page.content()
    _shot(page, "imports")
    page.goto(f"{base}/audit")
    assert "view_org_map" in page.content()
    _shot(page, "audit")
    page.click("text=Log out")
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(f"{base}/login")
    assert errors == [], errors  # no CSP violation, no script error
