"""Check-ins end to end in headless Chromium: a report fills the check-in, their manager sees the trend, the
coaching prompts and the notes; a manager gets 403 and none of the answers of someone else's report.

Screenshots go to ``test-artifacts/screenshots/checkins-*.png``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page
from tests.e2e.conftest import log_in, shot_page
from tests.web.seeding import PASSWORD, SeededOrg

from teamweave.accounts.service import create_user
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

pytestmark = pytest.mark.e2e

ALICE_WORDS = "the reorg keeps me up at night"
QUINN_WORDS = "quinn's private words for Dan only"


def _fill(page: Page, base: str, answers: list[int], words: str) -> None:
    page.goto(f"{base}/checkins")
    for number, answer in enumerate(answers, start=1):
        page.check(f"input[name=who5_{number}][value='{answer}']")
    page.fill("textarea[name=how_are_you]", words)
    page.fill("textarea[name=connection]", "Bob")
    page.click("text=Save my check-in")
    page.wait_for_load_state("networkidle")
    assert "your check-in is saved" in page.content()


def test_a_report_checks_in_and_only_their_manager_sees_it(
    live: tuple[str, SeededOrg], runtime: Runtime, browser: Browser
) -> None:
    base, seeded = live
    with session_scope(runtime.sessions) as session:
        create_user(
            session,
            org=seeded.org,
            username="quinn",
            password=PASSWORD,
            role="member",
            person_id=seeded.people["quinn"],
        )
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, base, "alice")
    _fill(page, base, [4, 4, 4, 4, 4], "fine")
    _fill(page, base, [2, 2, 3, 2, 2], ALICE_WORDS)
    page.click("text=Let my signals shape coaching prompts")
    page.wait_for_load_state("networkidle")
    page.fill("#notes textarea[name=text]", "I'd like to pair more with Data")
    page.click("text=Add note")
    page.wait_for_load_state("networkidle")
    assert page.locator("svg.chart").count() == 1
    shot_page(page, "checkins-report-own-page")

    page = browser.new_page(viewport={"width": 1280, "height": 900})  # a new context: a new login
    log_in(page, base, "quinn")
    _fill(page, base, [1, 1, 1, 1, 1], QUINN_WORDS)

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, base, "mia")
    page.goto(f"{base}/checkins/reports")
    page.click("a:text('Alice')")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/checkins/reports/{seeded.people['alice']}"
    assert page.locator("svg.chart").count() == 1
    content = page.content()
    assert ALICE_WORDS in content
    assert "dropped 10+" in content
    assert "Their WHO-5 fell from 80 to 44" in content
    assert "pair more with Data" in content
    shot_page(page, "checkins-manager-report-page")

    other = page.goto(f"{base}/checkins/reports/{seeded.people['quinn']}")
    assert other is not None
    assert other.status == 403
    assert QUINN_WORDS not in page.content()
    page.goto(f"{base}/checkins/reports")
    assert "Quinn" not in page.content()
    assert QUINN_WORDS not in page.content()
    shot_page(page, "checkins-manager-overview")


def test_the_manager_logs_a_1on1_the_report_ticks_an_item_and_the_manager_sees_their_cadence(
    live: tuple[str, SeededOrg], browser: Browser
) -> None:
    base, seeded = live
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, base, "mia")
    page.goto(f"{base}/checkins/reports/{seeded.people['alice']}")
    page.fill("#notes input[name=text]", "share the on-call rota draft")
    page.click("text=Add action item")
    page.wait_for_load_state("networkidle")
    page.click("text=Log a 1:1 held today")
    page.wait_for_load_state("networkidle")
    alice = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(alice, base, "alice")
    alice.goto(f"{base}/checkins")
    alice.click("button[aria-label='Tick off: share the on-call rota draft']")
    alice.wait_for_load_state("networkidle")
    assert alice.locator("s", has_text="share the on-call rota draft").count() == 1
    shot_page(alice, "checkins-item-ticked")
    page.goto(f"{base}/checkins/cadence")
    assert page.locator("h1").inner_text() == "My 1:1 cadence"
    assert page.locator("svg.chart").count() == 1
    assert page.locator("tr", has_text="Alice").locator("td").nth(3).inner_text() == "yes"
    shot_page(page, "checkins-cadence")
