"""The tone coach in headless Chromium: a member checks a blunt draft, sees what reads as blunt highlighted in
the message, each kind listed once, and warmer rewrites. Screenshot: ``tone-blunt.png``."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from tests.e2e.conftest import log_in, shot_page
from tests.web.seeding import SeededOrg

pytestmark = pytest.mark.e2e

DRAFT = "Didn't you read the runbook? Care to explain why the deploy failed by Monday?"


def test_a_member_checks_a_blunt_draft_and_gets_warmer_ways_to_say_it(
    live: tuple[str, SeededOrg], browser: Browser
) -> None:
    base, _ = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, base, "alice")
    page.goto(f"{base}/tone")
    page.fill("textarea[name=text]", DRAFT)
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "reads as blunt" in page.inner_text("main h2")
    assert page.input_value("textarea[name=text]") == DRAFT
    marked = page.locator("p.message mark").all_inner_texts()
    assert marked == ["Didn't you", "Care to", "by Monday"]
    kinds = page.locator("ul.words:not(.rewrites) li").all_inner_texts()
    assert sum(kind.startswith("challenging question") for kind in kinds) == 1
    rewrites = page.locator("ul.rewrites li").all_inner_texts()
    assert rewrites
    assert all("by Monday" in rewrite and "Did you read the runbook?" in rewrite for rewrite in rewrites)
    shot_page(page, "tone-blunt")
