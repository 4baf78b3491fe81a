"""The inbox in headless Chromium: a person reads their notifications, marks one read, turns a kind off, and
follows an e-mail's unsubscribe link without logging in.

Screenshots go to ``test-artifacts/screenshots/inbox-*.png``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser
from tests.e2e.conftest import log_in, shot_page
from tests.web.seeding import SeededOrg

from teamweave.notify import service
from teamweave.runtime import Runtime
from teamweave.store.session import session_scope

pytestmark = pytest.mark.e2e


def test_a_person_reads_their_inbox_and_unsubscribes(
    live: tuple[str, SeededOrg], runtime: Runtime, browser: Browser
) -> None:
    base, seeded = live
    alice = seeded.people["alice"]
    with session_scope(runtime.sessions) as session:
        for key, kind, subject in (
            ("n1", "checkin_nudge", "Time for your check-in"),
            ("r1", "recognition", "Bob recognised you for Care"),
        ):
            service.enqueue(
                session, org="default", recipient_id=alice, kind=kind, subject=subject, text="Open teamweave.",
                dedupe_key=key, link="/checkins",
            )  # fmt: skip
        service.enqueue(
            session, org="default", recipient_id=seeded.people["bob"], kind="recognition", subject="Bob's own",
            text="x", dedupe_key="b1",
        )  # fmt: skip
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, base, "alice")
    page.goto(f"{base}/inbox")
    assert "2 unread" in page.inner_text("h1")
    assert "Bob's own" not in page.content()
    shot_page(page, "inbox-unread")
    page.click("#message-1 >> text=Mark read")
    page.wait_for_load_state("networkidle")
    assert "1 unread" in page.inner_text("h1")
    page.uncheck("input[name=kind][value=team_digest]")
    page.click("button:has-text('Save')")
    page.wait_for_load_state("networkidle")
    assert "Saved." in page.content()
    assert not page.is_checked("input[name=kind][value=team_digest]")
    shot_page(page, "inbox-settings-saved")

    token = service.unsubscribe_token(
        runtime.settings.resolved_session_secret(), org="default", person_id=alice, kind="recognition"
    )
    stranger = browser.new_page(viewport={"width": 1280, "height": 700})
    stranger.goto(f"{base}/unsubscribe?token={token}")
    stranger.click("button:has-text('Unsubscribe')")
    stranger.wait_for_load_state("networkidle")
    assert "You will no longer receive: Recognition you receive" in stranger.content()
    shot_page(stranger, "inbox-unsubscribed")
    page.goto(f"{base}/inbox")
    assert not page.is_checked("input[name=kind][value=recognition]")
