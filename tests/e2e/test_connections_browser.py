"""Connections end to end in headless Chromium: a person sees what changed in their network with the
evidence and the flagged windows marked on the charts; their manager sees the team's aggregates only.

Screenshots go to ``test-artifacts/screenshots/connections-*.png``.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import Browser
from sqlalchemy import update
from tests.e2e.conftest import log_in, shot_page
from tests.web.seeding import WEEKS, SeededOrg

from teamweave.network.models import PersonMetric
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

pytestmark = pytest.mark.e2e


def test_my_fall_in_ties_is_explained_and_marked_and_never_shown_to_my_manager(
    live: tuple[str, SeededOrg], runtime: Runtime, browser: Browser
) -> None:
    base, seeded = live
    with session_scope(runtime.sessions) as session:
        for week, ties in zip(WEEKS, [10, 12, 11, 13, 9, 11, 10, 3], strict=True):
            session.execute(
                update(PersonMetric)
                .where(PersonMetric.pseudonym == "ps-alice", PersonMetric.period == "week")
                .where(PersonMetric.window_start == week)
                .values(ties=ties, strong_ties=ties // 3, focus_hours=3.0, chat_share=0.6, meeting_share=0.4)
            )
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    log_in(page, base, "alice")
    page.goto(f"{base}/me")
    changes = page.locator("#changes li")
    assert changes.count() >= 1
    assert "Your ties fell to 3" in changes.first.inner_text()
    assert page.locator("svg line.change-mark").count() >= 1
    shot_page(page, "connections-me")
    manager = browser.new_page(viewport={"width": 1200, "height": 900})  # a new context: no shared cookies
    log_in(manager, base, "mia")
    manager.goto(f"{base}/teams/{seeded.teams['Platform']}")
    text = manager.content()
    assert "Bridges: what breaks if one person leaves" in text
    assert "Your ties fell" not in text
    assert "ps-alice" not in text
    shot_page(manager, "connections-team")


def test_i_download_my_data_and_leave_the_analytics_from_my_page(live: tuple[str, SeededOrg], browser: Browser) -> None:
    base, _ = live
    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    log_in(page, base, "alice")
    page.goto(f"{base}/me")
    page.locator("#my-data").scroll_into_view_if_needed()
    shot_page(page, "connections-my-data")
    with page.expect_download() as waiting:
        page.get_by_role("link", name="Download my data (JSON)").click()
    download = waiting.value
    assert download.suggested_filename == "teamweave-my-data.json"
    path = download.path()
    assert path is not None
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["person"]["email"] == "alice@example.org"
    assert [view["action"] for view in data["views_of_your_data"]] == ["export_own_data"]
    page.get_by_role("button", name="Leave me out of the analytics").click()
    page.wait_for_url("**/me?done=analytics-out*")
    assert "You are left out of the analytics" in page.locator("#analytics-state").inner_text()
    assert "leaves you out of every metric" in page.locator("#my-data [role=status]").inner_text()
    page.locator("#my-data").scroll_into_view_if_needed()
    shot_page(page, "connections-left-out")
    page.get_by_role("button", name="Count me in again").click()
    page.wait_for_url("**/me?done=analytics-in*")
    assert "The analytics count you" in page.locator("#analytics-state").inner_text()
    context.close()
