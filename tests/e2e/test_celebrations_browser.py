"""Celebrations in headless Chromium: a member shares their birthday, adds a milestone for a teammate, sees
both in their team's list; the teammate deletes the milestone about them. Screenshots: celebrations*.png."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Browser
from tests.e2e.conftest import log_in, shot_page
from tests.web.seeding import SeededOrg

pytestmark = pytest.mark.e2e


def test_share_a_birthday_add_a_milestone_and_delete_it(live: tuple[str, SeededOrg], browser: Browser) -> None:
    base, _ = live
    today = datetime.now(UTC).date()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, base, "alice")
    page.goto(f"{base}/celebrations")
    assert page.locator("h1").inner_text() == "Celebrations"
    form = page.locator("form[aria-label='Share my birthday']")
    form.locator("input[name=day]").fill(str(today.day))
    form.locator("select[name=month]").select_option(str(today.month))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "never the year" in page.locator("p[role=status]").inner_text()
    milestone = page.locator("form[aria-label='Add a milestone']")
    milestone.locator("select[name=person_id]").select_option(label="Bob")
    milestone.locator("input[name=title]").fill("First on-call week")
    milestone.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    team = page.locator("#my-team").inner_text()
    assert "Alice: birthday" in team
    assert "Bob: First on-call week" in team
    assert str(today.year) not in team
    page.goto(f"{base}/celebrations?days=90")
    shot_page(page, "celebrations")
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # a new context: Bob's own login
    log_in(page, base, "bob")
    page.goto(f"{base}/celebrations")
    row = page.locator("#my-team tr", has_text="First on-call week")
    row.locator("button", has_text="Delete").click()
    page.wait_for_load_state("networkidle")
    assert "First on-call week" not in page.locator("#my-team").inner_text()
    shot_page(page, "celebrations-after-delete")
