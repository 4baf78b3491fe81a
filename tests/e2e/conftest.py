"""Browser-test fixtures: the app served on a free local port, Debian's headless Chromium, screenshots, log-in.

Screenshots go to ``test-artifacts/screenshots/<name>.png`` under the project root.
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
from tests.web.seeding import PASSWORD, SeededOrg, cheap_password_hashes, seed_org

from teamweave.runtime import Runtime
from teamweave.store.session import session_scope
from teamweave.web.app import create_app

__all__ = ["cheap_password_hashes"]

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


def shot_page(page: Page, name: str) -> None:
    """Save a full-page screenshot as ``test-artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def log_in(page: Page, base: str, username: str, *, shot: str | None = None) -> None:
    """Log in as ``username`` with the seeded password (a screenshot of the filled form if ``shot``)."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    if shot:
        shot_page(page, shot)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
