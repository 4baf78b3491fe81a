"""Recognition end to end in headless Chromium: a member gives public recognition; it shows in the team feed
and the org feed; the receiver's manager's equity view no longer lists them as not recognised lately.

Screenshots go to ``test-artifacts/screenshots/recognition-*.png``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page
from tests.e2e.conftest import log_in, shot_page
from tests.web.seeding import SeededOrg

pytestmark = pytest.mark.e2e

MESSAGE = "Bob untangled the flaky deploy pipeline and wrote it all up for the rest of us."


def _page(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, base, username)
    return page


def _not_recognised(page: Page) -> list[str]:
    return page.locator("#not-recognised td.name").all_inner_texts()


def test_public_recognition_flows_into_the_feeds_and_the_equity_view(
    live: tuple[str, SeededOrg], browser: Browser
) -> None:
    base, seeded = live
    manager = _page(browser, base, "mia")
    manager.goto(f"{base}/recognition/equity")
    assert "Bob" in _not_recognised(manager)
    assert manager.locator("#sites .too-few").count() == 1  # Austin has 2 people
    shot_page(manager, "recognition-equity-before")

    member = _page(browser, base, "alice")
    member.goto(f"{base}/recognition/give")
    member.select_option("select[name=person_id]", str(seeded.people["bob"]))
    member.select_option("select[name=value]", "Ownership")
    member.fill("textarea[name=message]", MESSAGE)
    member.fill("textarea[name=note]", "Honestly, thank you.")
    member.check("input[name=visibility][value=public]")
    shot_page(member, "recognition-give")
    member.click("form[action='/recognition/give'] button[type=submit]")
    member.wait_for_load_state("networkidle")
    assert member.url == f"{base}/recognition?given=1"
    card = member.locator("article.recognition").first
    assert card.locator(".giver").inner_text() == "Alice"
    assert card.locator(".receiver").inner_text() == "Bob"
    assert card.locator(".message").inner_text() == MESSAGE
    assert "Honestly, thank you." not in member.content()
    shot_page(member, "recognition-org-feed")

    member.click("nav.switch >> text=Platform")
    member.wait_for_load_state("networkidle")
    assert member.url == f"{base}/recognition/teams/{seeded.teams['Platform']}"
    assert member.locator("article.recognition .message").all_inner_texts() == [MESSAGE]
    shot_page(member, "recognition-team-feed")
    member.goto(f"{base}/recognition/teams/{seeded.teams['Data']}")
    assert member.locator("article.recognition").count() == 0

    receiver = _page(browser, base, "bob")
    receiver.goto(f"{base}/recognition/mine")
    assert "Honestly, thank you." in receiver.locator("section.received").inner_text()
    shot_page(receiver, "recognition-mine")

    manager.reload()
    remaining = _not_recognised(manager)
    assert "Bob" not in remaining
    assert "Alice" in remaining
    shot_page(manager, "recognition-equity-after")
