"""End to end in headless Chromium (Debian's, no browser download): log in, see what your role may see.

Screenshots of each page go to ``test-artifacts/screenshots/<name>.png`` under the project root.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from tests.e2e.conftest import log_in, shot_page
from tests.web.seeding import SeededOrg, seed_more_teams

from teamweave.privacy.thresholds import TOO_FEW_PEOPLE
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

pytestmark = pytest.mark.e2e


def test_member_sees_only_their_own_page(live: tuple[str, SeededOrg], browser: Browser) -> None:
    base, seeded = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, base, "alice", shot="login")
    assert page.url == f"{base}/me"
    assert page.locator("h1").inner_text() == "My connections"
    assert page.locator("svg.chart").count() == 10
    assert "you were in touch with" in page.content()
    nav = page.locator("header nav").inner_text()
    assert "Team health" not in nav
    assert "Organisation" not in nav
    shot_page(page, "my-connections")
    other = page.goto(f"{base}/people/{seeded.people['bob']}/connections")
    assert other is not None
    assert other.status == 403
    assert "Not allowed" in page.content()
    shot_page(page, "forbidden")
    team = page.goto(f"{base}/teams/{seeded.teams['Platform']}")
    assert team is not None
    assert team.status == 403


def test_manager_sees_the_team_aggregate_but_no_personal_page(live: tuple[str, SeededOrg], browser: Browser) -> None:
    base, seeded = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, base, "mia")
    assert page.url == f"{base}/teams"
    shot_page(page, "teams")
    page.click("text=Platform")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/teams/{seeded.teams['Platform']}"
    assert page.locator(".stat-label", has_text="internal density").count() == 1
    too_few = page.locator(".too-few")
    assert too_few.count() >= 2
    assert too_few.first.inner_text() == TOO_FEW_PEOPLE
    assert page.locator("tr", has_text="site: Austin").locator(".too-few").count() == 1
    shot_page(page, "team-health")
    personal = page.goto(f"{base}/people/{seeded.people['alice']}/connections")
    assert personal is not None
    assert personal.status == 403
    page.goto(f"{base}/teams/{seeded.teams['Tiny']}")
    assert page.locator(".too-few").inner_text() == TOO_FEW_PEOPLE
    shot_page(page, "team-health-too-few")


def test_organisation_map_hover_and_admin_pages(
    live: tuple[str, SeededOrg], browser: Browser, runtime: Runtime
) -> None:
    base, _ = live
    with session_scope(runtime.sessions) as session:
        more = seed_more_teams(session, org=runtime.settings.org)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    log_in(page, base, "root")
    assert page.url == f"{base}/org"
    assert page.locator("#org-map g.node").count() == 2 + len(more)
    shot_page(page, "organisation")
    page.hover("#org-map g.node >> nth=0")
    tip = page.locator("#map-tip")
    tip.wait_for(state="visible")
    assert "people" in tip.inner_text()
    shot_page(page, "organisation-hover")
    page.goto(f"{base}/imports")
    assert "export.zip" in page.content()
    shot_page(page, "imports")
    page.goto(f"{base}/audit")
    assert "view_org_map" in page.content()
    shot_page(page, "audit")
    page.click("text=Log out")
    page.wait_for_load_state("networkidle")
    assert page.url.startswith(f"{base}/login")
    assert errors == [], errors  # no CSP violation, no script error
